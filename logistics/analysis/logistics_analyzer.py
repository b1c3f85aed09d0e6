"""The logistics analyzer as the original `logistics-analyzer` function exposed it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from logistics.analysis.batching import batching
from logistics.analysis.blockers import blockers
from logistics.analysis.inputs import SampleInput
from logistics.analysis.readiness import readiness

# Bump when readiness, blockers or batching change what they return, so cached answers
# computed by the old code are never served.
ALGORITHM_VERSION = "2"  # 2: batching reads categories through the one synonym table

ANALYSIS_TYPES: tuple[str, ...] = ("readiness", "blockers", "batching", "all")
UNKNOWN_ANALYSIS_TYPE_MESSAGE = "analysisType must be one of {choices}, not {value!r}."


def analyze_logistics(
    samples: Sequence[SampleInput],
    analysis_type: str,
    *,
    now: datetime,
    minutes_per_item: Mapping[str, int] | None = None,
    setup_minutes: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The original wire shape: `{"readiness": …}`, `{"blockers": [...]}`, `{"batching": …}`,
    or all three keys for "all". Refuses any other analysis type with a ValueError
    (UNKNOWN_ANALYSIS_TYPE_MESSAGE), and bad batching overrides as `batching` does.
    """
    if analysis_type not in ANALYSIS_TYPES:
        raise ValueError(
            UNKNOWN_ANALYSIS_TYPE_MESSAGE.format(
                choices=", ".join(ANALYSIS_TYPES), value=analysis_type
            )
        )
    every = analysis_type == "all"
    result: dict[str, Any] = {}
    if every or analysis_type == "readiness":
        result["readiness"] = readiness(samples).to_dict()
    if every or analysis_type == "blockers":
        result["blockers"] = [blocker.to_dict() for blocker in blockers(samples, now=now)]
    if every or analysis_type == "batching":
        plan = batching(samples, minutes_per_item=minutes_per_item, setup_minutes=setup_minutes)
        result["batching"] = plan.to_dict()
    return result
