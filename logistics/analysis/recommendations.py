"""Next actions for a campaign across the three kits, built on the other analyzers.

Ranking: by severity (critical, high, medium, low); within a severity, by kit in the order
work flows (logistics, then events, then media: samples must reach the set before tasks can
shoot them, and assets come out of the shoot); then by the kind of action in the order of
CODES (what unblocks the most comes first); then by magnitude, largest first (minutes late,
minutes double-booked, samples concerned, minutes saved; delayed samples keep the blockers'
order, by priority then name); then by title and target, so the order is total.

Targets tell the frontend where the action lives:
`sample-tracker:<sample id>`, `sample-tracker:<status>` (delayed, requested, in_transit,
arrived, returned), `sample-tracker:batching`, `event-schedule:<task id>`,
`media-library:<asset id>`, `media-library:coverage`, `media-library:in_review`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from logistics.analysis.batching import batching
from logistics.analysis.blockers import blockers
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput
from logistics.analysis.media import (
    FLAG_RIGHTS_BEFORE_SHOOT,
    FLAG_RIGHTS_EXPIRED,
    FLAG_RIGHTS_SOON,
    HeroGap,
    MediaAnalysis,
    score_assets,
)
from logistics.analysis.readiness import readiness
from logistics.analysis.schedule import (
    CycleError,
    DuplicateTaskError,
    ScheduleError,
    UnknownDependencyError,
    analyze_events,
)
from logistics.analysis.wording import NAMES_SHOWN, format_minutes, name_list, plural

ALGORITHM_VERSION = "1"

Severity = Literal["critical", "high", "medium", "low"]
Kit = Literal["logistics", "events", "media"]

SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
KITS: tuple[Kit, ...] = ("logistics", "events", "media")
SHOOT_SOON_DAYS = 2  # within this many days of the shoot, sample chasing is raised a level

CODES: tuple[str, ...] = (
    # logistics
    "chase_hero_sample",
    "chase_priority_sample",
    "confirm_requested_samples",
    "move_arrived_samples",
    "track_samples_in_transit",
    "recall_returned_samples",
    "add_samples",
    "batch_by_category",
    # events
    "dependency_cycle",
    "unknown_dependency",
    "duplicate_task",
    "invalid_schedule",
    "deadline_miss",
    "double_booking",
    "start_critical_task",
    "unblock_critical_task",
    "unblock_task",
    # media
    "rights_expired",
    "rights_expire_before_shoot",
    "hero_without_asset",
    "channel_without_asset",
    "rights_expiring_soon",
    "review_assets",
)
_CODE_RANK = {code: rank for rank, code in enumerate(CODES)}
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_KIT_RANK = {kit: rank for rank, kit in enumerate(KITS)}


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One next action. `code` says what kind (CODES); `magnitude` how much is at stake in
    that kind's own unit, used only to order actions of the same kind."""

    kit: Kit
    severity: Severity
    title: str
    reason: str
    target: str
    code: str
    magnitude: int = 0

    def rank_key(self) -> tuple[int, int, int, int, str, str]:
        return (
            _SEVERITY_RANK[self.severity],
            _KIT_RANK[self.kit],
            _CODE_RANK[self.code],
            -self.magnitude,
            self.title,
            self.target,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kit": self.kit,
            "severity": self.severity,
            "title": self.title,
            "reason": self.reason,
            "target": self.target,
            "code": self.code,
        }


def _raise(severity: Severity, soon: bool) -> Severity:
    """One level more urgent when the shoot is close."""
    return SEVERITIES[max(0, _SEVERITY_RANK[severity] - 1)] if soon else severity


def _shoot_soon(now: datetime, shoot_date: date | None) -> bool:
    return shoot_date is not None and (shoot_date - now.date()).days <= SHOOT_SOON_DAYS


