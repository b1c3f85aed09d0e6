"""Pure analysis for the assistant: no Django, no I/O, linear or n log n.

Modules: `inputs` (what analyzers take); `readiness`, `blockers`, `batching` and
`logistics_analyzer` (the logistics analyzer); `task_graph` and `schedule` (the events
optimizer); `media_channels` (publishing channels and how an asset fits one), `media`
(asset scores) and `image_metrics` (pixel measurements, the only Pillow user);
`recommendations` (next actions across kits, as codes and subjects). Helpers: `rounding`
(half up), `wording` (durations, name lists), `ordering` (fast deterministic sorts).

ALGORITHM_VERSIONS gives the version of each analyzer family for cache keys; bump a
family's ALGORITHM_VERSION whenever its output changes. Recommendations are built on the
other three families, so their version carries all four.
"""

from __future__ import annotations

from logistics.analysis import logistics_analyzer, media, recommendations, schedule

ALGORITHM_VERSIONS: dict[str, str] = {
    "logistics": logistics_analyzer.ALGORITHM_VERSION,
    "events": schedule.ALGORITHM_VERSION,
    "media": media.ALGORITHM_VERSION,
    "recommendations": "-".join(
        (
            recommendations.ALGORITHM_VERSION,
            logistics_analyzer.ALGORITHM_VERSION,
            schedule.ALGORITHM_VERSION,
            media.ALGORITHM_VERSION,
        )
    ),
}
