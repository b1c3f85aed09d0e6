"""Running the analyzers for a caller: inputs from a campaign (with the caller's permissions)
or inline lists, answers through the insight cache.

The analysis itself is pure (`logistics.analysis`); this module chooses the inputs, the clock
and the cache key. Analyses that depend on the time (blockers' delays, the schedule, rights
expiry) are computed against a clock rounded down to `CLOCK_STEP` and that clock is part of
the key, so a cached answer is exactly the answer a fresh computation would give.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from assistant.analysis_input import AnalysisInput, analysis_input_load
from assistant.cache import CacheResult, insight_cached
from assistant.events_words import events_report, schedule_error_details, schedule_error_message
from assistant.logistics_words import logistics_report
from assistant.media_words import media_report
from assistant.recommendations import recommendations_word
from fashionos.errors import InvalidInput
from fashionos.principals import Actor
from logistics.analysis import ALGORITHM_VERSIONS
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.logistics_analyzer import ANALYSIS_TYPES, analyze_logistics
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.recommendations import recommend
from logistics.analysis.task_graph import ScheduleError

CLOCK_STEP = timedelta(minutes=15)


def analysis_clock(now: datetime | None = None) -> datetime:
    """The clock analyses run against: now, rounded down to CLOCK_STEP."""
    now = now or timezone.now()
    step = int(CLOCK_STEP.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=now.tzinfo)


def schedule_error(error: ScheduleError) -> InvalidInput:
    """A task graph that cannot be scheduled, as a 400 that names the problem (the cycle's
    tasks, the unknown dependencies, the repeated ids)."""
    return InvalidInput(
        schedule_error_message(error), code=error.code, details=schedule_error_details(error)
    )


def logistics_analysis(*, actor: Actor, source: AnalysisInput, analysis_type: str) -> CacheResult:
    """The logistics analyzer (readiness, blockers, batching or all) for the caller."""
    if analysis_type not in ANALYSIS_TYPES:
        raise InvalidInput(
            f"analysisType must be one of {', '.join(ANALYSIS_TYPES)}.",
            details={"analysisType": [f"Must be one of {', '.join(ANALYSIS_TYPES)}."]},
        )
    clock = analysis_clock()
    return insight_cached(
        user=actor,
        insight_type=f"logistics_{analysis_type}",
        version=ALGORITHM_VERSIONS["logistics"],
        payload=source.key_payload(clock=clock, analysisType=analysis_type),
        compute=lambda: logistics_report(
            analyze_logistics(
                analysis_input_load(source, tables=("samples",)).samples, analysis_type, now=clock
            )
        ),
    )


def events_analysis(
    *, actor: Actor, source: AnalysisInput, start: datetime | None = None
) -> CacheResult:
    """Critical path, schedule, at-risk tasks and conflicts. A cycle is a 400 naming it."""
    clock = analysis_clock()
    start = start or clock

    def compute() -> dict[str, Any]:
        try:
            tasks = analysis_input_load(source, tables=("tasks",)).tasks
            return events_report(analyze_events(tasks, start=start))
        except ScheduleError as error:
            raise schedule_error(error) from None

    return insight_cached(
        user=actor,
        insight_type="events_schedule",
        version=ALGORITHM_VERSIONS["events"],
        payload=source.key_payload(clock=clock, start=start),
        compute=compute,
    )


def media_analysis(*, actor: Actor, source: AnalysisInput) -> CacheResult:
    """Scores, channel fit and coverage gaps of the assets."""
    clock = analysis_clock()

    def compute() -> dict[str, Any]:
        loaded = analysis_input_load(source, tables=("assets", "samples"))
        return media_report(
            score_assets(
                loaded.assets, samples=loaded.samples, shoot_date=loaded.shoot_date, now=clock
            )
        )

    return insight_cached(
        user=actor,
        insight_type="media_scores",
        version=ALGORITHM_VERSIONS["media"],
        payload=source.key_payload(clock=clock),
        compute=compute,
    )


def recommendations_analysis(*, actor: Actor, source: AnalysisInput) -> CacheResult:
    """The next actions across logistics, events and media, most severe first."""
    clock = analysis_clock()

    def compute() -> dict[str, Any]:
        loaded = analysis_input_load(source, tables=("samples", "tasks", "assets"))
        found = recommend(
            samples=loaded.samples,
            tasks=loaded.tasks,
            assets=loaded.assets,
            now=clock,
            shoot_date=loaded.shoot_date,
        )
        return {
            "campaignId": str(source.campaign.pk) if source.campaign else None,
            "recommendations": [item.to_dict() for item in recommendations_word(found)],
            "total": len(found),
        }

    return insight_cached(
        user=actor,
        insight_type="recommendations",
        version=ALGORITHM_VERSIONS["recommendations"],
        payload=source.key_payload(clock=clock),
        compute=compute,
    )
