"""Running the analyzers for a caller: inputs from a campaign (with the caller's permissions)
or inline lists, answers through the insight cache.

The analysis itself is pure (`logistics.analysis`); this module chooses the inputs, the clock
and the cache key. Analyses that depend on the time (blockers' delays, the schedule, rights
expiry) are computed against a clock rounded down to `CLOCK_STEP` and that clock is part of
the key, so a cached answer is exactly the answer a fresh computation would give.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from assistant.cache import CacheResult, insight_cached
from fashionos.errors import InvalidInput, NotFound
from logistics.analysis import ALGORITHM_VERSIONS
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput
from logistics.analysis.logistics import ANALYSIS_TYPES, analyze_logistics
from logistics.analysis.media import score_assets
from logistics.analysis.recommendations import recommend
from logistics.analysis.schedule import ScheduleError, analyze_events
from logistics.loaders import assets_load, samples_load, tasks_load
from logistics.models import Campaign

CLOCK_STEP = timedelta(minutes=15)

MSG_CAMPAIGN_NOT_FOUND = "No campaign with this id is visible to you."
MSG_INPUT_REQUIRED = "Send a campaignId or the inline {field} to analyse."


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    """What to analyse: a campaign (loaded lazily, only on a cache miss) or inline lists."""

    campaign: Campaign | None = None
    samples: list[SampleInput] | None = None
    tasks: list[TaskInput] | None = None
    assets: list[AssetInput] | None = None
    shoot_date: date | None = None

    def key_payload(self, **extra: Any) -> dict[str, Any]:
        if self.campaign is not None:
            payload: dict[str, Any] = {
                "campaign": str(self.campaign.pk),
                "revision": self.campaign.revision,
            }
        else:
            payload = {
                "samples": _rows(self.samples),
                "tasks": _rows(self.tasks),
                "assets": _rows(self.assets),
            }
        payload["shootDate"] = self.effective_shoot_date
        payload.update(extra)
        return payload

    @property
    def effective_shoot_date(self) -> date | None:
        if self.shoot_date is not None:
            return self.shoot_date
        return self.campaign.shoot_date if self.campaign is not None else None

    def load_samples(self) -> list[SampleInput]:
        if self.samples is not None:
            return self.samples
        return samples_load(campaign_id=self.campaign.pk) if self.campaign else []

    def load_tasks(self) -> list[TaskInput]:
        if self.tasks is not None:
            return self.tasks
        return tasks_load(campaign_id=self.campaign.pk) if self.campaign else []

    def load_assets(self) -> list[AssetInput]:
        if self.assets is not None:
            return self.assets
        return assets_load(campaign_id=self.campaign.pk) if self.campaign else []


def _rows(items: list | None) -> list | None:
    if items is None:
        return None
    if not items:
        return []
    names = [f.name for f in fields(items[0])]
    return [[_plain(getattr(item, name)) for name in names] for item in items]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple):
        return list(value)
    return value


def analysis_clock(now: datetime | None = None) -> datetime:
    """The clock analyses run against: now, rounded down to CLOCK_STEP."""
    now = now or timezone.now()
    step = int(CLOCK_STEP.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=now.tzinfo)


def campaign_for_analysis(*, actor, campaign_id) -> Campaign:
    """The campaign if the caller may read it; NotFound (404) otherwise (never a 403, which would
    say that it exists)."""
    campaign = Campaign.objects.visible_to(actor).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(MSG_CAMPAIGN_NOT_FOUND)
    return campaign


def schedule_error(error: ScheduleError) -> InvalidInput:
    """A task graph that cannot be scheduled, as a 400 that names the problem (the cycle's
    tasks, the unknown dependencies, the repeated ids)."""
    return InvalidInput(error.message, code=error.code, details=error.details)


def logistics_analysis(*, actor, source: AnalysisInput, analysis_type: str) -> CacheResult:
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
        compute=lambda: analyze_logistics(source.load_samples(), analysis_type, now=clock),
    )


def events_analysis(*, actor, source: AnalysisInput, start: datetime | None = None) -> CacheResult:
    """Critical path, schedule, at-risk tasks and conflicts. A cycle is a 400 naming it."""
    clock = analysis_clock()
    start = start or clock

    def compute() -> dict[str, Any]:
        try:
            return analyze_events(source.load_tasks(), start=start).to_dict()
        except ScheduleError as error:
            raise schedule_error(error) from None

    return insight_cached(
        user=actor,
        insight_type="events_schedule",
        version=ALGORITHM_VERSIONS["events"],
        payload=source.key_payload(clock=clock, start=start),
        compute=compute,
    )


def media_analysis(*, actor, source: AnalysisInput) -> CacheResult:
    """Scores, channel fit and coverage gaps of the assets."""
    clock = analysis_clock()
    return insight_cached(
        user=actor,
        insight_type="media_scores",
        version=ALGORITHM_VERSIONS["media"],
        payload=source.key_payload(clock=clock),
        compute=lambda: score_assets(
            source.load_assets(),
            samples=source.load_samples(),
            shoot_date=source.effective_shoot_date,
            now=clock,
        ).to_dict(),
    )


def recommendations_analysis(*, actor, source: AnalysisInput) -> CacheResult:
    """The next actions across logistics, events and media, most severe first."""
    clock = analysis_clock()

    def compute() -> dict[str, Any]:
        found = recommend(
            samples=source.load_samples(),
            tasks=source.load_tasks(),
            assets=source.load_assets(),
            now=clock,
            shoot_date=source.effective_shoot_date,
        )
        return {
            "campaignId": str(source.campaign.pk) if source.campaign else None,
            "recommendations": [item.to_dict() for item in found],
            "total": len(found),
        }

    return insight_cached(
        user=actor,
        insight_type="recommendations",
        version=ALGORITHM_VERSIONS["recommendations"],
        payload=source.key_payload(clock=clock),
        compute=compute,
    )
