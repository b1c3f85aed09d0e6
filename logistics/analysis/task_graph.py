"""The task graph behind the events optimizer: nodes, edges, topological order, and the
errors that make a set of tasks unschedulable.

Each error is a `ScheduleError`: a ValueError with a machine `code` and the ids concerned (the
cycle in order, the unknown dependencies, the repeated ids). The assistant words them
(`assistant/events_words.py`) and maps them to a 400 that names the problem.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from logistics.analysis.inputs import TaskInput


class ScheduleError(ValueError):
    """A task graph that cannot be scheduled; `code` says why, the subclass carries the ids."""

    code = "INVALID_SCHEDULE"


class CycleError(ScheduleError):
    """The dependencies loop. `cycle` lists task ids in dependency order, first id repeated
    last (["a", "b", "a"]: a must finish before b, which must finish before a); `titles`
    are the same tasks' titles."""

    code = "DEPENDENCY_CYCLE"

    def __init__(self, cycle: list[str], titles: list[str] | None = None) -> None:
        self.cycle = cycle
        self.titles = titles if titles is not None else list(cycle)
        super().__init__(self.code, cycle)


class UnknownDependencyError(ScheduleError):
    """Tasks depend on ids that are not in the input. `missing` maps task id → unknown ids."""

    code = "UNKNOWN_DEPENDENCY"

    def __init__(self, missing: dict[str, list[str]]) -> None:
        self.missing = missing
        super().__init__(self.code, missing)


class DuplicateTaskError(ScheduleError):
    """Two or more tasks share an id. `ids` are the repeated ids, in input order."""

    code = "DUPLICATE_TASK"

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        super().__init__(self.code, ids)


@dataclass(slots=True)
class TaskGraph:
    """Tasks as integer nodes: `preds[i]`/`succs[i]` list the tasks i waits for / that wait
    for i; `durations` are the remaining minutes (0 once done)."""

    tasks: Sequence[TaskInput]
    index: dict[str, int]
    preds: list[list[int]]
    succs: list[list[int]]
    durations: list[int]


def task_graph(tasks: Sequence[TaskInput]) -> TaskGraph:
    """The dependency graph of `tasks`. Raises DuplicateTaskError or UnknownDependencyError
    (every missing id at once). O(n + e)."""
    index: dict[str, int] = {}
    duplicates: list[str] = []
    for i, task in enumerate(tasks):
        if task.id in index:
            duplicates.append(task.id)
        index[task.id] = i
    if duplicates:
        raise DuplicateTaskError(list(dict.fromkeys(duplicates)))

    preds: list[list[int]] = [[] for _ in tasks]
    succs: list[list[int]] = [[] for _ in tasks]
    missing: dict[str, list[str]] = {}
    for i, task in enumerate(tasks):
        for dep in dict.fromkeys(task.depends_on):  # a repeated dependency counts once
            j = index.get(dep)
            if j is None:
                missing.setdefault(task.id, []).append(dep)
            else:
                preds[i].append(j)
                succs[j].append(i)
    if missing:
        raise UnknownDependencyError(missing)
    durations = [0 if task.status == "done" else task.duration_minutes for task in tasks]
    return TaskGraph(tasks, index, preds, succs, durations)


def topological_order(graph: TaskGraph) -> list[int]:
    """Kahn's algorithm; on a cycle, raise CycleError naming one actual cycle."""
    n = len(graph.tasks)
    waiting = [len(p) for p in graph.preds]
    queue = deque(i for i in range(n) if waiting[i] == 0)
    order: list[int] = []
    while queue:
        i = queue.popleft()
        order.append(i)
        for s in graph.succs[i]:
            waiting[s] -= 1
            if waiting[s] == 0:
                queue.append(s)
    if len(order) < n:
        raise _cycle_error(graph, waiting)
    return order


def _cycle_error(graph: TaskGraph, waiting: list[int]) -> CycleError:
    # Every task Kahn could not order still waits on a predecessor that was not ordered either,
    # so walking back along such predecessors must revisit a task: that loop is a cycle.
    start = next(i for i, count in enumerate(waiting) if count > 0)
    seen_at: dict[int, int] = {}
    walk: list[int] = []
    node = start
    while node not in seen_at:
        seen_at[node] = len(walk)
        walk.append(node)
        node = next(p for p in graph.preds[node] if waiting[p] > 0)
    loop = walk[seen_at[node] :]
    loop.reverse()  # walked against the dependencies; show them in the order they must run
    first = loop.index(min(loop))  # start from the task that comes first in the input
    loop = loop[first:] + loop[:first]
    loop.append(loop[0])
    return CycleError([graph.tasks[i].id for i in loop], [graph.tasks[i].title for i in loop])