def _logistics(
    samples: Sequence[SampleInput], *, now: datetime, shoot_date: date | None
) -> list[Recommendation]:
    if not samples:
        return [
            Recommendation(
                "logistics",
                "medium",
                "Add the campaign's samples",
                "There are no samples yet, so readiness and blockers cannot be tracked.",
                "sample-tracker",
                "add_samples",
            )
        ]
    found: list[Recommendation] = []
    for rank, blocker in enumerate(blockers(samples, now=now)):
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
            eta = blocker.estimated_delay  # "overdue by 3h"
        else:
            eta = f"expected in {blocker.estimated_delay}"
        kind = "hero sample" if blocker.is_hero else f"priority {blocker.priority} sample"
        found.append(
            Recommendation(
                "logistics",
                blocker.severity,
                f"Chase delayed {kind} {blocker.name}"
                + (f" with {blocker.courier}" if blocker.courier else ""),
                f"{blocker.impact}; {eta}" + (f"; {shipping}." if shipping else "."),
                f"sample-tracker:{blocker.sample_id}",
                "chase_hero_sample" if blocker.is_hero else "chase_priority_sample",
                magnitude=-rank,  # keep the blockers' order: priority, then name
            )
        )

    ready = readiness(samples)
    missing: dict[str, list[SampleInput]] = {}
    for sample in ready.not_ready:  # hero first, then priority
        missing.setdefault(sample.status, []).append(sample)
    soon = _shoot_soon(now, shoot_date)
    when = f" The shoot is on {shoot_date.isoformat()}." if soon and shoot_date else ""

    def names(group: list[SampleInput]) -> str:
        shown = group[:NAMES_SHOWN]
        return name_list(
            [f"{s.name} (hero)" if s.is_hero else s.name for s in shown], total=len(group)
        )

    aggregated: tuple[tuple[str, str, Severity, str, str], ...] = (
        ("requested", "confirm_requested_samples", "medium", "Confirm {samples} still only "
         "requested", "Not yet shipped by the designers"),
        ("arrived", "move_arrived_samples", "medium", "Move {samples} from arrivals to set",
         "Arrived but not on set, so not ready"),
        ("in_transit", "track_samples_in_transit", "low", "Track {samples} in transit",
         "On the way"),
        ("returned", "recall_returned_samples", "low", "Call back {samples} if still needed",
         "Already sent back"),
    )  # fmt: skip
    for status, code, severity, title, state in aggregated:
        group = missing.get(status, [])
        if group:
            found.append(
                Recommendation(
                    "logistics",
                    _raise(severity, soon),
                    title.format(samples=plural(len(group), "sample")),
                    f"{state}: {names(group)}. {ready.message}{when}",
                    f"sample-tracker:{status}",
                    code,
                    magnitude=len(group),
                )
            )

    plan = batching(samples)
    if plan.minutes_saved > 0:
        found.append(
            Recommendation(
                "logistics",
                "low",
                f"Shoot in {plural(plan.total_batches, 'category batch', 'category batches')} "
                f"to save {plan.estimated_time_savings}",
                plan.rationale,
                "sample-tracker:batching",
                "batch_by_category",
                magnitude=plan.minutes_saved,
            )
        )
    return found


def _events(tasks: Sequence[TaskInput], *, now: datetime) -> list[Recommendation]:
    if not tasks:
        return []
    try:
        analysis = analyze_events(tasks, start=now)
    except CycleError as error:
        return [
            Recommendation(
                "events",
                "critical",
                f"Break the dependency cycle {' → '.join(error.titles)}",
                f"{error.message} No schedule or critical path can be computed until one of "
                "these dependencies is removed.",
                f"event-schedule:{error.cycle[0]}",
                "dependency_cycle",
            )
        ]
    except UnknownDependencyError as error:
        first = next(iter(error.missing))
        return [
            Recommendation(
                "events",
                "critical",
                f"Fix {plural(len(error.missing), 'task')} depending on missing tasks",
                error.message,
                f"event-schedule:{first}",
                "unknown_dependency",
                magnitude=len(error.missing),
            )
        ]
    except DuplicateTaskError as error:
        return [
            Recommendation(
                "events",
                "critical",
                "Remove duplicate tasks",
                error.message,
                f"event-schedule:{error.ids[0]}",
                "duplicate_task",
            )
        ]
    except ScheduleError as error:  # any future refusal still becomes an action, not a crash
        return [
            Recommendation("events", "critical", "Fix the task schedule", error.message,
                           "event-schedule", "invalid_schedule")
        ]  # fmt: skip

    found: list[Recommendation] = []
    schedule = analysis.schedule
    for late in schedule.at_risk:
        found.append(
            Recommendation(
                "events",
                "critical" if late.is_critical else "high",
                f"{late.title} will miss its deadline by {plural(late.late_by_minutes, 'minute')}",
                f"Planned to finish {late.planned_finish.isoformat(timespec='minutes')}, "
                f"deadline {late.deadline.isoformat(timespec='minutes')}"
                + ("; it is on the critical path." if late.is_critical else "."),
                f"event-schedule:{late.task_id}",
                "deadline_miss",
                magnitude=late.late_by_minutes,
            )
        )
    for conflict in schedule.conflicts:
        found.append(
            Recommendation(
                "events",
                "high",
                f"{conflict.assignee} is double-booked on {conflict.titles[0]} and "
                f"{conflict.titles[1]}",
                f"{conflict.message}, from {conflict.overlap_start.isoformat(timespec='minutes')}.",
                f"event-schedule:{conflict.task_ids[1]}",
                "double_booking",
                magnitude=conflict.overlap_minutes,
            )
        )

    by_id = {task.id: task for task in tasks}
    for planned in schedule.tasks:
        task = by_id[planned.id]
        if task.status not in ("todo", "blocked"):
            continue
        dependencies_done = all(by_id[dep].status == "done" for dep in task.depends_on)
        if planned.is_critical and task.status == "todo" and planned.start_minute == 0:
            found.append(
                Recommendation(
                    "events",
                    "high",
                    f"Start {task.title} now",
                    "It is on the critical path (no slack): any delay moves the end of the "
                    f"shoot. It takes {format_minutes(task.duration_minutes)}"
                    + (f", assigned to {task.assignee}." if task.assignee else "."),
                    f"event-schedule:{task.id}",
                    "start_critical_task",
                    magnitude=task.duration_minutes,
                )
            )
        elif task.status == "blocked" and dependencies_done:
            critical = planned.is_critical
            found.append(
                Recommendation(
                    "events",
                    "high" if critical else "medium",
                    f"Unblock {task.title}",
                    "Its dependencies are done but it is marked blocked; "
                    + (
                        "it is on the critical path."
                        if critical
                        else f"it has {format_minutes(planned.slack)} of slack."
                    ),
                    f"event-schedule:{task.id}",
                    "unblock_critical_task" if critical else "unblock_task",
                    magnitude=task.duration_minutes,
                )
            )
    return found


