"""The table registry: what each app exposes of its tables, declared once in its
`AppConfig.ready()` and read by the realtime engine and `/rest/v1` (see the package
docstring for how to use an entry)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db import models
from django.db.models import QuerySet

from fashionos.principals import Actor
from fashionos.tables.columns import Column, model_columns

MSG_DUPLICATE = "Table {name!r} is already registered (by {model})."
MSG_UNKNOWN_COLUMN = "Table {table!r} has no column {column!r}."
MSG_UNKNOWN_TABLE = "No table {name!r} is registered."
MSG_NO_GROUP_SOURCE = "Realtime table {name!r} needs a realtime group source."

# The uniform signatures of the services an entry wraps. `data` is keyed by column name
# (`campaign_id`, `is_hero`) with JSON values as a client sends them; the service validates
# them (ValidationError, field by field) and applies every rule the app's own API applies.
Create = Callable[..., models.Model]  # create(*, actor, data) -> the new row
CreateMany = Callable[..., list]  # create_many(*, actor, rows) -> the new rows, in order
Update = Callable[..., models.Model]  # update(*, actor, instance, data) -> the row as saved
Delete = Callable[..., None]  # delete(*, actor, instance)
Scope = Callable[[Actor], QuerySet]  # visible_to(actor), editable_by(actor), …
Insertable = Callable[[Actor, Mapping[str, Any]], bool]  # insertable(actor, data)


class UnknownTable(LookupError):
    """No table of that name is registered."""

    def __init__(self, name: str) -> None:
        super().__init__(MSG_UNKNOWN_TABLE.format(name=name))
        self.name = name


class RegistryError(ValueError):
    """A registration that contradicts another one or the model."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A foreign key between two registered tables, seen from `table`.

    `many_to_one`: `table.column` points at `target.target_column` (a sample's campaign:
    one object). `one_to_many`: rows of `target` point at this one through
    `target.target_column` (a campaign's samples: a list)."""

    table: str
    kind: Literal["many_to_one", "one_to_many"]
    column: str
    target: str
    target_column: str


@dataclass(frozen=True, slots=True)
class Table:
    """One registered table (see the package docstring for each field's contract)."""

    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    visible_to: Scope
    editable_by: Scope | None
    deletable_by: Scope | None
    insertable: Insertable | None
    create: Create | None
    update: Update | None
    delete: Delete | None
    group_column: str | None
    realtime: bool
    create_many: CreateMany | None = None
    insertable_columns: tuple[str, ...] | None = None

    def column(self, name: str) -> Column:
        """The column of that database name; KeyError naming the table otherwise."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(MSG_UNKNOWN_COLUMN.format(table=self.name, column=name))

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def primary_key(self) -> str:
        return self.model._meta.pk.column

    def group_of(self, record: Mapping[str, Any]) -> str | None:
        """The realtime group (campaign id) of a row given as a column-keyed record."""
        if self.group_column is None:
            return None
        value = record.get(self.group_column)
        return None if value is None else str(value)


_tables: dict[str, Table] = {}
_group_sources: list[Callable[[Actor], Iterable[Any]]] = []


def table_register(
    model: type[models.Model],
    *,
    visible_to: Scope,
    editable_by: Scope | None = None,
    deletable_by: Scope | None = None,
    insertable: Insertable | None = None,
    create: Create | None = None,
    update: Update | None = None,
    delete: Delete | None = None,
    read_only: Iterable[str] = (),
    group_column: str | None = None,
    realtime: bool = False,
    create_many: CreateMany | None = None,
    insertable_columns: Iterable[str] | None = None,
) -> Table:
    """Register the model's table under its `db_table` and return the entry. An operation
    left None is not allowed through the registry. `deletable_by` defaults to
    `editable_by`. `create_many` (optional) creates several rows at once with the same
    validation and side effects as `create`, in a bounded number of statements;
    `insertable_columns` (optional) names the columns `insertable`'s answer depends on, so
    a caller may ask once per distinct value of them. Refuses (RegistryError) a second
    registration of the same name, a `read_only`, `group_column` or `insertable_columns`
    entry that is not a column, and a realtime table with no group column."""
    name = model._meta.db_table
    if name in _tables:
        raise RegistryError(MSG_DUPLICATE.format(name=name, model=_tables[name].model.__name__))
    columns = model_columns(model, read_only=read_only)
    names = {column.name for column in columns}
    insertable_columns = None if insertable_columns is None else tuple(insertable_columns)
    named = (*read_only, *([group_column] if group_column else []), *(insertable_columns or ()))
    for column in named:
        if column not in names:
            raise RegistryError(MSG_UNKNOWN_COLUMN.format(table=name, column=column))
    if realtime and group_column is None:
        raise RegistryError(MSG_NO_GROUP_SOURCE.format(name=name))
    table = Table(
        name=name,
        model=model,
        columns=columns,
        visible_to=visible_to,
        editable_by=editable_by,
        deletable_by=deletable_by if deletable_by is not None else editable_by,
        insertable=insertable,
        create=create,
        update=update,
        delete=delete,
        group_column=group_column,
        realtime=realtime,
        create_many=create_many,
        insertable_columns=insertable_columns,
    )
    _tables[name] = table
    return table


def table_unregister(name: str) -> None:
    """Forget a table (tests that register a table of their own clean up with this)."""
    _tables.pop(name, None)


def table_get(name: str) -> Table:
    """The registered table of that public name; raises UnknownTable."""
    try:
        return _tables[name]
    except KeyError:
        raise UnknownTable(name) from None


def table_for_model(model: type[models.Model]) -> Table | None:
    """The entry of a model's table, or None when its app does not expose it."""
    table = _tables.get(model._meta.db_table)
    return table if table is not None and table.model is model else None


def tables() -> tuple[Table, ...]:
    """Every registered table, in registration order."""
    return tuple(_tables.values())


def realtime_tables() -> tuple[str, ...]:
    """Names of the tables served over realtime, in registration order."""
    return tuple(table.name for table in _tables.values() if table.realtime)


def relations(name: str) -> tuple[Relation, ...]:
    """The foreign keys usable for embedding from table `name`, both ways, between
    registered tables only: its own foreign keys to a registered table (many-to-one), then
    the registered tables' foreign keys to it (one-to-many), in registration order."""
    table = table_get(name)
    found = [
        Relation(name, "many_to_one", column.name, column.references, _pk_column(column))
        for column in table.columns
        if column.references in _tables
    ]
    for other in _tables.values():
        for column in other.columns:
            if column.references == name:
                found.append(
                    Relation(name, "one_to_many", table.primary_key, other.name, column.name)
                )
    return tuple(found)


def _pk_column(column: Column) -> str:
    return _tables[column.references].primary_key


def group_source_register(visible_group_ids: Callable[[Actor], Iterable[Any]]) -> None:
    """Register how to find the realtime groups (campaigns) an actor may read, for actors
    that do not see every row: `visible_group_ids(actor)` returns their ids (one query)."""
    _group_sources.append(visible_group_ids)


def groups_visible_to(actor: Actor) -> frozenset[str]:
    """Ids of the realtime groups (campaigns) the actor may read, from every source."""
    return frozenset(str(pk) for source in _group_sources for pk in source(actor))
