"""The events panel of the staff dashboard (`fashionos.admin_site`): analytics events per day
by kit over the last 30 days, as stacked bars drawn on the server in SVG (no chart library to
load), registered from `AnalyticsConfig.ready()`."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate

from analytics.models import AnalyticsEvent
from fashionos.admin_site import DashboardPanel, dashboard_panel_register
from fashionos.kits import KITS

CHART_DAYS = 30
CHART_KITS = (*KITS, "other")
CHART_COLOURS = {
    "logistics": "#2f6f8f",
    "events": "#c26a2e",
    "media": "#6a4c93",
    "general": "#5b8c51",
    "other": "#9a9a9a",
}
CHART_HEIGHT = 160
BAR_WIDTH = 14
BAR_GAP = 4


def events_chart(now: datetime) -> dict:
    """Stacked bars of analytics events per day and kit, as SVG geometry."""
    first_day = (now - timedelta(days=CHART_DAYS - 1)).date()
    counts: dict = defaultdict(lambda: defaultdict(int))
    rows = (
        AnalyticsEvent.objects.filter(created_at__date__gte=first_day)
        .annotate(day=TruncDate("created_at"))
        .values("day", "kit_context")
        .annotate(n=Count("id"))
    )
    for row in rows:
        kit = row["kit_context"] if row["kit_context"] in CHART_KITS else "other"
        counts[row["day"]][kit] += row["n"]
    days = [first_day + timedelta(days=offset) for offset in range(CHART_DAYS)]
    peak = max((sum(counts[day].values()) for day in days), default=0) or 1
    bars = []
    for index, day in enumerate(days):
        x = index * (BAR_WIDTH + BAR_GAP)
        y = CHART_HEIGHT
        segments = []
        for kit in CHART_KITS:
            value = counts[day][kit]
            if not value:
                continue
            height = value / peak * (CHART_HEIGHT - 10)
            y -= height
            segments.append(
                {"kit": kit, "value": value, "y": round(y, 1), "height": round(height, 1),
                 "colour": CHART_COLOURS[kit]}
            )  # fmt: skip
        bars.append({"day": day, "x": x, "total": sum(counts[day].values()), "segments": segments})
    return {
        "bars": bars,
        "peak": peak,
        "width": CHART_DAYS * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT,
        "bar_width": BAR_WIDTH,
        "legend": [(kit, CHART_COLOURS[kit]) for kit in CHART_KITS],
        "total": sum(sum(kits.values()) for kits in counts.values()),
    }


def panel_register() -> None:
    """Show the events chart after the campaigns."""
    dashboard_panel_register(
        DashboardPanel(
            name="events",
            template="admin/dashboard/events.html",
            context=lambda now: {"chart": events_chart(now)},
            order=20,
        )
    )
