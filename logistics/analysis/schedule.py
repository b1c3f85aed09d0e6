"""The events optimizer: critical path method and a list-scheduling plan for shoot tasks.

Times inside are whole minutes. The critical path method (`critical_path`) works on the
task graph alone, in minutes from the project start; `plan_schedule` places tasks on the
calendar from a start datetime, honouring dependencies, each task's earliest start and one
task at a time per assignee.

Both plan the *remaining* work: a task that is done takes no time, and its earliest start
and assignee no longer matter (its dependencies still apply, which in consistent data are
done too). Done tasks are never on the critical path and never at risk.

Refused input (each a `task_graph.ScheduleError`): two tasks with
the same id, a dependency on a task that is not in the input, and a dependency cycle
(named, in order).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from logistics.analysis.inputs import TaskInput
from logistics.analysis.task_graph import TaskGraph, task_graph, topological_order
from logistics.analysis.wording import format_minutes, noun, plural

ALGORITHM_VERSION = "1"

_MINUTE = timedelta(minutes=1)
_RELEASE, _FINISH = 0, 1


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class TaskTiming:
    """Critical-path timings of one task, in minutes from the project start."""

    id: str
    title: str
    duration_minutes: int
    earliest_start: int
    earliest_finish: int
    latest_start: int
    latest_finish: int
    slack: int
    is_critical: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "taskId": self.id,
            "title": self.title,
            "durationMinutes": self.duration_minutes,
            "earliestStart": self.earliest_start,
            "earliestFinish": self.earliest_finish,
            "latestStart": self.latest_start,
            "latestFinish": self.latest_finish,
            "slack": self.slack,
            "isCritical": self.is_critical,
        }


@dataclass(frozen=True, slots=True)
class CriticalPathResult:
    """Critical path method over the task graph.

    `tasks` are in input order; `critical_path` is one chain of zero-slack tasks from the
    start to the end of the project (task ids in order; done tasks left out);
    `total_duration` is the length in minutes of the remaining work.
    """

    tasks: tuple[TaskTiming, ...]
    critical_path: tuple[str, ...]
    total_duration: int
    topological_order: tuple[str, ...]
    _by_id: dict[str, TaskTiming] = field(default_factory=dict, repr=False, compare=False)

    def timing(self, task_id: str) -> TaskTiming:
        """The timings of one task (KeyError if it is not in the input)."""
        return self._by_id[task_id]

    @property
    def critical_path_titles(self) -> tuple[str, ...]:
        return tuple(self._by_id[task_id].title for task_id in self.critical_path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "totalDuration": self.total_duration,
            "criticalPath": list(self.critical_path),
            "criticalPathTitles": list(self.critical_path_titles),
            "tasks": [timing.to_dict() for timing in self.tasks],
        }


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class PlannedTask:
    """Where the plan puts one task. `late_by_minutes` is 0 when on time or without deadline."""

    id: str
    title: str
    status: str
    assignee: str | None
    planned_start: datetime
    planned_finish: datetime
    start_minute: int
    finish_minute: int
    slack: int
    is_critical: bool
    deadline: datetime | None
    late_by_minutes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "taskId": self.id,
            "title": self.title,
            "status": self.status,
            "assignee": self.assignee,
            "plannedStart": self.planned_start.isoformat(),
            "plannedFinish": self.planned_finish.isoformat(),
            "startMinute": self.start_minute,
            "finishMinute": self.finish_minute,
            "slack": self.slack,
            "isCritical": self.is_critical,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "lateByMinutes": self.late_by_minutes,
        }


@dataclass(frozen=True, slots=True)
class AtRiskTask:
    """A task the plan finishes after its deadline."""

    task_id: str
    title: str
    assignee: str | None
    deadline: datetime
    planned_finish: datetime
    late_by_minutes: int
    is_critical: bool

    @property
    def message(self) -> str:
        return f"late by {plural(self.late_by_minutes, 'minute')}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "taskId": self.task_id,
            "title": self.title,
            "assignee": self.assignee,
            "deadline": self.deadline.isoformat(),
            "plannedFinish": self.planned_finish.isoformat(),
            "lateByMinutes": self.late_by_minutes,
            "isCritical": self.is_critical,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two tasks of one assignee whose given windows overlap (a double-booking as planned).

    `task_ids` is (the booking that was already running, the one that starts inside it).
    """

    assignee: str
    task_ids: tuple[str, str]
    titles: tuple[str, str]
    overlap_start: datetime
    overlap_end: datetime

    @property
    def overlap_minutes(self) -> int:
        return -((self.overlap_start - self.overlap_end) // _MINUTE)

    @property
    def message(self) -> str:
        return (
            f"{self.assignee} is booked on {self.titles[0]} and {self.titles[1]} at once "
            f"for {format_minutes(self.overlap_minutes)}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "assignee": self.assignee,
            "taskIds": list(self.task_ids),
            "titles": list(self.titles),
            "overlapStart": self.overlap_start.isoformat(),
            "overlapEnd": self.overlap_end.isoformat(),
            "overlapMinutes": self.overlap_minutes,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Schedule:
    """A dependency- and assignee-respecting plan, its deadline misses and today's conflicts.

    `tasks` are in planned order (start, then input order); `at_risk` most late first;
    `conflicts` by overlap start.
    """

    start: datetime
    finish: datetime
    makespan_minutes: int
    tasks: tuple[PlannedTask, ...]
    at_risk: tuple[AtRiskTask, ...]
    conflicts: tuple[Conflict, ...]

    def plan_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "finish": self.finish.isoformat(),
            "makespanMinutes": self.makespan_minutes,
            "tasks": [task.to_dict() for task in self.tasks],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.plan_dict(),
            "atRisk": [task.to_dict() for task in self.at_risk],
            "conflicts": [conflict.to_dict() for conflict in self.conflicts],
        }


@dataclass(frozen=True, slots=True)
class EventsAnalysis:
    """Critical path and plan together (what the events endpoint returns)."""

    critical_path: CriticalPathResult
    schedule: Schedule

    @property
    def summary(self) -> str:
        cpm, plan = self.critical_path, self.schedule
        if not cpm.tasks:
            return "There are no tasks to schedule."
        late, booked = len(plan.at_risk), len(plan.conflicts)
        parts = [
            f"{plural(len(cpm.tasks), 'task')}; the remaining work takes at least "
            f"{format_minutes(cpm.total_duration)}, the plan "
            f"{format_minutes(plan.makespan_minutes)}"
        ]
        if cpm.critical_path:
            parts.append(f"critical path: {' → '.join(cpm.critical_path_titles)}")
        parts.append(f"{plural(late, 'task')} will miss {noun(late, 'its', 'their')} deadline")
        parts.append(plural(booked, "double-booking"))
        return "; ".join(parts) + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.critical_path.to_dict(),
            "schedule": self.schedule.plan_dict(),
            "atRisk": [task.to_dict() for task in self.schedule.at_risk],
            "conflicts": [conflict.to_dict() for conflict in self.schedule.conflicts],
            "summary": self.summary,
        }


