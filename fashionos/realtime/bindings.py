"""`postgres_changes` bindings: what a channel asks to hear, validated at join time.

A binding is `{event, schema, table?, filter?}` as the official clients send it. Filters are
PostgREST-style `column=op.value` conditions (eq, neq, lt, lte, gt, gte, `in.(a,b)`), several
joined by commas meaning AND, as realtime-js's filter builder writes them; a value holding a
reserved character is double-quoted (`name=eq."Coat, wool"`). Values are compared as the
column's Postgres type (a number as a number, a timestamp as a timestamp), and a NULL column
matches nothing, as in SQL.

Anything we cannot honour (unknown table or column, malformed filter, unsupported operator)
raises BindingError with the reason the join reply carries, never a silent subscription.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re
import uuid
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fashionos.tables import Table, realtime_tables, table_get

SCHEMA = "public"
EVENTS = ("INSERT", "UPDATE", "DELETE", "*")
OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "in")
BINDING_KEYS = frozenset({"event", "schema", "table", "filter"})

MAX_BINDINGS = 100
MAX_FILTER_LENGTH = 1_000
MAX_IN_VALUES = 100

MSG_BINDINGS_NOT_LIST = "config.postgres_changes must be a list of bindings."
MSG_TOO_MANY_BINDINGS = f"A channel may have at most {MAX_BINDINGS} postgres_changes bindings."
MSG_BINDING_NOT_OBJECT = "Each postgres_changes binding must be an object."
MSG_UNSUPPORTED_KEY = "Unsupported key {key!r} in a postgres_changes binding."
MSG_BAD_EVENT = "Unknown event {event!r}: use one of INSERT, UPDATE, DELETE or *."
MSG_BAD_SCHEMA = "Unknown schema {schema!r}: only 'public' is published."
MSG_UNKNOWN_TABLE = "Unknown table {table!r}: realtime tables are {tables}."
MSG_FILTER_NEEDS_TABLE = "A filter needs a table."
MSG_FILTER_NOT_STRING = "A filter must be a string."
MSG_FILTER_TOO_LONG = f"A filter may be at most {MAX_FILTER_LENGTH} characters."
MSG_MALFORMED_FILTER = "Malformed filter {filter!r}: expected column=operator.value."
MSG_UNKNOWN_COLUMN = "Unknown column {column!r} in table {table!r}."
MSG_BAD_OPERATOR = "Unsupported filter operator {op!r}: use eq, neq, lt, lte, gt, gte or in."
MSG_BAD_VALUE = "Invalid value {value!r} for column {column!r} of type {type}."
MSG_NOT_COMPARABLE = "Column {column!r} of type {type} cannot be filtered."
MSG_IN_LIST = "The in operator takes a list in parentheses: column=in.(a,b)."
MSG_TOO_MANY_IN_VALUES = f"The in operator takes at most {MAX_IN_VALUES} values."


class BindingError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Column types ----------------------------------------------------------------------------


def _bool(text: str) -> bool:
    # Postgres's boolean input forms.
    lowered = text.strip().lower()
    if lowered in ("t", "true", "y", "yes", "on", "1"):
        return True
    if lowered in ("f", "false", "n", "no", "off", "0"):
        return False
    raise ValueError(text)


def _timestamptz(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    # A timestamp without a zone is read in UTC, the server's zone.
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


# Postgres type name → how a filter value (text) and a record value (JSON) become comparable.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "uuid": lambda text: uuid.UUID(text.strip()),
    "text": str,
    "varchar": str,
    "bool": _bool,
    "int2": int,
    "int4": int,
    "int8": int,
    "float8": float,
    "numeric": decimal.Decimal,
    "date": lambda text: datetime.date.fromisoformat(text.strip()),
    "timestamptz": _timestamptz,
}


def _record_value(pg_type: str, value: Any) -> Any:
    """A record's JSON value as the comparable Python value for its column type."""
    if value is None:
        return None
    if pg_type == "bool":
        return value if isinstance(value, bool) else _bool(str(value))
    if pg_type in ("int2", "int4", "int8"):
        return value if isinstance(value, int) else int(value)
    if pg_type == "float8":
        return float(value)
    if pg_type == "numeric":
        return decimal.Decimal(str(value))
    return _PARSERS[pg_type](str(value))


