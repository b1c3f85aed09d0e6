"""Blockers: delayed samples the shoot cannot do without (hero pieces and priority 1-2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from logistics.analysis.inputs import SampleInput
from logistics.analysis.ordering import rank_then_name
from logistics.analysis.wording import format_minutes

BLOCKING_PRIORITY = 2  # a delayed sample of priority 1 or 2 blocks the shoot even if not hero

HERO_IMPACT = "HERO ITEM missing - cannot shoot primary assets"
PRIORITY_IMPACT = "High-priority item delayed"
UNKNOWN_DELAY = "unknown"

BlockerSeverity = Literal["critical", "high"]
_SEVERITY_RANK = {"critical": 0, "high": 1}
_MINUTE = timedelta(minutes=1)


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class Blocker:
    """A delayed sample that blocks the shoot.

    `minutes_until_eta` is signed: positive while the ETA is ahead, negative once it has
    passed (the sample is overdue); None when the sample has no ETA.
    """

    sample_id: str
    name: str
    severity: BlockerSeverity
    impact: str
    estimated_delay: str
    minutes_until_eta: int | None
    is_hero: bool
    priority: int
    eta: datetime | None
    category: str | None
    designer: str
    courier: str
    tracking_number: str

    @property
    def is_overdue(self) -> bool:
        return self.minutes_until_eta is not None and self.minutes_until_eta < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "sampleId": self.sample_id,
            "name": self.name,
            "severity": self.severity,
            "impact": self.impact,
            "estimatedDelay": self.estimated_delay,
            "minutesUntilEta": self.minutes_until_eta,
            "overdue": self.is_overdue,
            "isHero": self.is_hero,
            "priority": self.priority,
            "eta": self.eta.isoformat() if self.eta else None,
            "category": self.category,
            "designer": self.designer,
            "courier": self.courier,
            "trackingNumber": self.tracking_number,
        }


def estimated_delay(eta: datetime | None, *, now: datetime) -> tuple[int | None, str]:
    """(signed minutes until the ETA, human text) for a delayed sample.

    ETA ahead: (270, "4h 30min"), the wait before it can be shot. ETA passed:
    (-135, "overdue by 2h 15min"). No ETA: (None, "unknown"). Whole minutes, rounded down.
    """
    if eta is None:
        return None, UNKNOWN_DELAY
    minutes = (eta - now) // _MINUTE
    if minutes >= 0:
        return minutes, format_minutes(minutes)
    return minutes, f"overdue by {format_minutes(-minutes)}"


def is_blocking(sample: SampleInput) -> bool:
    """Delayed, and hero or priority ≤ 2."""
    return sample.status == "delayed" and (sample.is_hero or sample.priority <= BLOCKING_PRIORITY)


def blockers(samples: Iterable[SampleInput], *, now: datetime) -> list[Blocker]:
    """The delayed samples that block the shoot: hero pieces (critical) and priority 1-2 (high).

    Each carries the original impact text and an estimated delay computed from its ETA
    relative to `now` ("unknown" without an ETA). Sorted critical first, then by priority,
    then by name (then id, so equal names stay in a fixed order). O(n + k log k) for k blockers.
    """
    found: list[Blocker] = []
    for sample in samples:
        if not is_blocking(sample):
            continue
        minutes, text = estimated_delay(sample.eta, now=now)
        found.append(
            Blocker(
                sample_id=sample.id,
                name=sample.name,
                severity="critical" if sample.is_hero else "high",
                impact=HERO_IMPACT if sample.is_hero else PRIORITY_IMPACT,
                estimated_delay=text,
                minutes_until_eta=minutes,
                is_hero=sample.is_hero,
                priority=sample.priority,
                eta=sample.eta,
                category=sample.category,
                designer=sample.designer,
                courier=sample.courier,
                tracking_number=sample.tracking_number,
            )
        )
    return rank_then_name(
        found,
        rank=lambda b: _SEVERITY_RANK[b.severity] * 10 + b.priority,
        name=lambda b: b.name,
        ident=lambda b: b.sample_id,
    )
