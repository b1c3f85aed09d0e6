"""The logistics analyzer as the original `logistics-analyzer` function offered it: readiness,
blockers and batching of a campaign's samples, one of them or all three. It returns the
facts; the assistant renders them in the original wire shape, words included
(`assistant/logistics_words.py`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from logistics.analysis.batching import BatchingPlan, batching
from logistics.analysis.blockers import Blocker, blockers
from logistics.analysis.inputs import SampleInput
from logistics.analysis.readiness import Readiness, readiness

# Bump when readiness, blockers or batching change what they return, so cached answers
# computed by the old code are never served.
ALGORITHM_VERSION = "2"  # 2: batching reads categories through the one synonym table

ANALYSIS_TYPES: tuple[str, ...] = ("readiness", "blockers", "batching", "all")
UNKNOWN_ANALYSIS_TYPE_MESSAGE = "analysisType must be one of {choices}, not {value!r}."


@dataclass(frozen=True, slots=True)
class LogisticsAnalysis:
    """What was asked for: each part is None unless the analysis type asked for it."""

    readiness: Readiness | None = None
    blockers: list[Blocker] | None = None
    batching: BatchingPlan | None = None


def analyze_logistics(
    samples: Sequence[SampleInput],
    analysis_type: str,
    *,
    now: datetime,
    minutes_per_item: Mapping[str, int] | None = None,
    setup_minutes: Mapping[str, int] | None = None,
) -> LogisticsAnalysis:
    """Readiness, blockers or batching for "readiness", "blockers" or "batching", all three
    for "all". Refuses any other analysis type with a ValueError
    (UNKNOWN_ANALYSIS_TYPE_MESSAGE), and bad batching overrides as `batching` does.
    """
    if analysis_type not in ANALYSIS_TYPES:
        raise ValueError(
            UNKNOWN_ANALYSIS_TYPE_MESSAGE.format(
                choices=", ".join(ANALYSIS_TYPES), value=analysis_type
            )
        )
    every = analysis_type == "all"
    return LogisticsAnalysis(
        readiness=readiness(samples) if every or analysis_type == "readiness" else None,
        blockers=blockers(samples, now=now) if every or analysis_type == "blockers" else None,
        batching=batching(samples, minutes_per_item=minutes_per_item, setup_minutes=setup_minutes)
        if every or analysis_type == "batching"
        else None,
    )
