"""The events optimizer: the critical path and the plan of the shoot tasks together, as the
events endpoint and the chat's events skill read them (facts only; `assistant/events_words.py`
writes the summary and the wire shape).

Refused input (each a `task_graph.ScheduleError`): two tasks with the same id, a dependency
on a task that is not in the input, and a dependency cycle (named, in order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from logistics.analysis.critical_path import CriticalPathResult, graph_critical_path
from logistics.analysis.inputs import TaskInput
from logistics.analysis.schedule import PlannedTask, Schedule, graph_plan
from logistics.analysis.task_graph import task_graph

ALGORITHM_VERSION = "1"


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
