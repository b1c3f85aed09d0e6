"""Columns and rows as the outside sees them: keyed by the table's column names as in the
database (`campaign_id`, `is_hero`, …), each column with the Postgres type name Supabase
reports (`uuid`, `varchar`, `timestamptz`, …), so the official clients convert values as they
would for Supabase. Realtime and `/rest/v1` both describe rows this way."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

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

# How a client may treat a column:
# - "writable": a client may set it on insert and update;
# - "read_only": the server sets it from the request (the caller's user, …) or a write
#   computes it (`arrived_at`, measured image sizes); a client may not send it;
# - "server_set": the database or the model fills it (ids, timestamps, revisions).
Access = Literal["writable", "read_only", "server_set"]
WRITABLE, READ_ONLY, SERVER_SET = "writable", "read_only", "server_set"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a registered table.

    `name` is the database column (`campaign_id`), `field` the model field behind it
    (`campaign`), `attname` the model attribute holding its raw value (`campaign_id`; equal
    to `name` for every table here), `pg_type` the Postgres type name, `access` what a client
    may do with it, `nullable` whether it accepts NULL, and `references` the public name of
    the table a foreign key points to (None for other columns)."""

    name: str
    field: str
    attname: str
    pg_type: str
    access: Access
    nullable: bool
    references: str | None = None

    @property
    def writable(self) -> bool:
        return self.access == WRITABLE

    def realtime(self) -> dict[str, str]:
        """The column as Supabase Realtime lists it in a change's `columns`."""
        return {"name": self.name, "type": self.pg_type}


def pg_type(field: models.Field) -> str:
    """The Postgres type name of a concrete field (a foreign key: its target's type)."""
    internal = field.get_internal_type()
    if internal in ("ForeignKey", "OneToOneField"):
        internal = field.target_field.get_internal_type()
    return _PG_TYPES.get(internal, "text")


def _server_set(field: models.Field) -> bool:
    return (
        field.primary_key
        or not field.editable
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    )


def model_columns(
    model: type[models.Model], *, read_only: Iterable[str] = ()
) -> tuple[Column, ...]:
    """Every concrete column of the model's table, in table order. Primary keys, fields that
    are not editable and automatic timestamps are server-set; the columns named in
    `read_only` (database names) are read-only; every other one is writable. A foreign key's
    `references` is the table name (`db_table`) of the model it points to."""
    read_only = frozenset(read_only)
    columns = []
    for field in model._meta.concrete_fields:
        if _server_set(field):
            access: Access = SERVER_SET
        elif field.column in read_only:
            access = READ_ONLY
        else:
            access = WRITABLE
        columns.append(
            Column(
                name=field.column,
                field=field.name,
                attname=field.attname,
                pg_type=pg_type(field),
                access=access,
                nullable=field.null,
                references=field.related_model._meta.db_table if field.is_relation else None,
            )
        )
    return tuple(columns)


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
        for field in type(instance)._meta.concrete_fields
    }
