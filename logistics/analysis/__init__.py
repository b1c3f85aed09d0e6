"""Pure analysis for the assistant: no Django, no I/O, linear or n log n.

Modules: `inputs` (what analyzers take); `readiness`, `blockers`, `batching` and
`logistics_analyzer` (the logistics analyzer); `task_graph`, `critical_path`, `schedule`
(the plan and its deadline misses), `conflicts` (double-bookings) and `events_analyzer` (the
events optimizer); `media_channels` (publishing channels and how an asset fits one),
`media_scores` (one asset's score), `media_analyzer` (the media scorer: ranking and coverage
gaps) and `image_metrics` (pixel measurements, the only Pillow user); `recommendations`
(next actions across kits, as codes and subjects). Helpers: `rounding`
(half up), `ordering` (fast deterministic sorts). Nothing here is English: the assistant
words the facts (`assistant/*_words.py`).

ALGORITHM_VERSIONS gives the version of each analyzer family for cache keys; bump a
family's ALGORITHM_VERSION whenever its output changes. Recommendations are built on the
other three families, so their version carries all four.
"""

from __future__ import annotations

from logistics.analysis import events_analyzer, logistics_analyzer, media_analyzer, recommendations

ALGORITHM_VERSIONS: dict[str, str] = {
    "logistics": logistics_analyzer.ALGORITHM_VERSION,
    "events": events_analyzer.ALGORITHM_VERSION,
    "media": media_analyzer.ALGORITHM_VERSION,
    "recommendations": "-".join(
        (
            recommendations.ALGORITHM_VERSION,
            logistics_analyzer.ALGORITHM_VERSION,
            events_analyzer.ALGORITHM_VERSION,
            media_analyzer.ALGORITHM_VERSION,
        )
    ),
}
