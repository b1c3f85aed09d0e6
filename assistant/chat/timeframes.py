"""The window of time a timeframe entity ("today", "next week") stands for, as the skills
filter by it: tasks planned, deadlines, double-bookings and sample ETAs inside the window."""

from __future__ import annotations

from datetime import datetime, time, timedelta

LABELS = {
    "today": "today",
    "tomorrow": "tomorrow",
    "this_week": "this week",
    "next_week": "next week",
}
_DAY = timedelta(days=1)


def timeframe_window(timeframe: str | None, now: datetime) -> tuple[datetime, datetime] | None:
    """[start, end) of ``timeframe`` around ``now``, in ``now``'s time zone, or None for no
    (or an unknown) timeframe. Weeks run Monday to Sunday; "this week" is from the start of
    today to the end of Sunday, so what is already past this week is not reported."""
    today = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    next_monday = today + (7 - today.weekday()) * _DAY
    return {
        "today": (today, today + _DAY),
        "tomorrow": (today + _DAY, today + 2 * _DAY),
        "this_week": (today, next_monday),
        "next_week": (next_monday, next_monday + 7 * _DAY),
    }.get(timeframe or "")


def within(moment: datetime | None, window: tuple[datetime, datetime]) -> bool:
    """Whether ``moment`` falls in ``window`` (a missing moment never does)."""
    return moment is not None and window[0] <= moment < window[1]