def _media(
    assets: Sequence[AssetInput],
    *,
    samples: Sequence[SampleInput],
    now: datetime,
    shoot_date: date | None,
) -> list[Recommendation]:
    analysis = score_assets(assets, samples=samples, shoot_date=shoot_date, now=now)
    found: list[Recommendation] = []
    in_review: list[str] = []
    for asset in analysis.ranking:
        if asset.status == "in_review":
            in_review.append(asset.title)
        if asset.status == "rejected":
            continue
        rights = next(c for c in asset.breakdown if c.name == "rights")
        target = f"media-library:{asset.asset_id}"
        if FLAG_RIGHTS_EXPIRED in asset.flags:
            found.append(
                Recommendation(
                    "media", "high", f"Rights for {asset.title} have expired",
                    f"{rights.note[:1].upper()}{rights.note[1:]}: renew them or take the "
                    "asset off its channels.",
                    target, "rights_expired",
                )
            )  # fmt: skip
        elif FLAG_RIGHTS_BEFORE_SHOOT in asset.flags:
            found.append(
                Recommendation(
                    "media", "high", f"Rights for {asset.title} expire before the shoot",
                    f"{rights.note[:1].upper()}{rights.note[1:]}: renew them first.",
                    target, "rights_expire_before_shoot",
                )
            )  # fmt: skip
        elif FLAG_RIGHTS_SOON in asset.flags and asset.status == "approved":
            found.append(
                Recommendation(
                    "media", "medium", f"Rights for {asset.title} expire soon",
                    f"{rights.note[:1].upper()}{rights.note[1:]}.", target, "rights_expiring_soon",
                )
            )  # fmt: skip

    after_shoot = shoot_date is None or shoot_date <= now.date()
    for gap in analysis.coverage_gaps.hero_samples:
        found.append(
            Recommendation(
                "media",
                "high" if after_shoot else "medium",
                f"Hero sample {gap.name} has no approved asset",
                gap.message + " " + _hero_gap_advice(gap, analysis, after_shoot=after_shoot),
                "media-library:coverage",
                "hero_without_asset",
            )
        )
    for channel_gap in analysis.coverage_gaps.channels:
        closest = (
            f" Closest candidate: {analysis.asset(channel_gap.closest_asset_id).title}."
            if channel_gap.closest_asset_id
            else ""
        )
        found.append(
            Recommendation(
                "media",
                "medium",
                f"No approved asset fits {channel_gap.label}",
                channel_gap.message + closest,
                "media-library:coverage",
                "channel_without_asset",
            )
        )
    if in_review:
        found.append(
            Recommendation(
                "media",
                "low",
                f"Review {plural(len(in_review), 'asset')} waiting for approval",
                f"In review: {name_list(in_review)}. Approved assets score higher and close "
                "coverage gaps.",
                "media-library:in_review",
                "review_assets",
                magnitude=len(in_review),
            )
        )
    return found


def _hero_gap_advice(gap: HeroGap, analysis: MediaAnalysis, *, after_shoot: bool) -> str:
    if gap.candidate_asset_id is not None:
        asset = analysis.asset(gap.candidate_asset_id)
        return f"{asset.title} ({asset.status.replace('_', ' ')}) features it: approve it."
    if after_shoot:
        return "No asset features it yet: upload or shoot one."
    return "No asset features it yet: plan a shot of it."


def recommend(
    *,
    samples: Sequence[SampleInput],
    tasks: Sequence[TaskInput],
    assets: Sequence[AssetInput],
    now: datetime,
    shoot_date: date | None,
    limit: int | None = None,
) -> list[Recommendation]:
    """The campaign's next actions across logistics, events and media, most urgent first
    (see the module docstring for the order), at most `limit` of them.

    Built on blockers, readiness, batching, the events optimizer (planned from `now`) and
    the media scorer. A task graph the optimizer refuses (a cycle, a missing or duplicate
    task) becomes one critical action naming the problem; nothing here raises for it.
    """
    found = [
        *_logistics(samples, now=now, shoot_date=shoot_date),
        *_events(tasks, now=now),
        *_media(assets, samples=samples, now=now, shoot_date=shoot_date),
    ]
    found.sort(key=Recommendation.rank_key)
    return found[:limit]
