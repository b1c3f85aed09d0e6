"""Campaign readiness: how many samples are on set or shot, and what to do about the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from logistics.analysis.inputs import READY_STATUSES, SAMPLE_STATUSES, SampleInput
from logistics.analysis.ordering import rank_then_name
from logistics.analysis.rounding import percent_half_up
from logistics.analysis.wording import NAMES_SHOWN, name_list, noun, plural

# Status thresholds on the rounded percentage, highest first.
THRESHOLDS: tuple[tuple[int, str], ...] = ((90, "excellent"), (80, "good"), (70, "acceptable"))
BELOW_THRESHOLDS = "critical"
EMPTY = "empty"  # no samples at all: nothing can be shot, but nothing is "late" either
READINESS_STATUSES: tuple[str, ...] = ("excellent", "good", "acceptable", "critical", EMPTY)
RECOMMEND_BELOW = 80  # recommendations are given when the percentage is below this

EMPTY_MESSAGE = "Campaign has no samples yet, so there is nothing to shoot."
EMPTY_RECOMMENDATION = (
    "Add the campaign's samples (call them in from the designers) to track readiness."
)


def not_ready_dict(sample: SampleInput) -> dict[str, Any]:
    """How a sample that is not ready is listed in `notReady`."""
    return {
        "sampleId": sample.id,
        "name": sample.name,
        "status": sample.status,
        "isHero": sample.is_hero,
        "priority": sample.priority,
    }


@dataclass(frozen=True, slots=True)
class Readiness:
    """The readiness of a campaign's samples.

    `overall_percentage` is ready / total rounded half up; `status` is one of
    READINESS_STATUSES; `not_ready` lists hero pieces first, then by priority and name.
    """

    overall_percentage: int
    status: str
    message: str
    recommendations: tuple[str, ...]
    total: int
    ready: int
    counts_by_status: dict[str, int]
    not_ready: tuple[SampleInput, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overallPercentage": self.overall_percentage,
            "status": self.status,
            "message": self.message,
            "recommendations": list(self.recommendations),
            "totalSamples": self.total,
            "readySamples": self.ready,
            "countsByStatus": dict(self.counts_by_status),
            "notReady": [not_ready_dict(sample) for sample in self.not_ready],
        }


def readiness_status(percentage: int) -> str:
    """excellent ≥ 90, good ≥ 80, acceptable ≥ 70, else critical."""
    for threshold, status in THRESHOLDS:
        if percentage >= threshold:
            return status
    return BELOW_THRESHOLDS


def _importance(sample: SampleInput) -> int:
    """Hero pieces first, then by priority (1 first)."""
    return (0 if sample.is_hero else 10) + sample.priority


def _label(sample: SampleInput, *extra: str) -> str:
    details = [part for part in ("hero" if sample.is_hero else "", *extra) if part]
    return f"{sample.name} ({', '.join(details)})" if details else sample.name


def _shipping(sample: SampleInput) -> str:
    if sample.courier and sample.tracking_number:
        return f"{sample.courier} {sample.tracking_number}"
    return sample.courier or (
        f"tracking {sample.tracking_number}" if sample.tracking_number else ""
    )


def _names(group: list[SampleInput], *details: Callable[[SampleInput], str]) -> str:
    labels = [_label(s, *(detail(s) for detail in details)) for s in group[:NAMES_SHOWN]]
    return name_list(labels, total=len(group))


def _recommendations(by_status: dict[str, list[SampleInput]]) -> list[str]:
    """Concrete next steps, one per kind of missing sample, naming the samples concerned."""
    advice: list[str] = []
    delayed = by_status["delayed"]
    heroes = [s for s in delayed if s.is_hero]
    others = [s for s in delayed if not s.is_hero]
    if heroes:
        names = _names(heroes, _shipping)
        advice.append(f"Chase the delayed hero {noun(len(heroes), 'piece')}: {names}.")
    if others:
        other = "other " if heroes else ""
        names = _names(others, _shipping)
        advice.append(f"Chase {len(others)} {other}delayed {noun(len(others), 'sample')}: {names}.")
    requested = by_status["requested"]
    if requested:
        advice.append(
            f"Confirm {plural(len(requested), 'sample')} still only requested with the "
            f"designers: {_names(requested, lambda s: s.designer)}."
        )
    in_transit = by_status["in_transit"]
    if in_transit:
        names = _names(in_transit, _shipping)
        advice.append(f"Track {plural(len(in_transit), 'sample')} in transit: {names}.")
    arrived = by_status["arrived"]
    if arrived:
        advice.append(f"Move {plural(len(arrived), 'arrived sample')} to set: {_names(arrived)}.")
    returned = by_status["returned"]
    if returned:
        advice.append(
            f"Call back {plural(len(returned), 'returned sample')} if still needed for the "
            f"shoot: {_names(returned)}."
        )
    return advice


def readiness(samples: Iterable[SampleInput]) -> Readiness:
    """How ready the campaign is: the share of samples on set or shot (READY_STATUSES).

    Returns the percentage rounded half up (1 of 8 → 13), its status (excellent ≥ 90,
    good ≥ 80, acceptable ≥ 70, else critical), a message, counts by status, the samples not
    ready (hero first) and, below 80 %, recommendations naming the samples to chase, confirm,
    track or move. No samples at all gives status "empty" with 0 %, never a division error.
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
            message=EMPTY_MESSAGE,
            recommendations=(EMPTY_RECOMMENDATION,),
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
    advice: tuple[str, ...] = ()
    if percentage < RECOMMEND_BELOW:
        missing: dict[str, list[SampleInput]] = {status: [] for status in SAMPLE_STATUSES}
        for sample in not_ready:  # regrouped in importance order: advice names heroes first
            missing[sample.status].append(sample)
        advice = tuple(_recommendations(missing))
    message = (
        f"Campaign is {percentage}% ready: {ready} of {plural(total, 'sample')} on set or shot."
    )
    return Readiness(
        overall_percentage=percentage,
        status=readiness_status(percentage),
        message=message,
        recommendations=advice,
        total=total,
        ready=ready,
        counts_by_status=counts,
        not_ready=tuple(not_ready),
    )
