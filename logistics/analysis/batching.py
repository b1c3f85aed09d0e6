"""Shooting batches: ready samples grouped by category so each set-up is built once.

Time model. Shooting a category needs a set-up (lighting, backdrop, mannequin or model
styling, lens) and then a fixed time per item. Shooting in arrival order rebuilds the set-up
every time the next sample's category differs from the previous one; batching builds each
category's set-up once. The time saved is exactly the set-up minutes avoided.

Default timings (minutes), for a still-life / on-model e-commerce and campaign set:

| category    | set-up | per item | why |
|-------------|-------:|---------:|-----|
| dresses     |     30 |       20 | full-length lighting, steaming, model styling |
| outerwear   |     30 |       25 | layering, volume, open and closed looks |
| knitwear    |     20 |       15 | texture lighting, folding or on-model |
| tops        |     20 |       12 | half-length set, quick changes |
| trousers    |     20 |       15 | full-length set, tucking and pinning |
| skirts      |     20 |       15 | full-length set |
| footwear    |     25 |       10 | low-angle tabletop, pairs and details |
| bags        |     25 |       12 | tabletop, stuffing, hardware details |
| jewellery   |     35 |       15 | macro lens, light tent, reflections |
| accessories |     25 |       10 | tabletop flat-lay |
| (any other) |     20 |       15 | DEFAULT_SETUP_MINUTES / DEFAULT_MINUTES_PER_ITEM |

Common spellings (jewelry, shoes, coats, sweaters, pants, handbags, …; the one table of
`categories.CATEGORY_SYNONYMS`) use the same timings.
Callers can override either table per category (keys compared case-insensitively).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logistics.analysis.categories import canonical_category, category_key, category_label
from logistics.analysis.inputs import READY_STATUSES, SampleInput

DEFAULT_SETUP_MINUTES = 20
DEFAULT_MINUTES_PER_ITEM = 15

# category key → (set-up minutes, minutes per item); see the module docstring.
CATEGORY_TIMINGS: dict[str, tuple[int, int]] = {
    "dresses": (30, 20),
    "outerwear": (30, 25),
    "knitwear": (20, 15),
    "tops": (20, 12),
    "trousers": (20, 15),
    "skirts": (20, 15),
    "footwear": (25, 10),
    "bags": (25, 12),
    "jewellery": (35, 15),
    "accessories": (25, 10),
}

INVALID_MINUTES = (
    "{table}[{category!r}] must be a non-negative whole number of minutes, not {value!r}."
)


@dataclass(frozen=True, slots=True)
class Batch:
    """One category set-up and the samples shot on it, in shooting order."""

    id: int
    category: str
    item_ids: tuple[str, ...]
    item_names: tuple[str, ...]
    hero_ids: tuple[str, ...]
    setup_minutes: int
    minutes_per_item: int
    estimated_minutes: int
    arrival_order_setups: int


@dataclass(frozen=True, slots=True)
class BatchingPlan:
    """The batches, in shooting order, and the time they save against arrival order."""

    batches: tuple[Batch, ...]
    total_items: int
    total_minutes: int
    arrival_order_minutes: int
    arrival_order_setups: int
    minutes_saved: int

    @property
    def total_batches(self) -> int:
        return len(self.batches)


def _checked(table: str, overrides: Mapping[str, int] | None) -> dict[str, int]:
    checked: dict[str, int] = {}
    for category, value in (overrides or {}).items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(INVALID_MINUTES.format(table=table, category=category, value=value))
        key = category_key(category)
        checked[canonical_category(key)] = value
    return checked


def _timing(key: str, items: Mapping[str, int], setups: Mapping[str, int]) -> tuple[int, int]:
    canonical = canonical_category(key)
    default_setup, default_item = CATEGORY_TIMINGS.get(
        canonical, (DEFAULT_SETUP_MINUTES, DEFAULT_MINUTES_PER_ITEM)
    )
    return setups.get(canonical, default_setup), items.get(canonical, default_item)


def category_timing(
    category: str | None,
    *,
    minutes_per_item: Mapping[str, int] | None = None,
    setup_minutes: Mapping[str, int] | None = None,
) -> tuple[int, int]:
    """(set-up minutes, minutes per item) for a category: override, then table, then default.

    Categories and override keys are compared case-insensitively and by their canonical
    spelling, so an override for "jewelry" applies to "Jewellery" and the other way round.
    Refuses a negative or non-integer override (ValueError).
    """
    return _timing(
        category_key(category),
        _checked("minutes_per_item", minutes_per_item),
        _checked("setup_minutes", setup_minutes),
    )


def _arrival_time(sample: SampleInput) -> float:
    # A float key sorts fast; the sort is stable, so equal times and samples without an
    # arrival time (last) keep their input order.
    return sample.arrived_at.timestamp() if sample.arrived_at is not None else math.inf


def batching(
    samples: Iterable[SampleInput],
    *,
    minutes_per_item: Mapping[str, int] | None = None,
    setup_minutes: Mapping[str, int] | None = None,
) -> BatchingPlan:
    """Group the ready samples (on set or shot) by category into shooting batches.

    Categories are compared case-insensitively; a missing or blank one is "Other". Batches
    that contain hero pieces come first, then by best priority, then by earliest arrival;
    within a batch: heroes, then priority, then arrival (arrived_at, else input order).
    Each batch costs its category's set-up plus a time per item (the module's table, an
    unknown category the defaults, or the caller's overrides). `minutes_saved` is the set-up
    time that shooting in arrival order would spend on its extra set-up changes.
    Refuses a negative or non-integer override (ValueError). O(n log n).
    """
    item_overrides = _checked("minutes_per_item", minutes_per_item)
    setup_overrides = _checked("setup_minutes", setup_minutes)

    ready = sorted((s for s in samples if s.status in READY_STATUSES), key=_arrival_time)

    # category key → its samples in arrival order (the first category to arrive first)
    groups: dict[str, list[SampleInput]] = {}
    first_arrival: dict[str, int] = {}
    setups_in_arrival_order: dict[str, int] = {}
    previous: str | None = None
    for position, sample in enumerate(ready):
        key = category_key(sample.category)
        if key not in groups:
            groups[key] = []
            first_arrival[key] = position
        groups[key].append(sample)
        if key != previous:
            setups_in_arrival_order[key] = setups_in_arrival_order.get(key, 0) + 1
            previous = key

    ordered: list[tuple[tuple[bool, int, int], str, list[SampleInput]]] = []
    for key, members in groups.items():
        # heroes, then priority; the stable sort keeps arrival order within those
        members.sort(key=lambda s: (0 if s.is_hero else 10) + s.priority)
        has_hero = members[0].is_hero
        best_priority = min(s.priority for s in members)
        ordered.append(((not has_hero, best_priority, first_arrival[key]), key, members))
    ordered.sort(key=lambda entry: entry[0])

    batches: list[Batch] = []
    total_minutes = arrival_minutes = 0
    for number, (_, key, members) in enumerate(ordered, start=1):
        setup, per_item = _timing(key, item_overrides, setup_overrides)
        count = len(members)
        minutes = setup + per_item * count
        arrival_setups = setups_in_arrival_order[key]
        total_minutes += minutes
        arrival_minutes += setup * arrival_setups + per_item * count
        heroes = tuple(s.id for s in members if s.is_hero)
        batches.append(
            Batch(
                id=number,
                category=category_label(key),
                item_ids=tuple(s.id for s in members),
                item_names=tuple(s.name for s in members),
                hero_ids=heroes,
                setup_minutes=setup,
                minutes_per_item=per_item,
                estimated_minutes=minutes,
                arrival_order_setups=arrival_setups,
            )
        )

    total_arrival_setups = sum(setups_in_arrival_order.values())
    saved = arrival_minutes - total_minutes
    return BatchingPlan(
        batches=tuple(batches),
        total_items=len(ready),
        total_minutes=total_minutes,
        arrival_order_minutes=arrival_minutes,
        arrival_order_setups=total_arrival_setups,
        minutes_saved=saved,
    )