@dataclass(frozen=True, slots=True)
class TableSchema:
    name: str
    columns: tuple[dict[str, str], ...]
    types: Mapping[str, str]


def table_schema(table: str) -> TableSchema:
    """Columns of a registered table, as Supabase Realtime reports them."""
    return _schema_of(table_get(table))


@functools.cache
def _schema_of(table: Table) -> TableSchema:
    # Cached per entry (not per name), so a table registered again is described afresh.
    columns = tuple(column.realtime() for column in table.columns)
    return TableSchema(table.name, columns, {c["name"]: c["type"] for c in columns})


def _names(names: tuple[str, ...]) -> str:
    """ "samples", "samples and tasks", "samples, tasks and assets"."""
    if len(names) <= 1:
        return "".join(names) or "none"
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    column: str
    op: str
    pg_type: str
    values: tuple[Any, ...]  # one value, or several for `in`

    def matches(self, record: Mapping[str, Any]) -> bool:
        try:
            actual = _record_value(self.pg_type, record.get(self.column))
        except (ValueError, TypeError, decimal.InvalidOperation):
            return False
        if actual is None:
            return False  # NULL compares to nothing, as in SQL
        expected = self.values[0]
        try:
            match self.op:
                case "eq":
                    return actual == expected
                case "neq":
                    return actual != expected
                case "lt":
                    return actual < expected
                case "lte":
                    return actual <= expected
                case "gt":
                    return actual > expected
                case "gte":
                    return actual >= expected
                case "in":
                    return actual in self.values
        except TypeError:  # e.g. an aware and a naive datetime
            return False
        return False


_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _FilterReader:
    """A small cursor over one filter string: conditions separated by top-level commas."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self) -> BindingError:
        return BindingError(MSG_MALFORMED_FILTER.format(filter=self.text))

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def expect(self, char: str) -> None:
        if self.text[self.pos : self.pos + 1] != char:
            raise self.error()
        self.pos += 1

    def column(self) -> str:
        match = _COLUMN.match(self.text, self.pos)
        if not match:
            raise self.error()
        self.pos = match.end()
        return match.group()

    def operator(self) -> str:
        end = self.text.find(".", self.pos)
        if end < 0:
            raise self.error()
        op = self.text[self.pos : end]
        self.pos = end + 1
        return op

    def value(self, stop: str) -> tuple[str, bool]:
        """A value and whether it was quoted; a bare one ends at any character of `stop`."""
        if self.text[self.pos : self.pos + 1] == '"':
            self.pos += 1
            out = []
            while True:
                if self.at_end():
                    raise self.error()
                char = self.text[self.pos]
                self.pos += 1
                if char == "\\" and not self.at_end():
                    out.append(self.text[self.pos])
                    self.pos += 1
                elif char == '"':
                    return "".join(out), True
                else:
                    out.append(char)
        start = self.pos
        while not self.at_end() and self.text[self.pos] not in stop:
            if self.text[self.pos] in '"(':
                raise self.error()
            self.pos += 1
        return self.text[start : self.pos], False


def _parse_value(column: str, pg_type: str, text: str) -> Any:
    try:
        return _PARSERS[pg_type](text)
    except (ValueError, TypeError, decimal.InvalidOperation):
        raise BindingError(MSG_BAD_VALUE.format(value=text, column=column, type=pg_type)) from None


def filter_parse(text: str, schema: TableSchema) -> tuple[Condition, ...]:
    """The conditions of a filter string, typed by the table's columns (AND of all)."""
    if len(text) > MAX_FILTER_LENGTH:
        raise BindingError(MSG_FILTER_TOO_LONG)
    reader = _FilterReader(text)
    conditions = []
    while True:
        column = reader.column()
        reader.expect("=")
        op = reader.operator()
        if op not in OPERATORS:
            raise BindingError(MSG_BAD_OPERATOR.format(op=op))
        if column not in schema.types:
            raise BindingError(MSG_UNKNOWN_COLUMN.format(column=column, table=schema.name))
        pg_type = schema.types[column]
        if pg_type not in _PARSERS:
            raise BindingError(MSG_NOT_COMPARABLE.format(column=column, type=pg_type))
        if op == "in":
            if reader.text[reader.pos : reader.pos + 1] != "(":
                raise BindingError(MSG_IN_LIST)
            reader.pos += 1
            raw_values = [reader.value(",)")]
            while reader.text[reader.pos : reader.pos + 1] == ",":
                reader.pos += 1
                raw_values.append(reader.value(",)"))
            reader.expect(")")
            if len(raw_values) > MAX_IN_VALUES:
                raise BindingError(MSG_TOO_MANY_IN_VALUES)
            # As in a Postgres array literal, blanks around an unquoted element do not count.
            values = tuple(
                _parse_value(column, pg_type, raw if quoted else raw.strip())
                for raw, quoted in raw_values
            )
        else:
            raw, quoted = reader.value(",")
            if raw == "" and not quoted:
                raise reader.error()
            values = (_parse_value(column, pg_type, raw),)
        conditions.append(Condition(column, op, pg_type, values))
        if reader.at_end():
            return tuple(conditions)
        reader.expect(",")


