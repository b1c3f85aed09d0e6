"""Conversation retention: each user's turns older than their
`conversation_history_retention_days` (default 90) are deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assistant.models import Conversation, UserPreferences

DEFAULT_RETENTION_DAYS = 90


def conversations_purge(*, now: datetime | None = None, batch_size: int = 1000) -> dict[int, int]:
    """Delete expired conversations in batches of `batch_size` rows, each its own short
    statement so the server keeps serving meanwhile. A turn exactly at the retention age is
    kept; one a microsecond older goes. Returns {retention days: rows deleted}."""
    now = now or timezone.now()
    deleted: dict[int, int] = {}
    custom = UserPreferences.objects.exclude(
        conversation_history_retention_days=DEFAULT_RETENTION_DAYS
    ).values_list("conversation_history_retention_days", flat=True)
    policies = sorted({DEFAULT_RETENTION_DAYS, *custom})
    for days in policies:
        cutoff = now - timedelta(days=days)
        if days == DEFAULT_RETENTION_DAYS:
            has_custom = Exists(
                UserPreferences.objects.filter(user=OuterRef("user")).exclude(
                    conversation_history_retention_days=DEFAULT_RETENTION_DAYS
                )
            )
            expired = Conversation.objects.filter(created_at__lt=cutoff).exclude(has_custom)
        else:
            expired = Conversation.objects.filter(
                created_at__lt=cutoff,
                user__assistant_preferences__conversation_history_retention_days=days,
            )
        count = 0
        while True:
            ids = list(expired.values_list("id", flat=True)[:batch_size])
            if not ids:
                break
            count += Conversation.objects.filter(id__in=ids).delete()[0]
        if count:
            deleted[days] = count
    return deleted
