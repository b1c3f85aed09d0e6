"""The next actions (`logistics.analysis.recommendations`) in words: a title, a reason and
the frontend target of each, in the order the analysis ranked them, with ties broken by the
title and the target, so the order is total."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import targets
from assistant.events_words import conflict_message, schedule_error_message
from assistant.logistics_words import (
    blocker_delay,
    blocker_impact,
    plan_rationale,
    plan_savings,
    readiness_message,
)
from assistant.media_words import (
    channel_gap_message,
    channel_label,
    hero_gap_message,
    rights_note,
)
from assistant.wording import NAMES_SHOWN, format_minutes, name_list, plural
from logistics.analysis.inputs import SampleInput
from logistics.analysis.recommendations import Recommendation


@dataclass(frozen=True, slots=True)
class WordedRecommendation:
    """A next action as the assistant shows it."""

    kit: str
    severity: str
    title: str
    reason: str
    target: str
    code: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kit": self.kit,
            "severity": self.severity,
            "title": self.title,
            "reason": self.reason,
            "target": self.target,
            "code": self.code,
        }


def _names(group: list[SampleInput]) -> str:
    shown = group[:NAMES_SHOWN]
    return name_list([f"{s.name} (hero)" if s.is_hero else s.name for s in shown], total=len(group))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Logistics -------------------------------------------------------------------------------


def _add_samples(rec: Recommendation) -> tuple[str, str]:
    return (
        "Add the campaign's samples",
        "There are no samples yet, so readiness and blockers cannot be tracked.",
    )


def _chase(rec: Recommendation) -> tuple[str, str]:
    blocker = rec.facts["blocker"]
    shipping = ", ".join(
        part
        for part in (
            blocker.courier and f"courier {blocker.courier}",
            blocker.tracking_number and f"tracking {blocker.tracking_number}",
        )
        if part
    )
    if blocker.minutes_until_eta is None:
        eta = "no ETA on record"
    elif blocker.is_overdue:
        eta = blocker_delay(blocker)  # "overdue by 3h"
    else:
        eta = f"expected in {blocker_delay(blocker)}"
    kind = "hero sample" if blocker.is_hero else f"priority {blocker.priority} sample"
    title = f"Chase delayed {kind} {blocker.name}" + (
        f" with {blocker.courier}" if blocker.courier else ""
    )
    return title, f"{blocker_impact(blocker)}; {eta}" + (f"; {shipping}." if shipping else ".")


# code → (title with {samples}, what the samples' state is)
_AGGREGATED_WORDS: dict[str, tuple[str, str]] = {
    "confirm_requested_samples": (
        "Confirm {samples} still only requested",
        "Not yet shipped by the designers",
    ),
    "move_arrived_samples": (
        "Move {samples} from arrivals to set",
        "Arrived but not on set, so not ready",
    ),
    "track_samples_in_transit": ("Track {samples} in transit", "On the way"),
    "recall_returned_samples": ("Call back {samples} if still needed", "Already sent back"),
}


def _aggregated(rec: Recommendation) -> tuple[str, str]:
    title, state = _AGGREGATED_WORDS[rec.code]
    group = rec.facts["samples"]
    shoot_date = rec.facts["shoot_date"]
    when = f" The shoot is on {shoot_date.isoformat()}." if shoot_date else ""
    return (
        title.format(samples=plural(len(group), "sample")),
        f"{state}: {_names(group)}. {readiness_message(rec.facts['readiness'])}{when}",
    )


def _batch(rec: Recommendation) -> tuple[str, str]:
    plan = rec.facts["plan"]
    title = (
        f"Shoot in {plural(plan.total_batches, 'category batch', 'category batches')} "
        f"to save {plan_savings(plan)}"
    )
    return title, plan_rationale(plan)


# --- Events ----------------------------------------------------------------------------------


def _cycle(rec: Recommendation) -> tuple[str, str]:
    error = rec.facts["error"]
    return (
        f"Break the dependency cycle {' → '.join(error.titles)}",
        f"{schedule_error_message(error)} No schedule or critical path can be computed until "
        "one of these dependencies is removed.",
    )


def _unknown_dependency(rec: Recommendation) -> tuple[str, str]:
    error = rec.facts["error"]
    return (
        f"Fix {plural(len(error.missing), 'task')} depending on missing tasks",
        schedule_error_message(error),
    )


def _duplicate(rec: Recommendation) -> tuple[str, str]:
    return "Remove duplicate tasks", schedule_error_message(rec.facts["error"])


def _invalid_schedule(rec: Recommendation) -> tuple[str, str]:
    return "Fix the task schedule", schedule_error_message(rec.facts["error"])


def _deadline_miss(rec: Recommendation) -> tuple[str, str]:
    late = rec.facts["late"]
    return (
        f"{late.title} will miss its deadline by {plural(late.late_by_minutes, 'minute')}",
        f"Planned to finish {late.planned_finish.isoformat(timespec='minutes')}, "
        f"deadline {late.deadline.isoformat(timespec='minutes')}"
        + ("; it is on the critical path." if late.is_critical else "."),
    )


def _double_booking(rec: Recommendation) -> tuple[str, str]:
    conflict = rec.facts["conflict"]
    return (
        f"{conflict.assignee} is double-booked on {conflict.titles[0]} and {conflict.titles[1]}",
        f"{conflict_message(conflict)}, "
        f"from {conflict.overlap_start.isoformat(timespec='minutes')}.",
    )


def _start_critical(rec: Recommendation) -> tuple[str, str]:
    task = rec.facts["task"]
    return (
        f"Start {task.title} now",
        "It is on the critical path (no slack): any delay moves the end of the shoot. It "
        f"takes {format_minutes(task.duration_minutes)}"
        + (f", assigned to {task.assignee}." if task.assignee else "."),
    )


def _unblock(rec: Recommendation) -> tuple[str, str]:
    task, planned = rec.facts["task"], rec.facts["planned"]
    return (
        f"Unblock {task.title}",
        "Its dependencies are done but it is marked blocked; "
        + (
            "it is on the critical path."
            if planned.is_critical
            else f"it has {format_minutes(planned.slack)} of slack."
        ),
    )


# --- Media -----------------------------------------------------------------------------------


def _rights_expired(rec: Recommendation) -> tuple[str, str]:
    note = _capital(rights_note(rec.facts["rights"]))
    return (
        f"Rights for {rec.facts['asset'].title} have expired",
        f"{note}: renew them or take the asset off its channels.",
    )


def _rights_before_shoot(rec: Recommendation) -> tuple[str, str]:
    note = _capital(rights_note(rec.facts["rights"]))
    return (
        f"Rights for {rec.facts['asset'].title} expire before the shoot",
        f"{note}: renew them first.",
    )


def _rights_soon(rec: Recommendation) -> tuple[str, str]:
    return (
        f"Rights for {rec.facts['asset'].title} expire soon",
        f"{_capital(rights_note(rec.facts['rights']))}.",
    )


def _hero_without_asset(rec: Recommendation) -> tuple[str, str]:
    gap, candidate = rec.facts["gap"], rec.facts["candidate"]
    if candidate is not None:
        advice = (
            f"{candidate.title} ({candidate.status.replace('_', ' ')}) features it: approve it."
        )
    elif rec.facts["after_shoot"]:
        advice = "No asset features it yet: upload or shoot one."
    else:
        advice = "No asset features it yet: plan a shot of it."
    return f"Hero sample {gap.name} has no approved asset", f"{hero_gap_message(gap)} {advice}"


def _channel_without_asset(rec: Recommendation) -> tuple[str, str]:
    gap, closest = rec.facts["gap"], rec.facts["closest"]
    hint = f" Closest candidate: {closest.title}." if closest is not None else ""
    return f"No approved asset fits {channel_label(gap.channel)}", channel_gap_message(gap) + hint


def _review(rec: Recommendation) -> tuple[str, str]:
    titles = rec.facts["titles"]
    return (
        f"Review {plural(len(titles), 'asset')} waiting for approval",
        f"In review: {name_list(titles)}. Approved assets score higher and close coverage gaps.",
    )


# code → (its words, its target from the subject)
_WORDS: dict[str, tuple[Callable[[Recommendation], tuple[str, str]], Callable[[Any], str]]] = {
    "chase_hero_sample": (_chase, targets.sample),
    "chase_priority_sample": (_chase, targets.sample),
    "confirm_requested_samples": (_aggregated, targets.samples_with_status),
    "move_arrived_samples": (_aggregated, targets.samples_with_status),
    "track_samples_in_transit": (_aggregated, targets.samples_with_status),
    "recall_returned_samples": (_aggregated, targets.samples_with_status),
    "add_samples": (_add_samples, lambda _: targets.SAMPLE_TRACKER),
    "batch_by_category": (_batch, lambda _: targets.SAMPLES_BATCHING),
    "dependency_cycle": (_cycle, targets.task),
    "unknown_dependency": (_unknown_dependency, targets.task),
    "duplicate_task": (_duplicate, targets.task),
    "invalid_schedule": (_invalid_schedule, lambda _: targets.EVENT_SCHEDULE),
    "deadline_miss": (_deadline_miss, targets.task),
    "double_booking": (_double_booking, targets.task),
    "start_critical_task": (_start_critical, targets.task),
    "unblock_critical_task": (_unblock, targets.task),
    "unblock_task": (_unblock, targets.task),
    "rights_expired": (_rights_expired, targets.asset),
    "rights_expire_before_shoot": (_rights_before_shoot, targets.asset),
    "hero_without_asset": (_hero_without_asset, lambda _: targets.MEDIA_COVERAGE),
    "channel_without_asset": (_channel_without_asset, lambda _: targets.MEDIA_COVERAGE),
    "rights_expiring_soon": (_rights_soon, targets.asset),
    "review_assets": (_review, lambda _: targets.MEDIA_IN_REVIEW),
}


def recommendation_word(rec: Recommendation) -> WordedRecommendation:
    """One action in words, with its frontend target."""
    words, target = _WORDS[rec.code]
    title, reason = words(rec)
    return WordedRecommendation(rec.kit, rec.severity, title, reason, target(rec.subject), rec.code)


def recommendations_word(
    found: Sequence[Recommendation], *, limit: int | None = None
) -> list[WordedRecommendation]:
    """The actions in words, in the analysis' order with ties broken by title then target (a
    total order), at most `limit` of them."""
    worded = sorted(
        ((rec.rank_key(), recommendation_word(rec)) for rec in found),
        key=lambda pair: (pair[0], pair[1].title, pair[1].target),
    )
    return [item for _, item in worded][:limit]
