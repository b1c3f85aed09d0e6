"""Blockers: delayed samples the shoot cannot do without (hero pieces and priority 1-2), with
the minutes until (or past) their ETA; the assistant words them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from logistics.analysis.inputs import SampleInput
from logistics.analysis.ordering import rank_then_name

BLOCKING_PRIORITY = 2  # a delayed sample of priority 1 or 2 blocks the shoot even if not hero

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


def minutes_until(eta: datetime | None, *, now: datetime) -> int | None:
    """Signed whole minutes from `now` to the ETA, rounded down: positive while it is ahead,
    negative once it has passed; None without an ETA."""
    return None if eta is None else (eta - now) // _MINUTE


def is_blocking(sample: SampleInput) -> bool:
    """Delayed, and hero or priority ≤ 2."""
    return sample.status == "delayed" and (sample.is_hero or sample.priority <= BLOCKING_PRIORITY)


def blockers(samples: Iterable[SampleInput], *, now: datetime) -> list[Blocker]:
    """The delayed samples that block the shoot: hero pieces (critical) and priority 1-2 (high).

    Each carries the signed minutes until its ETA relative to `now` (None without an ETA).
    Sorted critical first, then by priority,
    then by name (then id, so equal names stay in a fixed order). O(n + k log k) for k blockers.
    """
    found: list[Blocker] = []
    for sample in samples:
        if not is_blocking(sample):
            continue
        found.append(
            Blocker(
                sample_id=sample.id,
                name=sample.name,
                severity="critical" if sample.is_hero else "high",
                minutes_until_eta=minutes_until(sample.eta, now=now),
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
