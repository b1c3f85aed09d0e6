"""Rows as Supabase Realtime describes them: keys are the table's column names as in the
database (`campaign_id`, `is_hero`, …) and `columns` gives each column's Postgres type name,
so the official clients convert values as they would for Supabase."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

# Django field class → the Postgres type name Supabase Realtime reports.
_PG_TYPES: dict[str, str] = {
    "UUIDField": "uuid",
    "CharField": "varchar",
    "TextField": "text",
    "EmailField": "varchar",
    "FileField": "varchar",
    "ImageField": "varchar",
    "BooleanField": "bool",
    "PositiveSmallIntegerField": "int2",
    "SmallIntegerField": "int2",
    "IntegerField": "int4",
    "PositiveIntegerField": "int4",
    "BigIntegerField": "int8",
    "PositiveBigIntegerField": "int8",
    "BigAutoField": "int8",
    "FloatField": "float8",
    "DecimalField": "numeric",
    "DateField": "date",
    "DateTimeField": "timestamptz",
    "JSONField": "jsonb",
    "ForeignKey": "uuid",
    "OneToOneField": "uuid",
}


def _concrete_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


def table_columns(model: type[models.Model]) -> list[dict[str, str]]:
    """`[{name, type}]` for every column of the model's table, in table order."""
    columns = []
    for field in _concrete_fields(model):
        internal = field.get_internal_type()
        if internal in ("ForeignKey", "OneToOneField"):
            target = field.target_field.get_internal_type()
            pg_type = _PG_TYPES.get(target, "text")
        else:
            pg_type = _PG_TYPES.get(internal, "text")
        columns.append({"name": field.column, "type": pg_type})
    return columns


def column_names(model: type[models.Model]) -> frozenset[str]:
    return frozenset(field.column for field in _concrete_fields(model))


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if hasattr(value, "name"):  # a FieldFile
        return value.name or None
    return str(value)


def row_record(instance: models.Model) -> dict[str, Any]:
    """The row as plain JSON keyed by column name (built inside the transaction)."""
    return {
        field.column: _json_value(getattr(instance, field.attname))
        for field in _concrete_fields(type(instance))
    }
