"""Announcing row changes to realtime subscribers.

Services call `change_announce` inside their transaction; the message is built there, from
plain JSON, and handed to the realtime layer only when the transaction commits, so a
rolled-back write is never announced (DESIGN.md section 7).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from fashionos.realtime.publish import change_publish, membership_publish
from fashionos.tables import realtime_tables

logger = logging.getLogger("fashionos.realtime")

ChangeType = Literal["INSERT", "UPDATE", "DELETE"]


@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    type: ChangeType
    campaign_id: str
    record: dict[str, Any] | None
    old_record: dict[str, Any] | None
    commit_timestamp: str = ""


def change_announce(
    *,
    table: str,
    type: ChangeType,
    campaign_id,
    record: dict[str, Any] | None = None,
    old_record: dict[str, Any] | None = None,
) -> None:
    """Queue one change for delivery after the current transaction commits."""
    if table not in realtime_tables():
        raise ValueError(f"{table!r} is not a realtime table")

    def publish() -> None:
        change = RowChange(
            table=table,
            type=type,
            campaign_id=str(campaign_id),
            record=record,
            old_record=old_record,
            commit_timestamp=timezone.now().isoformat(),
        )
        try:
            change_publish(change)
        except Exception:  # a realtime outage must never fail a committed write
            logger.exception("could not publish a %s change on %s", type, table)

    transaction.on_commit(publish)


def membership_announce(*, user_id, campaign_id, role: str | None) -> None:
    """Queue a membership change (role None = removed) for the user's open sockets."""

    def publish() -> None:
        try:
            membership_publish(user_id=str(user_id), campaign_id=str(campaign_id), role=role)
        except Exception:
            logger.exception("could not publish a membership change")

    transaction.on_commit(publish)
