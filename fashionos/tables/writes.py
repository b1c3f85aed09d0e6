"""Helpers for the write services an app registers: checking a column-keyed body against the
table's columns before the app's own validation runs."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError

from fashionos.tables.registry import Table

MSG_UNKNOWN_COLUMN = "Table {table!r} has no column {column!r}."
MSG_NOT_WRITABLE = "Column {column!r} of table {table!r} is set by the server."


class ColumnNotWritable(ValidationError):
    """The body sets a column a client may not send (read-only or server-set)."""

    def __init__(self, table: str, column: str) -> None:
        message = MSG_NOT_WRITABLE.format(table=table, column=column)
        super().__init__({column: [message]}, code="not_writable")
        self.table = table
        self.column = column


def data_fields(table: Table, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` (keyed by column name) re-keyed by model field name (`campaign_id` →
    `campaign`), as the app's input serializers name them. Raises ValidationError for a
    column the table does not have and ColumnNotWritable for one a client may not send."""
    by_name = {column.name: column for column in table.columns}
    fields: dict[str, Any] = {}
    for name, value in data.items():
        column = by_name.get(name)
        if column is None:
            raise ValidationError(
                {name: [MSG_UNKNOWN_COLUMN.format(table=table.name, column=name)]},
                code="unknown_column",
            )
        if not column.writable:
            raise ColumnNotWritable(table.name, name)
        fields[column.field] = value
    return fields


def actor_context(actor: Any) -> dict[str, Any]:
    """A serializer context for `actor`: the app's input serializers read the acting user
    from the request, as in a view."""
    return {"request": SimpleNamespace(user=actor)}


def serializer_validated(serializer: Any) -> dict[str, Any]:
    """A DRF input serializer's validated data; its errors raised as Django's
    ValidationError, one list of messages per field, so the registry's write services raise
    the same exception as the app's services whatever validated the body."""
    if not serializer.is_valid():
        raise ValidationError(
            {
                field: [str(error) for error in _flat(errors)]
                for field, errors in serializer.errors.items()
            }
        )
    return dict(serializer.validated_data)


def _flat(errors: Any) -> list:
    if isinstance(errors, dict):
        return [e for value in errors.values() for e in _flat(value)]
    if isinstance(errors, list):
        return [e for value in errors for e in _flat(value)]
    return [errors]
