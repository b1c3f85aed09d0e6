"""The critical path method over the task graph: earliest and latest start and finish, slack,
one critical path and the total duration, in whole minutes from the project start.

It plans the *remaining* work: a task that is done takes no time (its dependencies still
apply, which in consistent data are done too) and is never on the critical path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from logistics.analysis.inputs import TaskInput
from logistics.analysis.task_graph import TaskGraph, task_graph, topological_order


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


def graph_critical_path(graph: TaskGraph) -> CriticalPathResult:
    """The critical path method over a graph already built (see `critical_path`)."""
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
    return graph_critical_path(task_graph(tasks))
