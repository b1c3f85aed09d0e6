"""The analytics table as the table registry exposes it (`fashionos/tables/`):
analytics_events, registered from `AnalyticsConfig.ready()`.

As the original policy "INSERT own or with no user": anyone may insert an event with no user,
a user may insert events as themself, the service role for anyone. Admins and the service
role read every event, users their own. Events are never changed or deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analytics import services
from analytics.models import AnalyticsEvent
from analytics.serializers import EventInputSerializer
from fashionos.principals import Actor, is_service, is_user
from fashionos.tables import data_fields, serializer_validated, table_get, table_register


def event_insertable(actor: Actor, data: Mapping[str, Any]) -> bool:
    """An event with no user, or the caller's own; the service role names anyone."""
    named = data.get("user_id")
    if named is None or is_service(actor):
        return True
    return is_user(actor) and str(named) == str(actor.pk)


def event_create_from(*, actor: Actor, data: Mapping[str, Any]) -> AnalyticsEvent:
    """Record one event through `event_ingest`, validated as `/api/v1/analytics/events`."""
    fields = data_fields(table_get("analytics_events"), data)
    if "user" in fields:
        fields["user_id"] = fields.pop("user")
    event = serializer_validated(EventInputSerializer(data=fields))
    (created,) = services.event_ingest(actor=actor, events=[event])
    return created


def event_create_many_from(
    *, actor: Actor, rows: Sequence[Mapping[str, Any]]
) -> list[AnalyticsEvent]:
    """Several events in one bulk insert, each validated as `event_create_from` validates
    one."""
    table = table_get("analytics_events")
    events = []
    for row in rows:
        fields = data_fields(table, row)
        if "user" in fields:
            fields["user_id"] = fields.pop("user")
        events.append(serializer_validated(EventInputSerializer(data=fields)))
    return services.event_ingest(actor=actor, events=events)


def tables_register() -> None:
    """Register the analytics events table."""
    table_register(
        AnalyticsEvent,
        visible_to=AnalyticsEvent.objects.visible_to,
        insertable=event_insertable,
        create=event_create_from,
        create_many=event_create_many_from,
        insertable_columns=("user_id",),
        read_only=("created_at",),
    )