def _critical_path(graph: TaskGraph) -> CriticalPathResult:
    order = topological_order(graph)
    n = len(graph.tasks)
    d = graph.durations
    es = [0] * n
    for i in order:
        finish = es[i] + d[i]
        for s in graph.succs[i]:
            if finish > es[s]:
                es[s] = finish
    total = max((es[i] + d[i] for i in range(n)), default=0)
    lf = [total] * n
    for i in reversed(order):
        start = lf[i] - d[i]
        for p in graph.preds[i]:
            if start < lf[p]:
                lf[p] = start

    slack = [lf[i] - d[i] - es[i] for i in range(n)]
    path: list[int] = []
    # One deterministic chain: from the first critical task (input order) with no
    # predecessors, always step to the first critical successor that starts as it ends.
    node = next((i for i in range(n) if slack[i] == 0 and not graph.preds[i]), None)
    while node is not None:
        path.append(node)
        finish = es[node] + d[node]
        node = next((s for s in graph.succs[node] if slack[s] == 0 and es[s] == finish), None)

    timings = tuple(
        TaskTiming(
            id=task.id,
            title=task.title,
            duration_minutes=d[i],
            earliest_start=es[i],
            earliest_finish=es[i] + d[i],
            latest_start=lf[i] - d[i],
            latest_finish=lf[i],
            slack=slack[i],
            is_critical=slack[i] == 0 and task.status != "done",
        )
        for i, task in enumerate(graph.tasks)
    )
    return CriticalPathResult(
        tasks=timings,
        critical_path=tuple(graph.tasks[i].id for i in path if graph.tasks[i].status != "done"),
        total_duration=total,
        topological_order=tuple(graph.tasks[i].id for i in order),
        _by_id={timing.id: timing for timing in timings},
    )


def critical_path(tasks: Sequence[TaskInput]) -> CriticalPathResult:
    """Critical path method: earliest and latest start and finish, slack, the critical path
    and the total duration, in minutes from the project start (earliest starts and
    assignees are the plan's business, not this one's).

    Raises DuplicateTaskError, UnknownDependencyError, or CycleError naming the cycle.
    Iterative (no recursion limit), O(n + e).
    """
    return _critical_path(task_graph(tasks))


