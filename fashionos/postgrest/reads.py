"""Reading a plan: the page of rows the caller may see, with its embeds and its count, in a
bounded number of statements whatever the number of rows (one for the page, one per embed,
one for the count). Every read starts from the table's `visible_to` queryset, embedded rows
too, so an outsider gets `[]` (or `null` for a to-one embed), never an error.

Rows are read with `.values()` and shaped as plain dicts keyed by column name (or alias):
no serializer runs per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from fashionos.postgrest.errors import MSG_RANGE, MSG_TOO_MANY_ROWS, PostgrestError, limit_exceeded
from fashionos.postgrest.grammar import Field, Star
from fashionos.postgrest.query import EmbedPlan, ReadPlan, ordering, where
from fashionos.principals import Actor
from fashionos.tables import Table

MSG_OFFSET_TOO_LARGE = "An offset of {offset} was requested, past any table's rows."
# Larger offsets than any table could reach (and than SQLite's integers hold) are refused.
MAX_OFFSET = 2**53
MSG_LOWER_GT_UPPER = (
    "The lower boundary must be lower than or equal to the upper boundary in the Range header."
)


@dataclass(frozen=True, slots=True)
class Page:
    """Rows `first`… of the matching rows; `total` when a count was asked for."""

    rows: list[dict[str, Any]]
    first: int
    total: int | None


def page_bounds(plan: ReadPlan, range_header: tuple[int, int | None] | None) -> tuple[int, int]:
    """(first row, number of rows) from `offset`/`limit` and the `Range` header, as PostgREST
    intersects them; at most REST_MAX_ROWS rows (PostgREST's max-rows): asking for more is
    a 400, asking for no bound gets the first REST_MAX_ROWS."""
    first = plan.offset
    last = None if plan.limit is None else plan.offset + plan.limit - 1
    if range_header is not None:
        first = max(first, range_header[0])
        if range_header[1] is not None:
            last = range_header[1] if last is None else min(last, range_header[1])
    if first > MAX_OFFSET:
        details = MSG_OFFSET_TOO_LARGE.format(offset=first)
        raise PostgrestError(416, "PGRST103", MSG_RANGE, details=details)
    if plan.limit == 0:
        return first, 0
    if last is not None and first > last:
        raise PostgrestError(416, "PGRST103", MSG_RANGE, details=MSG_LOWER_GT_UPPER)
    max_rows = settings.REST_MAX_ROWS
    size = max_rows if last is None else last - first + 1
    if size > max_rows:
        raise limit_exceeded(MSG_TOO_MANY_ROWS.format(count=size, limit=max_rows))
    return first, size


def matching(plan: ReadPlan, actor: Actor, scope=None) -> models.QuerySet:
    """The rows the plan's filters match among those of `scope` (the table's
    `visible_to(actor)` unless given: writes pass the rows the caller may change)."""
    table = plan.table
    rows = table.visible_to(actor) if scope is None else scope
    q = where(table, plan.conditions)
    for embed in plan.embeds:
        if embed.inner:
            q &= _inner(table, embed, actor)
    return rows.filter(q) if q else rows


def _inner(table: Table, embed: EmbedPlan, actor: Actor) -> Q:
    """`!inner`: only rows with a visible embedded row that passes the embed's filters."""
    children = embed.table.visible_to(actor).filter(where(embed.table, embed.conditions))
    relation = embed.relation
    return Q(**{f"{relation.column}__in": children.values(relation.target_column)})


def page_read(
    plan: ReadPlan,
    actor: Actor,
    *,
    first: int,
    size: int,
    count: bool,
    ids: list[Any] | None = None,
) -> Page:
    """The page of rows (and the total matching when `count`); with `ids`, only the rows of
    those primary keys among the visible ones, in that order (rows just written, read back
    as RETURNING reads them)."""
    table = plan.table
    scope = None
    if ids is not None:
        scope = table.visible_to(actor).filter(**{f"{table.primary_key}__in": ids})
    rows_qs = matching(plan, actor, scope)
    total = rows_qs.count() if count else None
    if plan.order:
        rows_qs = rows_qs.order_by(*ordering(table, plan.order))
    fetch = fetched_columns(plan)
    rows = list(rows_qs.values(*fetch)[first : first + size]) if size else []
    if ids is not None and not plan.order:
        position = {str(pk): index for index, pk in enumerate(ids)}
        rows.sort(key=lambda row: position.get(str(row[table.primary_key]), 0))
    return Page(rows=rows_shape(plan, rows, actor), first=first, total=total)


