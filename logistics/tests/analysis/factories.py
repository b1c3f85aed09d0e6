"""Builders for analyzer inputs with sensible defaults, so each test states only what matters."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from logistics.analysis.inputs import AssetInput, ImageMetrics, SampleInput, TaskInput

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def sample(
    id: str,
    status: str = "on_set",
    *,
    name: str | None = None,
    category: str | None = "Dresses",
    is_hero: bool = False,
    priority: int = 3,
    eta: datetime | None = None,
    arrived_at: datetime | None = None,
    designer: str = "",
    courier: str = "",
    tracking_number: str = "",
) -> SampleInput:
    return SampleInput(
        id=id,
        name=name if name is not None else f"Sample {id}",
        status=status,
        category=category,
        is_hero=is_hero,
        priority=priority,
        eta=eta,
        arrived_at=arrived_at,
        designer=designer,
        courier=courier,
        tracking_number=tracking_number,
    )


def task(
    id: str,
    duration: int = 30,
    depends_on: Iterable[str] = (),
    *,
    title: str | None = None,
    status: str = "todo",
    assignee: str | None = None,
    earliest_start: datetime | None = None,
    deadline: datetime | None = None,
) -> TaskInput:
    return TaskInput(
        id=id,
        title=title if title is not None else id.upper(),
        status=status,
        duration_minutes=duration,
        depends_on=tuple(depends_on),
        assignee=assignee,
        earliest_start=earliest_start,
        deadline=deadline,
    )


def asset(
    id: str,
    *,
    title: str | None = None,
    kind: str = "image",
    status: str = "approved",
    width: int | None = 1080,
    height: int | None = 1350,
    duration_seconds: float | None = None,
    channels: Iterable[str] = ("instagram_feed",),
    features: Iterable[str] = (),
    rights_expire_at: datetime | None = None,
    pixels: ImageMetrics | None = None,
) -> AssetInput:
    return AssetInput(
        id=id,
        title=title if title is not None else f"Asset {id}",
        kind=kind,
        status=status,
        width=width,
        height=height,
        duration_seconds=duration_seconds,
        target_channels=tuple(channels),
        featured_sample_ids=tuple(features),
        rights_expire_at=rights_expire_at,
        pixels=pixels,
    )
