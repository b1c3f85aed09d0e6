"""The events optimizer: the critical path and the plan of the shoot tasks together, as the
events endpoint and the chat's events skill read them (facts only; `assistant/events_words.py`
writes the summary and the wire shape).

Refused input (each a `task_graph.ScheduleError`): two tasks with the same id, a dependency
on a task that is not in the input, and a dependency cycle (named, in order).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from logistics.analysis.critical_path import CriticalPathResult, graph_critical_path
from logistics.analysis.inputs import TaskInput
from logistics.analysis.schedule import PlannedTask, Schedule, graph_plan
from logistics.analysis.task_graph import task_graph

ALGORITHM_VERSION = "1"

# A plan whose closest deadline is met with less than this to spare is tight (Slack.tight).
TIGHT_MARGIN_MINUTES = 60
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Slack:
    """How much room the plan leaves, over the open tasks.

    `critical_ids`: the tasks with no slack (any delay on one moves the end), in plan order;
    `tightest_id` / `tightest_slack`: the task with the least slack above zero, if any;
    `margin_id` / `margin_minutes`: among the tasks that meet their deadline, the one met with
    the least to spare (None when no open task has a deadline it meets); `at_risk_ids`: the
    tasks the plan finishes after their deadline. `tight` when a deadline is missed or met
    with less than TIGHT_MARGIN_MINUTES to spare.
    """

    critical_ids: tuple[str, ...]
    tightest_id: str | None
    tightest_slack: int | None
    margin_id: str | None
    margin_minutes: int | None
    at_risk_ids: tuple[str, ...]

    @property
    def tight(self) -> bool:
        return bool(self.at_risk_ids) or (
            self.margin_minutes is not None and self.margin_minutes < TIGHT_MARGIN_MINUTES
        )


@dataclass(frozen=True, slots=True)
class EventsAnalysis:
    """Critical path and plan together. `planned(task_id)` gives one task's place in the
    plan with its slack, whether it is critical (no slack), its assignee, deadline and
    dependencies; `on_critical_path(task_id)` whether it is on the one chain reported as the
    critical path (a task with no slack on a parallel chain is critical but not on it)."""

    critical_path: CriticalPathResult
    schedule: Schedule
    _planned: dict[str, PlannedTask] = field(default_factory=dict, repr=False, compare=False)
    _on_path: frozenset[str] = field(default_factory=frozenset, repr=False, compare=False)

    def planned(self, task_id: str) -> PlannedTask:
        """One task as planned (KeyError if it is not in the input)."""
        return self._planned[task_id]

    def on_critical_path(self, task_id: str) -> bool:
        """Whether the task is on the critical path as reported (`critical_path.critical_path`)."""
        return task_id in self._on_path

    def dependents(self, task_id: str) -> list[PlannedTask]:
        """The tasks that depend directly on `task_id` (wait for it), in plan order."""
        return [t for t in self.schedule.tasks if task_id in t.depends_on]

    def dependency_chain(self, task_id: str, on: str) -> tuple[str, ...] | None:
        """How `task_id` depends on `on`, directly or through other tasks: the ids from `on`
        to `task_id` along the shortest chain of dependencies, or None when it does not
        depend on it. O(tasks + dependencies)."""
        came_from: dict[str, str | None] = {task_id: None}
        queue = deque([task_id])
        while queue:
            current = queue.popleft()
            if current == on:
                chain = [current]
                while (step := came_from[chain[-1]]) is not None:
                    chain.append(step)
                return tuple(chain)
            for before in self._planned[current].depends_on:
                if before not in came_from:
                    came_from[before] = current
                    queue.append(before)
        return None

    def slack(self) -> Slack:
        """How much room the plan leaves (see `Slack`). O(tasks)."""
        open_tasks = [t for t in self.schedule.tasks if t.status != "done"]
        critical = tuple(t.id for t in open_tasks if t.is_critical)
        loose = [t for t in open_tasks if t.slack > 0]
        tightest = min(loose, key=lambda t: t.slack, default=None)
        met = [
            ((t.deadline - t.planned_finish) // _MINUTE, t)
            for t in open_tasks
            if t.deadline is not None and t.late_by_minutes == 0
        ]
        margin = min(met, key=lambda pair: pair[0], default=None)
        return Slack(
            critical_ids=critical,
            tightest_id=tightest.id if tightest else None,
            tightest_slack=tightest.slack if tightest else None,
            margin_id=margin[1].id if margin else None,
            margin_minutes=margin[0] if margin else None,
            at_risk_ids=tuple(a.task_id for a in self.schedule.at_risk),
        )


def analyze_events(tasks: Sequence[TaskInput], *, start: datetime) -> EventsAnalysis:
    """Critical path and plan in one pass over the graph (see `critical_path.critical_path`
    and `schedule.plan_schedule`). Raises what `critical_path` raises."""
    graph = task_graph(tasks)
    cpm = graph_critical_path(graph)
    schedule = graph_plan(graph, cpm, start)
    return EventsAnalysis(
        critical_path=cpm,
        schedule=schedule,
        _planned={planned.id: planned for planned in schedule.tasks},
        _on_path=frozenset(cpm.critical_path),
    )
