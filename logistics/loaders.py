"""Loading a campaign's rows as analyzer inputs, in a fixed number of queries whatever the
campaign's size: one per table, plus one for each many-to-many link table."""

from __future__ import annotations

from collections import defaultdict

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


def _sample_input(row: dict) -> SampleInput:
    return SampleInput(
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


def samples_load(*, campaign_id) -> list[SampleInput]:
    """The campaign's samples as analyzer inputs (one query)."""
    rows = Sample.objects.filter(campaign_id=campaign_id).order_by("created_at", "id")
    return [_sample_input(row) for row in rows.values(*SAMPLE_COLUMNS)]


def campaign_with_samples_load(
    campaigns, *, campaign_id
) -> tuple[Campaign, list[SampleInput]] | None:
    """The campaign `campaign_id` of `campaigns` (a queryset of the campaigns the caller may
    see, its annotations kept on the instance) with its samples as `samples_load` gives them,
    in one statement instead of two: the campaign LEFT JOINed to its samples, so a campaign
    without samples is one row. None when the campaign is not among `campaigns`."""
    names = [field.attname for field in Campaign._meta.concrete_fields]
    annotations = list(campaigns.query.annotations)
    sample_names = [f"samples__{column}" for column in SAMPLE_COLUMNS]
    rows = list(
        campaigns.filter(pk=campaign_id)
        .order_by("samples__created_at", "samples__id")
        .values_list(*names, *annotations, *sample_names)
    )
    if not rows:
        return None
    split = len(names) + len(annotations)
    campaign = Campaign.from_db(campaigns.db, names, rows[0][: len(names)])
    for name, value in zip(annotations, rows[0][len(names) : split], strict=True):
        setattr(campaign, name, value)
    samples = [
        _sample_input(dict(zip(SAMPLE_COLUMNS, row[split:], strict=True)))
        for row in rows
        if row[split] is not None
    ]
    return campaign, samples


def samples_by_campaign(*, campaign_ids) -> dict[str, list[SampleInput]]:
    """Samples of several campaigns at once, keyed by campaign id (one query)."""
    found: dict[str, list[SampleInput]] = defaultdict(list)
    rows = Sample.objects.filter(campaign_id__in=campaign_ids).order_by("created_at", "id")
    for row in rows.values("campaign_id", *SAMPLE_COLUMNS):
        found[str(row["campaign_id"])].append(_sample_input(row))
    return found


TASK_COLUMNS = (
    "id",
    "campaign_id",
    "title",
    "status",
    "duration_minutes",
    "assignee__email",
    "assignee__full_name",
    "earliest_start",
    "deadline",
)


def _tasks_of(task_filter: dict) -> dict[str, list[TaskInput]]:
    depends_on: dict[str, list[str]] = defaultdict(list)
    link_filter = {f"task__{key}": value for key, value in task_filter.items()}
    links = TaskDependency.objects.filter(**link_filter).values_list("task_id", "depends_on_id")
    for task_id, other_id in links:
        depends_on[str(task_id)].append(str(other_id))
    found: dict[str, list[TaskInput]] = defaultdict(list)
    rows = Task.objects.filter(**task_filter).order_by("created_at", "id").values(*TASK_COLUMNS)
    for row in rows:
        found[str(row["campaign_id"])].append(
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
        )
    return found


def tasks_load(*, campaign_id) -> list[TaskInput]:
    """The campaign's tasks with their dependencies and assignees' names (two queries)."""
    return _tasks_of({"campaign_id": campaign_id}).get(str(campaign_id), [])


def tasks_by_campaign(*, campaign_ids) -> dict[str, list[TaskInput]]:
    """Tasks of several campaigns at once, keyed by campaign id (two queries)."""
    return _tasks_of({"campaign_id__in": list(campaign_ids)})


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
