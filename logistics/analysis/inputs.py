"""The plain inputs every analyzer takes: samples, tasks and assets, with no Django in sight.

Views and the chat build these from model rows or from a request body; the analyzers never
touch the database. Each class checks its own invariants on construction and refuses a bad
value with a `ValueError` whose message names the field, so a bug upstream fails loudly here
instead of producing a wrong answer downstream.

Datetimes should be timezone-aware (UTC is fine); the analyzers compare them with `now`.

Results are read-only values. Inputs and per-call results are frozen dataclasses; the rows an
analyzer builds once per input item (a timing per task, a score per asset, ...) are plain
slots dataclasses, because a frozen one costs about twice as much to build and those rows
are most of an analyzer's work. Do not mutate them either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SAMPLE_STATUSES: tuple[str, ...] = (
    "requested",
    "in_transit",
    "delayed",
    "arrived",
    "on_set",
    "shot",
    "returned",
)

# The one rule for "ready", shared by the chat and every analyzer: the sample is on set or
# has already been shot. Arrived-but-not-on-set is not ready.
READY_STATUSES: frozenset[str] = frozenset({"on_set", "shot"})
# Not at the studio yet: asked for, on its way, or late. Whatever features such a sample was
# not made at this shoot (a designer's picture, a placeholder), so it is not ours to rank first.
NOT_ARRIVED_STATUSES: frozenset[str] = frozenset({"requested", "in_transit", "delayed"})

TASK_STATUSES: tuple[str, ...] = ("todo", "in_progress", "blocked", "done")
ASSET_KINDS: tuple[str, ...] = ("image", "video")
ASSET_STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "rejected")

MIN_PRIORITY = 1  # highest
MAX_PRIORITY = 5  # lowest

INVALID_CHOICE = "{kind} {id!r}: {field} must be one of {choices}, not {value!r}."
INVALID_RANGE = "{kind} {id!r}: {field} must be between {low} and {high}, not {value!r}."
INVALID_POSITIVE = "{kind} {id!r}: {field} must be positive, not {value!r}."
INVALID_NEGATIVE = "{kind} {id!r}: {field} must not be negative, not {value!r}."
INVALID_UNIT = "{field} must be between 0 and 1, not {value!r}."


def _check_choice(kind: str, id_: str, field: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(
            INVALID_CHOICE.format(
                kind=kind, id=id_, field=field, choices=", ".join(choices), value=value
            )
        )


@dataclass(frozen=True, slots=True)
class ImageMetrics:
    """Pixel measurements of an uploaded image (see `image_metrics.measure_image`).

    Both are in 0..1: `sharpness` 1 = crisp, `exposure` 1 = well exposed.
    """

    sharpness: float
    exposure: float

    def __post_init__(self) -> None:
        for field in ("sharpness", "exposure"):
            value = getattr(self, field)
            if not 0.0 <= value <= 1.0:
                raise ValueError(INVALID_UNIT.format(field=field, value=value))

    def to_dict(self) -> dict[str, float]:
        return {"sharpness": self.sharpness, "exposure": self.exposure}


@dataclass(frozen=True, slots=True)
class SampleInput:
    """A garment called in for the shoot. `priority` is 1 (highest) to 5."""

    id: str
    name: str
    status: str
    category: str | None
    is_hero: bool
    priority: int
    eta: datetime | None
    arrived_at: datetime | None
    designer: str = ""
    courier: str = ""
    tracking_number: str = ""

    def __post_init__(self) -> None:
        _check_choice("Sample", self.id, "status", self.status, SAMPLE_STATUSES)
        if not MIN_PRIORITY <= self.priority <= MAX_PRIORITY:
            raise ValueError(
                INVALID_RANGE.format(
                    kind="Sample",
                    id=self.id,
                    field="priority",
                    low=MIN_PRIORITY,
                    high=MAX_PRIORITY,
                    value=self.priority,
                )
            )

    @property
    def is_ready(self) -> bool:
        return self.status in READY_STATUSES


@dataclass(frozen=True, slots=True)
class TaskInput:
    """A task of the shoot schedule. `depends_on` holds ids of tasks that must finish first."""

    id: str
    title: str
    status: str
    duration_minutes: int
    depends_on: tuple[str, ...]
    assignee: str | None
    earliest_start: datetime | None
    deadline: datetime | None

    def __post_init__(self) -> None:
        _check_choice("Task", self.id, "status", self.status, TASK_STATUSES)
        if self.duration_minutes < 0:
            raise ValueError(
                INVALID_NEGATIVE.format(
                    kind="Task", id=self.id, field="duration_minutes", value=self.duration_minutes
                )
            )
        if not isinstance(self.depends_on, tuple):
            object.__setattr__(self, "depends_on", tuple(self.depends_on))
        if self.assignee == "":
            object.__setattr__(self, "assignee", None)


@dataclass(frozen=True, slots=True)
class AssetInput:
    """A media asset (photo or video) and what it is meant for.

    `width`/`height` are in pixels; an asset missing either has no known size.
    `pixels` is present only for uploaded images that were measured.
    """

    id: str
    title: str
    kind: str
    status: str
    width: int | None
    height: int | None
    duration_seconds: float | None
    target_channels: tuple[str, ...]
    featured_sample_ids: tuple[str, ...]
    rights_expire_at: datetime | None
    pixels: ImageMetrics | None = None

    def __post_init__(self) -> None:
        _check_choice("Asset", self.id, "kind", self.kind, ASSET_KINDS)
        _check_choice("Asset", self.id, "status", self.status, ASSET_STATUSES)
        for field in ("width", "height"):
            value = getattr(self, field)
            if value is not None and value <= 0:
                raise ValueError(
                    INVALID_POSITIVE.format(kind="Asset", id=self.id, field=field, value=value)
                )
        for field in ("target_channels", "featured_sample_ids"):
            value = getattr(self, field)
            if not isinstance(value, tuple):
                object.__setattr__(self, field, tuple(value))

    @property
    def has_size(self) -> bool:
        return self.width is not None and self.height is not None