# --- Bindings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Binding:
    """One validated binding. `spec` is the binding exactly as the client sent it (echoed in
    the join reply); `key` identifies its meaning, so the hub evaluates each distinct binding
    once per change whoever subscribed to it."""

    id: int
    event: str
    table: str | None
    conditions: tuple[Condition, ...]
    spec: Mapping[str, Any]
    key: tuple

    def matches(self, table: str, change_type: str, row: Mapping[str, Any] | None) -> bool:
        if self.event != "*" and self.event != change_type:
            return False
        if self.table is not None and self.table != table:
            return False
        if not self.conditions:
            return True
        if row is None:
            return False
        return all(condition.matches(row) for condition in self.conditions)

    def reply(self) -> dict[str, Any]:
        """The binding as the join reply echoes it: as sent, plus its id."""
        return {**self.spec, "id": self.id}


def _binding_id(key: tuple) -> int:
    # Stable across sockets and processes, so subscribers with the same binding share ids and
    # therefore frames. Never 0: the official clients treat a falsy id as "no id".
    return zlib.crc32(repr(key).encode()) % 0x7FFFFFFE + 1


def binding_parse(spec: Any) -> Binding:
    """Validate one binding; raise BindingError naming what is wrong."""
    if not isinstance(spec, dict):
        raise BindingError(MSG_BINDING_NOT_OBJECT)
    for key in spec:
        if key not in BINDING_KEYS:
            raise BindingError(MSG_UNSUPPORTED_KEY.format(key=key))
    event = spec.get("event")
    if not isinstance(event, str) or event.upper() not in EVENTS:
        raise BindingError(MSG_BAD_EVENT.format(event=event))
    schema_name = spec.get("schema", SCHEMA)
    if schema_name != SCHEMA:
        raise BindingError(MSG_BAD_SCHEMA.format(schema=schema_name))
    table = spec.get("table")
    if table is not None and table not in realtime_tables():
        raise BindingError(MSG_UNKNOWN_TABLE.format(table=table, tables=_names(realtime_tables())))
    filter_text = spec.get("filter")
    conditions: tuple[Condition, ...] = ()
    if filter_text is not None:
        if not isinstance(filter_text, str):
            raise BindingError(MSG_FILTER_NOT_STRING)
        if filter_text != "":  # realtime-js sends "" for an empty filter builder
            if table is None:
                raise BindingError(MSG_FILTER_NEEDS_TABLE)
            conditions = filter_parse(filter_text, table_schema(table))
    event = event.upper()
    key = (event, table, conditions)
    return Binding(_binding_id(key), event, table, conditions, dict(spec), key)


def bindings_parse(specs: Any) -> tuple[Binding, ...]:
    """Validate a channel's `config.postgres_changes`. Ids are unique within the channel."""
    if specs is None:
        return ()
    if not isinstance(specs, list):
        raise BindingError(MSG_BINDINGS_NOT_LIST)
    if len(specs) > MAX_BINDINGS:
        raise BindingError(MSG_TOO_MANY_BINDINGS)
    bindings: list[Binding] = []
    ids: dict[int, tuple] = {}
    for spec in specs:
        binding = binding_parse(spec)
        # Two different bindings whose ids collide get distinct ids by probing.
        while binding.id in ids and ids[binding.id] != binding.key:
            binding = Binding(
                binding.id % 0x7FFFFFFE + 1,
                binding.event,
                binding.table,
                binding.conditions,
                binding.spec,
                binding.key,
            )
        ids[binding.id] = binding.key
        bindings.append(binding)
    return tuple(bindings)
