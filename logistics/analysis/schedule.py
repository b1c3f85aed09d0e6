"""The events optimizer's plan: a list-scheduling of the shoot tasks on the calendar from a
start datetime, honouring dependencies, each task's earliest start and one task at a time
per assignee, with the tasks that will miss their deadline.

Times inside are whole minutes. Like the critical path method (`critical_path`), it plans the
*remaining* work: a task that is done takes no time, and its earliest start and assignee no
longer matter. Done tasks are never at risk.

Refused input (each a `task_graph.ScheduleError`): two tasks with the same id, a dependency
on a task that is not in the input, and a dependency cycle (named, in order).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from logistics.analysis.conflicts import Conflict, conflicts
from logistics.analysis.critical_path import CriticalPathResult, graph_critical_path
from logistics.analysis.inputs import TaskInput
from logistics.analysis.task_graph import TaskGraph, task_graph

_MINUTE = timedelta(minutes=1)
_RELEASE, _FINISH = 0, 1


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class PlannedTask:
    """Where the plan puts one task, with its critical-path facts: `slack` in minutes,
    `is_critical` (on a zero-slack chain), its `assignee`, `deadline` and the ids it
    `depends_on`. `late_by_minutes` is 0 when on time or without deadline."""

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
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AtRiskTask:
    """A task the plan finishes after its deadline, by `late_by_minutes` (rounded up)."""

    task_id: str
    title: str
    assignee: str | None
    deadline: datetime
    planned_finish: datetime
    late_by_minutes: int
    is_critical: bool


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


def _minutes_after(start: datetime, moment: datetime) -> int:
    """Whole minutes from `start` to `moment`, rounded up (never start before `moment`)."""
    return -((start - moment) // _MINUTE)


def graph_plan(graph: TaskGraph, cpm: CriticalPathResult, start: datetime) -> Schedule:
    """The plan over a graph and its critical path already computed (see `plan_schedule`)."""
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
                depends_on=task.depends_on,
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
    return graph_plan(graph, graph_critical_path(graph), start)
