"""Campaign readiness: how many samples are on set or shot, and what to do about the rest, as
facts (percentages, counts, the samples concerned and a code per piece of advice); the
assistant words them (`assistant/logistics_words.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from logistics.analysis.inputs import READY_STATUSES, SAMPLE_STATUSES, SampleInput
from logistics.analysis.ordering import rank_then_name
from logistics.analysis.rounding import percent_half_up

# Status thresholds on the rounded percentage, highest first.
THRESHOLDS: tuple[tuple[int, str], ...] = ((90, "excellent"), (80, "good"), (70, "acceptable"))
BELOW_THRESHOLDS = "critical"
EMPTY = "empty"  # no samples at all: nothing can be shot, but nothing is "late" either
READINESS_STATUSES: tuple[str, ...] = ("excellent", "good", "acceptable", "critical", EMPTY)
RECOMMEND_BELOW = 80  # recommendations are given when the percentage is below this

# Advice, in the order it is given: what to do about the samples that are not ready.
ADVICE_CHASE_DELAYED_HEROES = "chase_delayed_heroes"
ADVICE_CHASE_DELAYED = "chase_delayed"
ADVICE_CONFIRM_REQUESTED = "confirm_requested"
ADVICE_TRACK_IN_TRANSIT = "track_in_transit"
ADVICE_MOVE_ARRIVED = "move_arrived"
ADVICE_RECALL_RETURNED = "recall_returned"
ADVICE_ADD_SAMPLES = "add_samples"  # a campaign with no samples at all


@dataclass(frozen=True, slots=True)
class Advice:
    """One next step: `code` (one of the ADVICE_ codes) and the samples it concerns, most
    important first (hero pieces, then priority)."""

    code: str
    samples: tuple[SampleInput, ...] = ()


@dataclass(frozen=True, slots=True)
class Readiness:
    """The readiness of a campaign's samples.

    `overall_percentage` is ready / total rounded half up; `status` is one of
    READINESS_STATUSES; `not_ready` lists hero pieces first, then by priority and name.
    """

    overall_percentage: int
    status: str
    advice: tuple[Advice, ...]
    total: int
    ready: int
    counts_by_status: dict[str, int]
    not_ready: tuple[SampleInput, ...]


def readiness_status(percentage: int) -> str:
    """excellent ≥ 90, good ≥ 80, acceptable ≥ 70, else critical."""
    for threshold, status in THRESHOLDS:
        if percentage >= threshold:
            return status
    return BELOW_THRESHOLDS


def _importance(sample: SampleInput) -> int:
    """Hero pieces first, then by priority (1 first)."""
    return (0 if sample.is_hero else 10) + sample.priority


def _advice(by_status: dict[str, list[SampleInput]]) -> list[Advice]:
    """One piece of advice per kind of missing sample, naming the samples concerned."""
    delayed = by_status["delayed"]
    groups = (
        (ADVICE_CHASE_DELAYED_HEROES, [s for s in delayed if s.is_hero]),
        (ADVICE_CHASE_DELAYED, [s for s in delayed if not s.is_hero]),
        (ADVICE_CONFIRM_REQUESTED, by_status["requested"]),
        (ADVICE_TRACK_IN_TRANSIT, by_status["in_transit"]),
        (ADVICE_MOVE_ARRIVED, by_status["arrived"]),
        (ADVICE_RECALL_RETURNED, by_status["returned"]),
    )
    return [Advice(code, tuple(samples)) for code, samples in groups if samples]


def readiness(samples: Iterable[SampleInput]) -> Readiness:
    """How ready the campaign is: the share of samples on set or shot (READY_STATUSES).

    Returns the percentage rounded half up (1 of 8 → 13), its status (excellent ≥ 90,
    good ≥ 80, acceptable ≥ 70, else critical), counts by status, the samples not ready
    (hero first) and, below 80 %, advice naming the samples to chase, confirm, track or move.
    No samples at all gives status "empty" with 0 % and the advice to add samples, never a
    division error.
    O(n log n) (sorting the samples that are not ready).
    """
    by_status: dict[str, list[SampleInput]] = {status: [] for status in SAMPLE_STATUSES}
    for sample in samples:
        by_status[sample.status].append(sample)
    counts = {status: len(group) for status, group in by_status.items()}
    total = sum(counts.values())
    ready = sum(counts[status] for status in READY_STATUSES)

    if total == 0:
        return Readiness(
            overall_percentage=0,
            status=EMPTY,
            advice=(Advice(ADVICE_ADD_SAMPLES),),
            total=0,
            ready=0,
            counts_by_status=counts,
            not_ready=(),
        )

    not_ready = rank_then_name(
        (s for status, group in by_status.items() if status not in READY_STATUSES for s in group),
        rank=_importance,
        name=lambda s: s.name,
        ident=lambda s: s.id,
    )
    percentage = percent_half_up(ready, total)
    advice: tuple[Advice, ...] = ()
    if percentage < RECOMMEND_BELOW:
        missing: dict[str, list[SampleInput]] = {status: [] for status in SAMPLE_STATUSES}
        for sample in not_ready:  # regrouped in importance order: advice names heroes first
            missing[sample.status].append(sample)
        advice = tuple(_advice(missing))
    return Readiness(
        overall_percentage=percentage,
        status=readiness_status(percentage),
        advice=advice,
        total=total,
        ready=ready,
        counts_by_status=counts,
        not_ready=tuple(not_ready),
    )
