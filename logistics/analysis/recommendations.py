"""Next actions for a campaign across the three kits, built on the other analyzers, as facts:
each a kit, a severity, a code (what kind of action, CODES), the subject it concerns (a
sample, task or asset id, a sample status, or none), a magnitude, and the facts the
assistant words it from (`assistant/recommendations.py` writes the title, the reason and the
frontend target; nothing here is English).

Ranking: by severity (critical, high, medium, low); within a severity, by kit in the order
work flows (logistics, then events, then media: samples must reach the set before tasks can
shoot them, and assets come out of the shoot); then by the kind of action in the order of
CODES (what unblocks the most comes first); then by magnitude, largest first (minutes late,
minutes double-booked, samples concerned, minutes saved; delayed samples keep the blockers'
order, by priority then name). The assistant breaks the remaining ties by its wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from logistics.analysis.batching import batching
from logistics.analysis.blockers import blockers
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.media_scores import (
    FLAG_RIGHTS_BEFORE_SHOOT,
    FLAG_RIGHTS_EXPIRED,
    FLAG_RIGHTS_SOON,
)
from logistics.analysis.readiness import readiness
from logistics.analysis.task_graph import (
    CycleError,
    DuplicateTaskError,
    ScheduleError,
    UnknownDependencyError,
)

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
    """One next action. `code` says what kind (CODES); `subject` what it concerns (the id of
    a sample, task or asset, a sample status, or None for the campaign as a whole);
    `magnitude` how much is at stake in that kind's own unit, used only to order actions of
    the same kind; `facts` the analyzer results the action is about (read-only)."""

    kit: Kit
    severity: Severity
    code: str
    subject: str | None = None
    magnitude: int = 0
    facts: dict[str, Any] = field(default_factory=dict, compare=False)

    def rank_key(self) -> tuple[int, int, int, int]:
        return (
            _SEVERITY_RANK[self.severity],
            _KIT_RANK[self.kit],
            _CODE_RANK[self.code],
            -self.magnitude,
        )


# The statuses of samples that are not ready, the action each calls for, and its severity
# (one level more urgent when the shoot is close).
AGGREGATED: tuple[tuple[str, str, Severity], ...] = (
    ("requested", "confirm_requested_samples", "medium"),
    ("arrived", "move_arrived_samples", "medium"),
    ("in_transit", "track_samples_in_transit", "low"),
    ("returned", "recall_returned_samples", "low"),
)


def _raise(severity: Severity, soon: bool) -> Severity:
    """One level more urgent when the shoot is close."""
    return SEVERITIES[max(0, _SEVERITY_RANK[severity] - 1)] if soon else severity


def _shoot_soon(now: datetime, shoot_date: date | None) -> bool:
    return shoot_date is not None and (shoot_date - now.date()).days <= SHOOT_SOON_DAYS


def _logistics(
    samples: Sequence[SampleInput], *, now: datetime, shoot_date: date | None
) -> list[Recommendation]:
    if not samples:
        return [Recommendation("logistics", "medium", "add_samples")]
    found: list[Recommendation] = []
    for rank, blocker in enumerate(blockers(samples, now=now)):
        found.append(
            Recommendation(
                "logistics",
                blocker.severity,
                "chase_hero_sample" if blocker.is_hero else "chase_priority_sample",
                blocker.sample_id,
                magnitude=-rank,  # keep the blockers' order: priority, then name
                facts={"blocker": blocker},
            )
        )

    ready = readiness(samples)
    missing: dict[str, list[SampleInput]] = {}
    for sample in ready.not_ready:  # hero first, then priority
        missing.setdefault(sample.status, []).append(sample)
    soon = _shoot_soon(now, shoot_date)
    for status, code, severity in AGGREGATED:
        group = missing.get(status, [])
        if group:
            found.append(
                Recommendation(
                    "logistics",
                    _raise(severity, soon),
                    code,
                    status,
                    magnitude=len(group),
                    facts={
                        "samples": group,
                        "readiness": ready,
                        "shoot_date": shoot_date if soon else None,
                    },
                )
            )

    plan = batching(samples)
    if plan.minutes_saved > 0:
        found.append(
            Recommendation(
                "logistics",
                "low",
                "batch_by_category",
                magnitude=plan.minutes_saved,
                facts={"plan": plan},
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
                "events", "critical", "dependency_cycle", error.cycle[0], facts={"error": error}
            )
        ]
    except UnknownDependencyError as error:
        first = next(iter(error.missing))
        return [
            Recommendation(
                "events",
                "critical",
                "unknown_dependency",
                first,
                magnitude=len(error.missing),
                facts={"error": error},
            )
        ]
    except DuplicateTaskError as error:
        return [
            Recommendation(
                "events", "critical", "duplicate_task", error.ids[0], facts={"error": error}
            )
        ]
    except ScheduleError as error:  # any future refusal still becomes an action, not a crash
        return [Recommendation("events", "critical", "invalid_schedule", facts={"error": error})]

    found: list[Recommendation] = []
    schedule = analysis.schedule
    for late in schedule.at_risk:
        found.append(
            Recommendation(
                "events",
                "critical" if late.is_critical else "high",
                "deadline_miss",
                late.task_id,
                magnitude=late.late_by_minutes,
                facts={"late": late},
            )
        )
    for conflict in schedule.conflicts:
        found.append(
            Recommendation(
                "events",
                "high",
                "double_booking",
                conflict.task_ids[1],
                magnitude=conflict.overlap_minutes,
                facts={"conflict": conflict},
            )
        )

    by_id = {task.id: task for task in tasks}
    for planned in schedule.tasks:
        task = by_id[planned.id]
        if task.status not in ("todo", "blocked"):
            continue
        dependencies_done = all(by_id[dep].status == "done" for dep in task.depends_on)
        facts = {"task": task, "planned": planned}
        if planned.is_critical and task.status == "todo" and planned.start_minute == 0:
            found.append(
                Recommendation(
                    "events",
                    "high",
                    "start_critical_task",
                    task.id,
                    magnitude=task.duration_minutes,
                    facts=facts,
                )
            )
        elif task.status == "blocked" and dependencies_done:
            critical = planned.is_critical
            found.append(
                Recommendation(
                    "events",
                    "high" if critical else "medium",
                    "unblock_critical_task" if critical else "unblock_task",
                    task.id,
                    magnitude=task.duration_minutes,
                    facts=facts,
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
        facts = {"asset": asset, "rights": asset.rights}
        if FLAG_RIGHTS_EXPIRED in asset.flags:
            found.append(
                Recommendation("media", "high", "rights_expired", asset.asset_id, facts=facts)
            )
        elif FLAG_RIGHTS_BEFORE_SHOOT in asset.flags:
            found.append(
                Recommendation(
                    "media", "high", "rights_expire_before_shoot", asset.asset_id, facts=facts
                )
            )
        elif FLAG_RIGHTS_SOON in asset.flags and asset.status == "approved":
            found.append(
                Recommendation(
                    "media", "medium", "rights_expiring_soon", asset.asset_id, facts=facts
                )
            )

    after_shoot = shoot_date is None or shoot_date <= now.date()
    for gap in analysis.coverage_gaps.hero_samples:
        candidate = (
            analysis.asset(gap.candidate_asset_id) if gap.candidate_asset_id is not None else None
        )
        found.append(
            Recommendation(
                "media",
                "high" if after_shoot else "medium",
                "hero_without_asset",
                facts={"gap": gap, "candidate": candidate, "after_shoot": after_shoot},
            )
        )
    for channel_gap in analysis.coverage_gaps.channels:
        closest = (
            analysis.asset(channel_gap.closest_asset_id) if channel_gap.closest_asset_id else None
        )
        found.append(
            Recommendation(
                "media",
                "medium",
                "channel_without_asset",
                facts={"gap": channel_gap, "closest": closest},
            )
        )
    if in_review:
        found.append(
            Recommendation(
                "media",
                "low",
                "review_assets",
                magnitude=len(in_review),
                facts={"titles": in_review},
            )
        )
    return found


def recommend(
    *,
    samples: Sequence[SampleInput],
    tasks: Sequence[TaskInput],
    assets: Sequence[AssetInput],
    now: datetime,
    shoot_date: date | None,
) -> list[Recommendation]:
    """The campaign's next actions across logistics, events and media, most urgent first
    (see the module docstring for the order; ties are left in the order they were found).

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
    return found
