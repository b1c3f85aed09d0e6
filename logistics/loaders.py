"""Loading a campaign's rows as analyzer inputs, in a fixed number of queries whatever the
campaign's size: one per table, plus one for each many-to-many link table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from logistics.analysis.inputs import AssetInput, ImageMetrics, SampleInput, TaskInput
from logistics.models import Asset, Campaign, Sample, Task, TaskDependency

SAMPLE_COLUMNS = (
    "id",
    "name",
    "status",
    "category",
    "is_hero",
    "priority",
    "eta",
    "arrived_at",
    "designer",
    "courier",
    "tracking_number",
)


@dataclass(frozen=True, slots=True)
class CampaignData:
    campaign: Campaign
    samples: list[SampleInput]
    tasks: list[TaskInput]
    assets: list[AssetInput]


def samples_load(*, campaign_id) -> list[SampleInput]:
    """The campaign's samples as analyzer inputs (one query)."""
    rows = Sample.objects.filter(campaign_id=campaign_id).order_by("created_at", "id")
    return [
        SampleInput(
            id=str(row["id"]),
            name=row["name"],
            status=row["status"],
            category=row["category"] or None,
            is_hero=row["is_hero"],
            priority=row["priority"],
            eta=row["eta"],
            arrived_at=row["arrived_at"],
            designer=row["designer"],
            courier=row["courier"],
            tracking_number=row["tracking_number"],
        )
        for row in rows.values(*SAMPLE_COLUMNS)
    ]


def tasks_load(*, campaign_id) -> list[TaskInput]:
    """The campaign's tasks with their dependencies and assignees' names (two queries)."""
    depends_on: dict[str, list[str]] = defaultdict(list)
    links = TaskDependency.objects.filter(task__campaign_id=campaign_id).values_list(
        "task_id", "depends_on_id"
    )
    for task_id, other_id in links:
        depends_on[str(task_id)].append(str(other_id))
    rows = (
        Task.objects.filter(campaign_id=campaign_id)
        .order_by("created_at", "id")
        .values(
            "id",
            "title",
            "status",
            "duration_minutes",
            "assignee__email",
            "assignee__full_name",
            "earliest_start",
            "deadline",
        )
    )
    return [
        TaskInput(
            id=str(row["id"]),
            title=row["title"],
            status=row["status"],
            duration_minutes=row["duration_minutes"],
            depends_on=tuple(sorted(depends_on.get(str(row["id"]), ()))),
            assignee=row["assignee__full_name"] or row["assignee__email"],
            earliest_start=row["earliest_start"],
            deadline=row["deadline"],
        )
        for row in rows
    ]


def assets_load(*, campaign_id) -> list[AssetInput]:
    """The campaign's assets with the samples they feature (two queries)."""
    featured: dict[str, list[str]] = defaultdict(list)
    links = Asset.featured_samples.through.objects.filter(asset__campaign_id=campaign_id)
    for asset_id, sample_id in links.values_list("asset_id", "sample_id"):
        featured[str(asset_id)].append(str(sample_id))
    rows = (
        Asset.objects.filter(campaign_id=campaign_id)
        .order_by("created_at", "id")
        .values(
            "id",
            "title",
            "kind",
            "status",
            "width",
            "height",
            "duration_seconds",
            "target_channels",
            "rights_expire_at",
            "image_sharpness",
            "image_exposure",
        )
    )
    return [
        AssetInput(
            id=str(row["id"]),
            title=row["title"],
            kind=row["kind"],
            status=row["status"],
            width=row["width"],
            height=row["height"],
            duration_seconds=row["duration_seconds"],
            target_channels=tuple(row["target_channels"] or ()),
            featured_sample_ids=tuple(sorted(featured.get(str(row["id"]), ()))),
            rights_expire_at=row["rights_expire_at"],
            pixels=ImageMetrics(row["image_sharpness"], row["image_exposure"])
            if row["image_sharpness"] is not None and row["image_exposure"] is not None
            else None,
        )
        for row in rows
    ]


def campaign_data_load(*, campaign: Campaign, samples=True, tasks=True, assets=True) -> CampaignData:
    """Everything the analyzers need about one campaign; pass False to skip a table."""
    return CampaignData(
        campaign=campaign,
        samples=samples_load(campaign_id=campaign.pk) if samples else [],
        tasks=tasks_load(campaign_id=campaign.pk) if tasks else [],
        assets=assets_load(campaign_id=campaign.pk) if assets else [],
    )