def fetched_columns(plan: ReadPlan) -> list[str]:
    """The columns to read: those selected, the keys the embeds join on, the primary key."""
    names: dict[str, None] = {}
    for item in plan.items:
        if isinstance(item, Star):
            names.update(dict.fromkeys(plan.table.column_names))
        elif isinstance(item, Field):
            names[plan.table.column(item.name).attname] = None
    for embed in plan.embeds:
        names[embed.relation.column] = None
    names[plan.table.primary_key] = None
    return list(names)


def rows_shape(plan: ReadPlan, rows: list[dict[str, Any]], actor: Actor) -> list[dict[str, Any]]:
    """Rows keyed as the `select` asks, embeds attached (one statement per embed)."""
    if not rows:
        return rows
    embedded = {embed.key: _embed_rows(embed, rows, actor) for embed in plan.embeds if embed.items}
    embedded_tables = {embed.key: embed.table for embed in plan.embeds}
    table = plan.table
    files = _file_columns(table)
    if plan.items == (Star(),) and not files:
        return rows  # `.values()` already gives every column in table order
    shaped = []
    for row in rows:
        out: dict[str, Any] = {}
        for item in plan.items:
            if isinstance(item, Star):
                for name in table.column_names:
                    out[name] = row[name]
            elif isinstance(item, Field):
                out[item.key] = row[item.name]
            elif item.spread:  # the embedded row's columns in this row (null without one)
                found = embedded[item.key](row)
                for key in _keys(embedded_tables[item.key], item.items):
                    out[key] = None if found is None else found[key]
            elif item.items:  # an embed with no columns (`samples!inner()`) only filters
                out[item.key] = embedded[item.key](row)
        for name in files:
            if out.get(name) == "":
                out[name] = None
        shaped.append(out)
    return shaped


def _keys(table: Table, items) -> list[str]:
    keys: list[str] = []
    for item in items:
        keys.extend(table.column_names if isinstance(item, Star) else [item.key])
    return keys


def _file_columns(table: Table) -> tuple[str, ...]:
    return tuple(
        column.name
        for column in table.columns
        if isinstance(table.model._meta.get_field(column.field), models.FileField)
    )


def _embed_rows(embed: EmbedPlan, rows: list[dict[str, Any]], actor: Actor):
    """A function from a parent row to its embedded value (one object or None for a
    to-one embed, a list for a to-many), after one statement for every parent row."""
    relation = embed.relation
    keys = {row[relation.column] for row in rows if row[relation.column] is not None}
    target = embed.table
    child_plan = ReadPlan(
        table=target,
        items=embed.items,
        conditions=embed.conditions,
        order=embed.order,
        limit=None,
        offset=0,
        embeds=[],
    )
    children = target.visible_to(actor).filter(
        where(target, embed.conditions), **{f"{relation.target_column}__in": keys}
    )
    if embed.order:
        children = children.order_by(*ordering(target, embed.order))
    fetch = fetched_columns(child_plan)
    join = relation.target_column
    values = list(children.values(*dict.fromkeys([*fetch, join]))) if keys else []
    shaped = rows_shape(child_plan, values, actor) if embed.items else [{} for _ in values]
    if embed.to_one:
        by_key = {value[join]: out for value, out in zip(values, shaped, strict=True)}
        return lambda row: by_key.get(row[relation.column])
    grouped: dict[Any, list] = defaultdict(list)
    for value, out in zip(values, shaped, strict=True):
        grouped[value[join]].append(out)
    return lambda row: grouped.get(row[relation.column], [])
