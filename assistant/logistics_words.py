"""The logistics analyzer's facts in words and in the original wire shape: readiness (its
message and advice), blockers (impact and estimated delay) and batching (the rationale of
each batch and of the plan). `logistics.analysis` computes; this module writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.wording import NAMES_SHOWN, format_minutes, name_list, noun, plural
from logistics.analysis.batching import Batch, BatchingPlan
from logistics.analysis.blockers import Blocker
from logistics.analysis.inputs import SampleInput
from logistics.analysis.logistics_analyzer import LogisticsAnalysis
from logistics.analysis.readiness import (
    ADVICE_ADD_SAMPLES,
    ADVICE_CHASE_DELAYED,
    ADVICE_CHASE_DELAYED_HEROES,
    ADVICE_CONFIRM_REQUESTED,
    ADVICE_MOVE_ARRIVED,
    ADVICE_RECALL_RETURNED,
    ADVICE_TRACK_IN_TRANSIT,
    Readiness,
)

EMPTY_MESSAGE = "Campaign has no samples yet, so there is nothing to shoot."
EMPTY_RECOMMENDATION = (
    "Add the campaign's samples (call them in from the designers) to track readiness."
)
HERO_IMPACT = "HERO ITEM missing - cannot shoot primary assets"
PRIORITY_IMPACT = "High-priority item delayed"
UNKNOWN_DELAY = "unknown"
NOTHING_TO_BATCH = "No samples are on set or shot yet, so there is nothing to batch."


# --- Readiness -------------------------------------------------------------------------------


def _label(sample: SampleInput, *extra: str) -> str:
    details = [part for part in ("hero" if sample.is_hero else "", *extra) if part]
    return f"{sample.name} ({', '.join(details)})" if details else sample.name


def _shipping(sample: SampleInput) -> str:
    if sample.courier and sample.tracking_number:
        return f"{sample.courier} {sample.tracking_number}"
    return sample.courier or (
        f"tracking {sample.tracking_number}" if sample.tracking_number else ""
    )


def _names(group: tuple[SampleInput, ...], *details: Callable[[SampleInput], str]) -> str:
    labels = [_label(s, *(detail(s) for detail in details)) for s in group[:NAMES_SHOWN]]
    return name_list(labels, total=len(group))


def readiness_message(result: Readiness) -> str:
    """ "Campaign is 38% ready: 3 of 8 samples on set or shot." """
    if result.total == 0:
        return EMPTY_MESSAGE
    return (
        f"Campaign is {result.overall_percentage}% ready: {result.ready} of "
        f"{plural(result.total, 'sample')} on set or shot."
    )


def readiness_advice(result: Readiness) -> list[str]:
    """The advice as sentences naming the samples to chase, confirm, track or move."""
    codes = {advice.code for advice in result.advice}
    sentences = []
    for advice in result.advice:
        group, count = advice.samples, len(advice.samples)
        if advice.code == ADVICE_ADD_SAMPLES:
            sentences.append(EMPTY_RECOMMENDATION)
        elif advice.code == ADVICE_CHASE_DELAYED_HEROES:
            names = _names(group, _shipping)
            sentences.append(f"Chase the delayed hero {noun(count, 'piece')}: {names}.")
        elif advice.code == ADVICE_CHASE_DELAYED:
            other = "other " if ADVICE_CHASE_DELAYED_HEROES in codes else ""
            names = _names(group, _shipping)
            sentences.append(f"Chase {count} {other}delayed {noun(count, 'sample')}: {names}.")
        elif advice.code == ADVICE_CONFIRM_REQUESTED:
            sentences.append(
                f"Confirm {plural(count, 'sample')} still only requested with the designers: "
                f"{_names(group, lambda s: s.designer)}."
            )
        elif advice.code == ADVICE_TRACK_IN_TRANSIT:
            names = _names(group, _shipping)
            sentences.append(f"Track {plural(count, 'sample')} in transit: {names}.")
        elif advice.code == ADVICE_MOVE_ARRIVED:
            sentences.append(f"Move {plural(count, 'arrived sample')} to set: {_names(group)}.")
        elif advice.code == ADVICE_RECALL_RETURNED:
            sentences.append(
                f"Call back {plural(count, 'returned sample')} if still needed for the shoot: "
                f"{_names(group)}."
            )
    return sentences


def not_ready_dict(sample: SampleInput) -> dict[str, Any]:
    """How a sample that is not ready is listed in `notReady`."""
    return {
        "sampleId": sample.id,
        "name": sample.name,
        "status": sample.status,
        "isHero": sample.is_hero,
        "priority": sample.priority,
    }


def readiness_dict(result: Readiness) -> dict[str, Any]:
    """Readiness in the original wire shape."""
    return {
        "overallPercentage": result.overall_percentage,
        "status": result.status,
        "message": readiness_message(result),
        "recommendations": readiness_advice(result),
        "totalSamples": result.total,
        "readySamples": result.ready,
        "countsByStatus": dict(result.counts_by_status),
        "notReady": [not_ready_dict(sample) for sample in result.not_ready],
    }


# --- Blockers --------------------------------------------------------------------------------


def blocker_impact(blocker: Blocker) -> str:
    """The original impact text: a hero piece stops the primary assets."""
    return HERO_IMPACT if blocker.is_hero else PRIORITY_IMPACT


def blocker_delay(blocker: Blocker) -> str:
    """The wait before the sample can be shot: "4h 30min", "overdue by 2h 15min", or
    "unknown" without an ETA."""
    minutes = blocker.minutes_until_eta
    if minutes is None:
        return UNKNOWN_DELAY
    if minutes >= 0:
        return format_minutes(minutes)
    return f"overdue by {format_minutes(-minutes)}"


def blocker_dict(blocker: Blocker) -> dict[str, Any]:
    """A blocker in the original wire shape."""
    return {
        "sampleId": blocker.sample_id,
        "name": blocker.name,
        "severity": blocker.severity,
        "impact": blocker_impact(blocker),
        "estimatedDelay": blocker_delay(blocker),
        "minutesUntilEta": blocker.minutes_until_eta,
        "overdue": blocker.is_overdue,
        "isHero": blocker.is_hero,
        "priority": blocker.priority,
        "eta": blocker.eta.isoformat() if blocker.eta else None,
        "category": blocker.category,
        "designer": blocker.designer,
        "courier": blocker.courier,
        "trackingNumber": blocker.tracking_number,
    }


# --- Batching --------------------------------------------------------------------------------


def batch_rationale(batch: Batch) -> str:
    """Why the batch is shot as it is, and what arrival order would cost."""
    heroes = len(batch.hero_ids)
    hero_note = f", {plural(heroes, 'hero piece')} first" if heroes else ""
    text = (
        f"Shoot {plural(len(batch.item_ids), 'item')} of {batch.category} on one "
        f"{batch.setup_minutes}-minute set-up{hero_note}, {batch.minutes_per_item} minutes "
        "per item."
    )
    if batch.arrival_order_setups > 1:
        saved = batch.setup_minutes * (batch.arrival_order_setups - 1)
        text += (
            f" Arrival order would build this set-up {batch.arrival_order_setups} times "
            f"({format_minutes(saved)} more)."
        )
    return text


def plan_savings(plan: BatchingPlan) -> str:
    """The time saved against arrival order: "45min"."""
    return format_minutes(plan.minutes_saved)


def plan_rationale(plan: BatchingPlan) -> str:
    """The plan in one sentence: batches against arrival-order set-ups, and the time saved."""
    items, batches = plan.total_items, plan.total_batches
    if items == 0:
        return NOTHING_TO_BATCH
    text = (
        f"{plural(items, 'ready sample')} in {plural(batches, 'batch', 'batches')}: "
        f"{batches} {noun(batches, 'set-up')} instead of {plan.arrival_order_setups} in "
        "arrival order"
    )
    if plan.minutes_saved:
        return f"{text}, saving {plan_savings(plan)}."
    return f"{text}, so batching saves no time."


def batch_dict(batch: Batch) -> dict[str, Any]:
    """A batch in the original wire shape."""
    return {
        "id": batch.id,
        "category": batch.category,
        "items": list(batch.item_ids),
        "itemNames": list(batch.item_names),
        "heroItems": list(batch.hero_ids),
        "setupMinutes": batch.setup_minutes,
        "minutesPerItem": batch.minutes_per_item,
        "estimatedTime": batch.estimated_minutes,
        "arrivalOrderSetups": batch.arrival_order_setups,
        "rationale": batch_rationale(batch),
    }


def plan_dict(plan: BatchingPlan) -> dict[str, Any]:
    """A batching plan in the original wire shape."""
    return {
        "totalBatches": plan.total_batches,
        "totalItems": plan.total_items,
        "totalMinutes": plan.total_minutes,
        "arrivalOrderMinutes": plan.arrival_order_minutes,
        "arrivalOrderSetups": plan.arrival_order_setups,
        "estimatedTimeSavings": plan_savings(plan),
        "minutesSaved": plan.minutes_saved,
        "rationale": plan_rationale(plan),
        "batches": [batch_dict(batch) for batch in plan.batches],
    }


def logistics_report(analysis: LogisticsAnalysis) -> dict[str, Any]:
    """The logistics analyzer's answer in the original wire shape: `{"readiness": …}`,
    `{"blockers": [...]}`, `{"batching": …}`, or all three keys."""
    report: dict[str, Any] = {}
    if analysis.readiness is not None:
        report["readiness"] = readiness_dict(analysis.readiness)
    if analysis.blockers is not None:
        report["blockers"] = [blocker_dict(blocker) for blocker in analysis.blockers]
    if analysis.batching is not None:
        report["batching"] = plan_dict(analysis.batching)
    return report
