"""Parsing the analyzers' inline inputs: `sampleList`, `tasks` and `assets` in the original
camelCase shape (snake_case keys are accepted too).

A hand-written parser rather than DRF serializers: an inline list may hold 10,000 samples, and
this path must cost microseconds per item. Every error names the item and field
(`sampleList[3].status`) and nothing is analysed until the whole input is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from fashionos.errors import InvalidInput
from logistics.analysis.inputs import (
    ASSET_KINDS,
    ASSET_STATUSES,
    SAMPLE_STATUSES,
    TASK_STATUSES,
    AssetInput,
    SampleInput,
    TaskInput,
)

MAX_SAMPLES = 10_000
MAX_TASKS = 2_000
MAX_ASSETS = 2_000
# The work of an analysis grows with items x their lists (assets x target channels, assets x
# featured samples, tasks x dependencies), so the pairs of each input are bounded as a whole,
# not only per item: 2,000 assets x 200 channels (400,000 pairs) took 3 s of CPU.
MAX_PAIRS = 20_000
MAX_TEXT = 500
MAX_ERRORS = 20
# Dates the analyzers accept. A campaign is planned in years, not millennia, and the schedule
# adds up to MAX_TASKS tasks of at most MAX_DURATION_MINUTES (about 164 years) to its start,
# so with this bound no date the analyzers compute can overflow datetime (year 9999).
YEAR_MIN = 1970
YEAR_MAX = 2100
MAX_DURATION_MINUTES = 60 * 24 * 30

MSG_INVALID_INPUT = "The analysis input is not valid."
MSG_TOO_MANY = "At most {limit} items are analysed at once, not {count}."
MSG_TOO_MANY_PAIRS = "At most {limit} {what} are analysed at once, not {count}."
MSG_DATETIME = "Must be an ISO 8601 date-time."
MSG_DATE = "Must be an ISO 8601 date (YYYY-MM-DD)."
MSG_YEAR_RANGE = f"Must be a date between the years {YEAR_MIN} and {YEAR_MAX}."


class InputErrors:
    """Collects per-field errors, up to a bound, and raises them together."""

    def __init__(self) -> None:
        self.details: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        if len(self.details) < MAX_ERRORS:
            self.details.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.details:
            first = next(iter(self.details))
            raise InvalidInput(f"{first}: {self.details[first][0]}", details=self.details)


def _get(item: dict, camel: str, snake: str | None = None, default: Any = None) -> Any:
    if camel in item:
        return item[camel]
    if snake and snake in item:
        return item[snake]
    return default


def _text(value: Any, path: str, errors: InputErrors, *, required: bool = False) -> str:
    if value is None:
        if required:
            errors.add(path, "This field is required.")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors.add(path, "Must be a string.")
        return ""
    text = str(value)
    if len(text) > MAX_TEXT:
        errors.add(path, f"At most {MAX_TEXT} characters.")
    return text


def _choice(value: Any, choices: tuple[str, ...], path: str, errors: InputErrors) -> str:
    if value not in choices:
        errors.add(path, f"Must be one of {', '.join(choices)}, not {value!r}.")
        return choices[0]
    return value


def _int(value: Any, path: str, errors: InputErrors, *, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        errors.add(path, "Must be an integer.")
        return default
    if not low <= value <= high:
        errors.add(path, f"Must be between {low} and {high}.")
        return default
    return int(value)


def _number(value: Any, path: str, errors: InputErrors) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        errors.add(path, "Must be a positive number.")
        return None
    return float(value)


def _bool(value: Any, path: str, errors: InputErrors) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        errors.add(path, "Must be true or false.")
        return False
    return value


def _in_years(value: date) -> bool:
    return YEAR_MIN <= value.year <= YEAR_MAX


def datetime_parse(value: Any, path: str, errors: InputErrors) -> datetime | None:
    """An aware ISO 8601 date-time (a bare date means midnight UTC; naive values are UTC), or
    None when absent. Refuses (an error on `path`) anything else, and years outside
    YEAR_MIN..YEAR_MAX, checked before any conversion to UTC could overflow."""
    if value is None or value == "":
        return None
    parsed = None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                parsed = datetime(day.year, day.month, day.day) if day else None
        except ValueError:
            parsed = None
    if parsed is None:
        errors.add(path, MSG_DATETIME)
        return None
    if not _in_years(parsed):
        errors.add(path, MSG_YEAR_RANGE)
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def date_parse(value: Any, path: str, errors: InputErrors) -> date | None:
    """An ISO 8601 date, or None when absent. Refuses (an error on `path`) anything else, and
    years outside YEAR_MIN..YEAR_MAX."""
    if value is None or value == "":
        return None
    try:
        parsed = parse_date(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        errors.add(path, MSG_DATE)
        return None
    if not _in_years(parsed):
        errors.add(path, MSG_YEAR_RANGE)
        return None
    return parsed


def _str_list(value: Any, path: str, errors: InputErrors, *, limit: int = 200) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > limit:
        errors.add(path, f"Must be a list of at most {limit} strings.")
        return ()
    items = []
    for index, entry in enumerate(value):
        if isinstance(entry, bool) or not isinstance(entry, str | int):
            errors.add(f"{path}[{index}]", "Must be a string.")
            continue
        items.append(str(entry))
    return tuple(items)


def _items(
    raw: Any, name: str, limit: int, parse: Callable[[dict, str, InputErrors, int], Any]
) -> list:
    if not isinstance(raw, list):
        raise InvalidInput(f"{name}: Must be a list.", details={name: ["Must be a list."]})
    if len(raw) > limit:
        message = MSG_TOO_MANY.format(limit=limit, count=len(raw))
        raise InvalidInput(f"{name}: {message}", code="TOO_MANY_ITEMS", details={name: [message]})
    errors = InputErrors()
    parsed = []
    for index, item in enumerate(raw):
        path = f"{name}[{index}]"
        if not isinstance(item, dict):
            errors.add(path, "Must be an object.")
            continue
        parsed.append(parse(item, path, errors, index))
    seen: set[str] = set()
    for index, value in enumerate(parsed):
        if value.id in seen:
            errors.add(f"{name}[{index}].id", f"Duplicate id {value.id!r}.")
        seen.add(value.id)
    errors.raise_if_any()
    return parsed


def _item_id(item: dict, path: str, errors: InputErrors, prefix: str, index: int) -> str:
    value = item.get("id")
    if value is None:
        return f"{prefix}-{index + 1}"
    return _text(value, f"{path}.id", errors)


def _sample(item: dict, path: str, errors: InputErrors, index: int) -> SampleInput:
    sample_id = _item_id(item, path, errors, "sample", index)
    values = dict(
        id=sample_id,
        name=_text(item.get("name"), f"{path}.name", errors) or sample_id,
        status=_choice(item.get("status"), SAMPLE_STATUSES, f"{path}.status", errors),
        category=_text(item.get("category"), f"{path}.category", errors) or None,
        is_hero=_bool(_get(item, "isHero", "is_hero"), f"{path}.isHero", errors),
        priority=_int(item.get("priority"), f"{path}.priority", errors, low=1, high=5, default=3),
        eta=datetime_parse(item.get("eta"), f"{path}.eta", errors),
        arrived_at=datetime_parse(
            _get(item, "arrivedAt", "arrived_at"), f"{path}.arrivedAt", errors
        ),
        designer=_text(item.get("designer"), f"{path}.designer", errors),
        courier=_text(item.get("courier"), f"{path}.courier", errors),
        tracking_number=_text(
            _get(item, "trackingNumber", "tracking_number"), f"{path}.trackingNumber", errors
        ),
    )
    return SampleInput(**values)


def _task(item: dict, path: str, errors: InputErrors, index: int) -> TaskInput:
    task_id = _item_id(item, path, errors, "task", index)
    duration = _int(
        _get(item, "durationMinutes", "duration_minutes"),
        f"{path}.durationMinutes",
        errors,
        low=1,
        high=MAX_DURATION_MINUTES,
        default=30,
    )
    assignee = _get(item, "assignee", "assignee_id")
    return TaskInput(
        id=task_id,
        title=_text(item.get("title"), f"{path}.title", errors) or task_id,
        status=_choice(item.get("status", "todo"), TASK_STATUSES, f"{path}.status", errors),
        duration_minutes=duration,
        depends_on=_str_list(_get(item, "dependsOn", "depends_on"), f"{path}.dependsOn", errors),
        assignee=_text(assignee, f"{path}.assignee", errors) or None,
        earliest_start=datetime_parse(
            _get(item, "earliestStart", "earliest_start"), f"{path}.earliestStart", errors
        ),
        deadline=datetime_parse(item.get("deadline"), f"{path}.deadline", errors),
    )


def _asset(item: dict, path: str, errors: InputErrors, index: int) -> AssetInput:
    asset_id = _item_id(item, path, errors, "asset", index)
    size = {}
    for field in ("width", "height"):
        size[field] = (
            _int(item.get(field), f"{path}.{field}", errors, low=1, high=100_000, default=0) or None
        )
    return AssetInput(
        id=asset_id,
        title=_text(item.get("title"), f"{path}.title", errors) or asset_id,
        kind=_choice(item.get("kind", "image"), ASSET_KINDS, f"{path}.kind", errors),
        status=_choice(item.get("status", "draft"), ASSET_STATUSES, f"{path}.status", errors),
        width=size["width"],
        height=size["height"],
        duration_seconds=_number(
            _get(item, "durationSeconds", "duration_seconds"), f"{path}.durationSeconds", errors
        ),
        target_channels=_str_list(
            _get(item, "targetChannels", "target_channels"), f"{path}.targetChannels", errors
        ),
        featured_sample_ids=_str_list(
            _get(item, "featuredSampleIds", "featured_samples"),
            f"{path}.featuredSampleIds",
            errors,
        ),
        rights_expire_at=datetime_parse(
            _get(item, "rightsExpireAt", "rights_expire_at"), f"{path}.rightsExpireAt", errors
        ),
    )


def _pairs_check(name: str, what: str, count: int) -> None:
    """400 TOO_MANY_ITEMS when an input's items hold more than MAX_PAIRS list entries."""
    if count > MAX_PAIRS:
        message = MSG_TOO_MANY_PAIRS.format(limit=MAX_PAIRS, what=what, count=count)
        raise InvalidInput(f"{name}: {message}", code="TOO_MANY_ITEMS", details={name: [message]})


def samples_parse(raw: Any, *, name: str = "sampleList") -> list[SampleInput]:
    """Inline samples as analyzer inputs; InvalidInput (400) naming every bad field."""
    return _items(raw, name, MAX_SAMPLES, _sample)


def tasks_parse(raw: Any, *, name: str = "tasks") -> list[TaskInput]:
    """Inline tasks; ApiError (400) naming every bad field, or TOO_MANY_ITEMS over MAX_TASKS
    tasks or MAX_PAIRS dependencies in all."""
    tasks = _items(raw, name, MAX_TASKS, _task)
    _pairs_check(name, "dependencies", sum(len(task.depends_on) for task in tasks))
    return tasks


def assets_parse(raw: Any, *, name: str = "assets") -> list[AssetInput]:
    """Inline assets; ApiError (400) naming every bad field, or TOO_MANY_ITEMS over
    MAX_ASSETS assets or MAX_PAIRS (asset, channel) or (asset, sample) pairs."""
    assets = _items(raw, name, MAX_ASSETS, _asset)
    _pairs_check(name, "(asset, channel) pairs", sum(len(a.target_channels) for a in assets))
    _pairs_check(name, "(asset, sample) pairs", sum(len(a.featured_sample_ids) for a in assets))
    return assets
