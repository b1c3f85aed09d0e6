"""Finding a cycle in a task dependency graph (iteratively, so a long chain cannot hit
Python's recursion limit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable


def dependency_cycle(edges: Iterable[tuple[Hashable, Hashable]]) -> list[Hashable]:
    """Return one cycle as `[a, b, …, a]` for edges `(task, depends_on)`, or `[]` if the graph
    has none. Linear in the number of edges."""
    graph: dict[Hashable, list[Hashable]] = defaultdict(list)
    for task, depends_on in edges:
        graph[task].append(depends_on)

    white, grey, black = 0, 1, 2
    colour: dict[Hashable, int] = defaultdict(int)
    for root in list(graph):
        if colour[root] != white:
            continue
        path: list[Hashable] = [root]
        iterators = [iter(graph[root])]
        colour[root] = grey
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iterators.pop()
                continue
            if colour[nxt] == grey:
                start = path.index(nxt)
                return [*path[start:], nxt]
            if colour[nxt] == white:
                colour[nxt] = grey
                path.append(nxt)
                iterators.append(iter(graph.get(nxt, ())))
    return []
