"""Double-bookings in the plan as given: one assignee booked on two tasks at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from logistics.analysis.inputs import TaskInput

_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two tasks of one assignee whose given windows overlap (a double-booking as planned).

    `task_ids` is (the booking that was already running, the one that starts inside it);
    `overlap_minutes` how long both run at once, rounded up to the minute.
    """

    assignee: str
    task_ids: tuple[str, str]
    titles: tuple[str, str]
    overlap_start: datetime
    overlap_end: datetime

    @property
    def overlap_minutes(self) -> int:
        return -((self.overlap_start - self.overlap_end) // _MINUTE)


def conflicts(tasks: Sequence[TaskInput]) -> list[Conflict]:
    """Double-bookings in the plan as given: tasks of one assignee whose windows
    [earliest_start, earliest_start + duration) overlap. Tasks without an earliest start,
    unassigned, done or of zero duration book no time.

    Each task that starts inside an earlier booking of the same assignee is reported once,
    against the booking that runs latest, so the list is at most n - 1 long and O(n log n)
    to build. Ordered by overlap start, then assignee. Refuses nothing.
    """
    bookings: dict[str, list[tuple[datetime, int, datetime]]] = {}
    for i, task in enumerate(tasks):
        if (
            task.assignee is None
            or task.earliest_start is None
            or task.status == "done"
            or task.duration_minutes == 0
        ):
            continue
        end = task.earliest_start + task.duration_minutes * _MINUTE
        bookings.setdefault(task.assignee, []).append((task.earliest_start, i, end))

    found: list[Conflict] = []
    for person, booked in bookings.items():
        booked.sort(key=lambda booking: booking[0])  # stable: input order on a tie
        running_end, running = booked[0][2], booked[0][1]
        for begins, i, end in booked[1:]:
            if begins < running_end:
                found.append(
                    Conflict(
                        assignee=person,
                        task_ids=(tasks[running].id, tasks[i].id),
                        titles=(tasks[running].title, tasks[i].title),
                        overlap_start=begins,
                        overlap_end=min(end, running_end),
                    )
                )
            if end > running_end:
                running_end, running = end, i
    found.sort(key=lambda c: (c.overlap_start, c.assignee, c.task_ids))
    return found
