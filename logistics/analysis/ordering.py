"""Sorting many result rows quickly and deterministically.

CPython sorts a list whose keys are all plain `str`, `int` or `float` with specialised
comparisons, several times faster than with tuple keys, which compare element by element
through the generic protocol. So an order "by rank, then by name, then by id" is built as
two stable sorts: by a single string (name, then id), then by the integer rank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def rank_then_name(
    items: Iterable[T],
    *,
    rank: Callable[[T], int],
    name: Callable[[T], str],
    ident: Callable[[T], str],
) -> list[T]:
    """`items` ordered by `rank` (ascending), then by `name` case-insensitively, then by
    `ident`: the same order as sorted(key=(rank, name.casefold(), ident)). O(n log n)."""
    ordered = sorted(items, key=lambda item: f"{name(item).casefold()}\x00{ident(item)}")
    ordered.sort(key=rank)
    return ordered
