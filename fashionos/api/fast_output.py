"""A fast rendering of a plain `ModelSerializer`'s rows, for hot lists.

DRF renders a list by building a model instance per row, then walking every field of the
serializer per row (`get_attribute`, `to_representation`, an `OrderedDict`); for a 50-row
page of samples that was most of the request. `rows_renderer(serializer_class)` reads the
serializer's fields once and returns a `RowsRenderer` whose `columns` are given to
`QuerySet.values_list()` and whose `render()` turns those tuples into the very dicts DRF
would have produced (the same keys in the same order, the same values once JSON-encoded):

- a model `UUIDField` (DRF `UUIDField`, hex_verbose) → `str(value)`;
- a foreign key (DRF `PrimaryKeyRelatedField` without `pk_field`) → the key, a UUID as `str`;
- `CharField`, `EmailField` → `str(value)`; `ChoiceField` → the choice's key;
- `BooleanField` → `bool`; `IntegerField` → `int`;
- `DateTimeField` in ISO 8601 → in the current time zone, `+00:00` written `Z`;
- `None` stays `None` for every field, as DRF skips `to_representation` for it.

A serializer with any other field (a method field, a nested or dotted source, a file, a
custom format) gets `None`: its views keep DRF's path. The same queryset is used either way,
so what a caller may see is decided exactly as before. `fashionos/api/tests` and the lists'
own tests compare both renderings byte for byte.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from rest_framework import relations, serializers
from rest_framework.settings import ISO_8601, api_settings


class RowsRenderer:
    """Columns to select and a function from their tuples to DRF's dicts."""

    def __init__(self, fields: list[tuple[str, str, Callable[[Any], Any]]]) -> None:
        self.keys = tuple(key for key, _, _ in fields)
        self.columns = tuple(column for _, column, _ in fields)
        self.converters = tuple(convert for _, _, convert in fields)

    def render(self, rows: Iterable[tuple]) -> list[dict[str, Any]]:
        keys, converters = self.keys, self.converters
        return [
            {
                key: None if value is None else convert(value)
                for key, convert, value in zip(keys, converters, row, strict=True)
            }
            for row in rows
        ]


def _uuid_or_value(value: Any) -> Any:
    # DRF's JSON encoder writes a UUID as str(uuid); every other key type is native JSON.
    return str(value) if isinstance(value, uuid.UUID) else value


def _datetime(field: serializers.DateTimeField) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        # DRF's DateTimeField.to_representation (ISO 8601, the current zone) for what the
        # database returns under USE_TZ; anything else through DRF itself.
        if not settings.USE_TZ or not isinstance(value, datetime) or not timezone.is_aware(value):
            return field.to_representation(value)
        try:
            text = value.astimezone(timezone.get_current_timezone()).isoformat()
        except OverflowError:  # out of range in this zone: DRF's own error
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _choice(field: serializers.ChoiceField) -> Callable[[Any], Any]:
    choices = field.choice_strings_to_values

    def convert(value: Any) -> Any:
        if value == "":
            return value
        return choices.get(str(value), value)

    return convert


def _converter(field: serializers.Field) -> Callable[[Any], Any] | None:
    """How `field` renders a column's value, or None when it is not one of the plain kinds."""
    kind = type(field)
    if kind is serializers.UUIDField and field.uuid_format == "hex_verbose":
        return str
    if kind is relations.PrimaryKeyRelatedField and field.pk_field is None:
        return _uuid_or_value
    if kind in (serializers.CharField, serializers.EmailField):
        return str
    if kind is serializers.ChoiceField:
        return _choice(field)
    if kind is serializers.BooleanField:
        return bool
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.DateTimeField:
        output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
        if output_format is None or output_format.lower() != ISO_8601:
            return None
        if getattr(field, "timezone", None) is not None:
            return None
        return _datetime(field)
    return None


@cache
def rows_renderer(serializer_class: type[serializers.ModelSerializer]) -> RowsRenderer | None:
    """The fast renderer of `serializer_class`'s rows, or None when a field is not plain."""
    serializer = serializer_class()
    model = serializer_class.Meta.model
    fields = []
    for key, field in serializer.fields.items():
        if field.write_only:
            continue
        convert = _converter(field)
        if convert is None or "." in field.source or field.source == "*":
            return None
        try:
            column = model._meta.get_field(field.source).attname
        except FieldDoesNotExist:  # a property, not a column: DRF's path
            return None
        fields.append((key, column, convert))
    return RowsRenderer(fields)
