"""Recording analytics events: one in one INSERT, a batch in one COPY (PostgreSQL) or one bulk
insert (SQLite).

Whose event it is comes from the token, as the original policy "INSERT own or with no user":
anonymous callers record events with no user; a user records events as themself (naming
another user is refused); the service role may name any user, or none.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from analytics.models import AnalyticsEvent
from fashionos.accounts.models import User
from fashionos.errors import NotAllowed
from fashionos.principals import Actor, is_service, is_user

MAX_EVENTS_PER_REQUEST = 1000

MSG_UNKNOWN_USERS = "These users do not exist: {ids}."


MSG_OTHER_USER = "Events may only be recorded for the caller (or for no user)."
CODE_OTHER_USER = "EVENT_USER_REFUSED"


class EventUserRefused(NotAllowed):
    """An event names a user the caller may not record events for (403)."""

    def __init__(self) -> None:
        super().__init__(MSG_OTHER_USER, code=CODE_OTHER_USER)


def _owner_ids(*, actor: Actor, events: Sequence[Mapping[str, Any]]) -> list:
    if is_service(actor):
        named = [event.get("user_id") for event in events]
        wanted = {pk for pk in named if pk is not None}
        found = set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            missing = ", ".join(sorted(str(pk) for pk in wanted - found))
            raise ValidationError({"user_id": [MSG_UNKNOWN_USERS.format(ids=missing)]})
        return named
    own_id = actor.pk if is_user(actor) else None
    for event in events:
        named = event.get("user_id")
        if named is not None and named != own_id:
            raise EventUserRefused
    return [own_id] * len(events)


# The columns COPY writes.
_COPY_COLUMNS = (
    "id", "user_id", "event_type", "event_data", "page_route", "kit_context", "session_id",
    "created_at",
)  # fmt: skip
_COPY_SQL = "COPY {table} ({columns}) FROM STDIN".format(
    table=connection.ops.quote_name(AnalyticsEvent._meta.db_table),
    columns=", ".join(connection.ops.quote_name(column) for column in _COPY_COLUMNS),
)


def event_ingest(*, actor: Actor, events: Sequence[Mapping[str, Any]]) -> list[AnalyticsEvent]:
    """Record `events` (validated dicts: event_type, event_data, page_route, kit_context,
    session_id, optional user_id) for `actor` and return them: one event in one INSERT, a batch
    in one bulk insert; either is atomic by itself. Raises EventUserRefused when an event names
    a user the actor may not act for (nothing is recorded), and ValidationError when the
    service role names a user that does not exist."""
    if len(events) > MAX_EVENTS_PER_REQUEST:
        raise ValueError(f"at most {MAX_EVENTS_PER_REQUEST} events per call")
    owner_ids = _owner_ids(actor=actor, events=events)
    rows = [
        AnalyticsEvent(
            user_id=owner_id,
            event_type=event["event_type"],
            event_data=event.get("event_data") or {},
            page_route=event.get("page_route"),
            kit_context=event.get("kit_context"),
            session_id=event.get("session_id"),
        )
        for event, owner_id in zip(events, owner_ids, strict=True)
    ]
    if len(rows) == 1:
        # One statement needs no BEGIN and COMMIT around it (bulk_create would add them).
        rows[0].save(force_insert=True)
    else:
        with transaction.atomic():
            AnalyticsEvent.objects.bulk_create(rows)
    return rows


def events_record(*, actor: Actor, events: Sequence[Mapping[str, Any]]) -> list[uuid.UUID]:
    """Record `events` as `event_ingest` does and return their ids; a batch on PostgreSQL is
    written with one COPY of the values, with no model instance built (the same rows: a test
    compares them with the bulk insert's). Same refusals as `event_ingest`."""
    if len(events) < 2 or not _copy_available():
        return [row.pk for row in event_ingest(actor=actor, events=events)]
    if len(events) > MAX_EVENTS_PER_REQUEST:
        raise ValueError(f"at most {MAX_EVENTS_PER_REQUEST} events per call")
    owner_ids = _owner_ids(actor=actor, events=events)
    json_value = connection.ops.adapt_json_value
    rows = [
        (
            uuid.uuid4(),
            owner_id,
            event["event_type"],
            # As the model's JSONField (no encoder) prepares it for an INSERT.
            json_value(event.get("event_data") or {}, None),
            event.get("page_route"),
            event.get("kit_context"),
            event.get("session_id"),
            timezone.now(),
        )
        for event, owner_id in zip(events, owner_ids, strict=True)
    ]
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.copy(_COPY_SQL) as copy,
    ):
        for row in rows:
            copy.write_row(row)
    return [row[0] for row in rows]


def _copy_available() -> bool:
    return connection.vendor == "postgresql"
