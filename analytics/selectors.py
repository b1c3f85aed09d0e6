"""Reads of analytics events: the scoped list and the admin summary."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics.models import AnalyticsEvent
from fashionos.principals import Actor


def event_list(*, actor: Actor) -> QuerySet[AnalyticsEvent]:
    """Every event for admins and the service role; a user's own events otherwise."""
    return AnalyticsEvent.objects.visible_to(actor)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def event_summary(*, actor: Actor, since: date, until: date) -> dict[str, Any]:
    """Counts of the events the actor may read from `since` to `until` (whole days,
    inclusive): in all, by event type, by kit and by day (days with no event left out)."""
    events = event_list(actor=actor).filter(
        created_at__gte=_day_start(since), created_at__lt=_day_start(until + timedelta(days=1))
    )
    by_type = list(
        events.values("event_type").annotate(count=Count("id")).order_by("-count", "event_type")
    )
    by_kit = list(
        events.values("kit_context")
        .annotate(count=Count("id"))
        .order_by("-count", F("kit_context").asc(nulls_last=True))
    )
    by_day = list(
        events.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    return {
        "since": since,
        "until": until,
        "total": sum(row["count"] for row in by_type),
        "by_event_type": by_type,
        "by_kit_context": by_kit,
        "by_day": by_day,
    }