def _minutes_after(start: datetime, moment: datetime) -> int:
    """Whole minutes from `start` to `moment`, rounded up (never start before `moment`)."""
    return -((start - moment) // _MINUTE)


def _plan(graph: TaskGraph, cpm: CriticalPathResult, start: datetime) -> Schedule:
    tasks, d = graph.tasks, graph.durations
    n = len(tasks)
    release = [
        0
        if task.status == "done" or task.earliest_start is None
        else max(0, _minutes_after(start, task.earliest_start))
        for task in tasks
    ]
    # A done task occupies nobody; it is placed (with no duration) as soon as it is free to.
    holder = [None if task.status == "done" else task.assignee for task in tasks]
    # Least slack first, where a deadline can take slack away: a task due before the project
    # would otherwise need it has only (deadline - earliest finish) minutes to spare.
    priority: list[tuple[int, int]] = []
    for task, timing in zip(tasks, cpm.tasks, strict=True):
        slack = timing.slack
        if task.deadline is not None and task.status != "done":
            due = (task.deadline - start) // _MINUTE
            slack = min(slack, due - timing.earliest_finish)
        priority.append((slack, timing.latest_start))

    begin = [0] * n
    waiting = [len(p) for p in graph.preds]
    busy: dict[str, bool] = {}
    queues: dict[str, list[tuple[int, int, int]]] = {}
    events: list[tuple[int, int, int, int]] = []  # (minute, sequence, kind, task)
    sequence = 0

    def push(minute: int, kind: int, i: int) -> None:
        nonlocal sequence
        heapq.heappush(events, (minute, sequence, kind, i))
        sequence += 1

    def begin_task(i: int, minute: int) -> None:
        begin[i] = minute
        person = holder[i]
        if person is not None:
            busy[person] = True
        push(minute + d[i], _FINISH, i)

    for i in range(n):
        if waiting[i] == 0:
            push(release[i], _RELEASE, i)

    while events:
        minute = events[0][0]
        touched: dict[str, None] = {}  # assignees to dispatch once this minute is settled
        while events and events[0][0] == minute:
            _, _, kind, i = heapq.heappop(events)
            if kind == _FINISH:
                person = holder[i]
                if person is not None:
                    busy[person] = False
                    touched[person] = None
                for s in graph.succs[i]:
                    waiting[s] -= 1
                    if waiting[s] == 0:
                        push(max(minute, release[s]), _RELEASE, s)
                continue
            person = holder[i]
            if person is None:
                begin_task(i, minute)  # unassigned work runs in parallel
            else:
                heapq.heappush(queues.setdefault(person, []), (*priority[i], i))
                touched[person] = None
        for person in touched:
            queue = queues.get(person)
            if queue and not busy.get(person, False):
                begin_task(heapq.heappop(queue)[2], minute)

    planned: list[PlannedTask] = []
    at_risk: list[AtRiskTask] = []
    for i in sorted(range(n), key=begin.__getitem__):  # stable: input order on a tie
        task, timing = tasks[i], cpm.tasks[i]
        planned_start = start + begin[i] * _MINUTE
        planned_finish = start + (begin[i] + d[i]) * _MINUTE
        late = 0
        if task.deadline is not None and task.status != "done" and planned_finish > task.deadline:
            late = _minutes_after(task.deadline, planned_finish)
            at_risk.append(
                AtRiskTask(
                    task.id,
                    task.title,
                    task.assignee,
                    task.deadline,
                    planned_finish,
                    late,
                    timing.is_critical,
                )
            )
        planned.append(
            PlannedTask(
                id=task.id,
                title=task.title,
                status=task.status,
                assignee=task.assignee,
                planned_start=planned_start,
                planned_finish=planned_finish,
                start_minute=begin[i],
                finish_minute=begin[i] + d[i],
                slack=timing.slack,
                is_critical=timing.is_critical,
                deadline=task.deadline,
                late_by_minutes=late,
            )
        )
    at_risk.sort(key=lambda a: (-a.late_by_minutes, graph.index[a.task_id]))
    makespan = max((p.finish_minute for p in planned), default=0)
    return Schedule(
        start=start,
        finish=start + makespan * _MINUTE,
        makespan_minutes=makespan,
        tasks=tuple(planned),
        at_risk=tuple(at_risk),
        conflicts=tuple(conflicts(tasks)),
    )


def conflicts(tasks: Sequence[TaskInput]) -> list[Conflict]:
    """Double-bookings in the plan as given: tasks of one assignee whose windows
    [earliest_start, earliest_start + duration) overlap. Tasks without an earliest start,
    unassigned, done or of zero duration book no time.

    Each task that starts inside an earlier booking of the same assignee is reported once,
    against the booking that runs latest, so the list is at most n - 1 long and O(n log n)
    to build. Ordered by overlap start, then assignee.
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


def plan_schedule(tasks: Sequence[TaskInput], *, start: datetime) -> Schedule:
    """A plan that starts every task as soon as its dependencies are finished, its earliest
    start has come and its assignee is free (one task at a time per assignee; unassigned
    tasks run in parallel). When an assignee has several tasks waiting, the one with the
    least slack goes first: its critical-path slack, or the minutes its deadline leaves after
    its earliest finish if that is less (then the earliest latest start, then input order).

    Returns planned start and finish per task, `at_risk` (planned finish after the deadline,
    with the minutes late) and `conflicts` (see `conflicts`). Raises what `critical_path`
    raises. Event-driven with heaps: O((n + e) log n).
    """
    graph = task_graph(tasks)
    return _plan(graph, _critical_path(graph), start)


def analyze_events(tasks: Sequence[TaskInput], *, start: datetime) -> EventsAnalysis:
    """Critical path and plan in one pass over the graph. Raises what `critical_path` raises."""
    graph = task_graph(tasks)
    cpm = _critical_path(graph)
    return EventsAnalysis(critical_path=cpm, schedule=_plan(graph, cpm, start))
