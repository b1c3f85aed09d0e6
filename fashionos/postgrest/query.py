"""A `/rest/v1` request's query string read against one registered table: which columns and
embeds to answer, the filters as a Django `Q` of lookup expressions, the order, and the page.

Every name is checked against the table's registered columns (42703 otherwise) and every
embed against the registry's relations (PGRST200), so nothing a client writes reaches SQL
except as a parameter.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

from fashionos.postgrest.errors import (
    MSG_INVALID_INPUT,
    MSG_TOO_MANY_FILTERS,
    MSG_TOO_MANY_VALUES,
    PostgrestError,
    limit_exceeded,
    no_relation,
    not_implemented,
    undefined_column,
)
from fashionos.postgrest.grammar import (
    Condition,
    Embed,
    Field,
    Group,
    OrderTerm,
    SelectItem,
    Star,
    columns_parse,
    count_parse,
    filter_parse,
    logic_parse,
    order_parse,
    select_parse,
)
from fashionos.postgrest.lookups import ILike, IsTruth, Like
from fashionos.tables import Relation, Table, relations, table_get

# Query parameters that are not filters.
RESERVED = frozenset({"select", "order", "limit", "offset", "columns", "on_conflict"})
LOGIC_KEYS = frozenset({"or", "and", "not.or", "not.and"})
MSG_OUT_OF_RANGE = 'value "{value}" is out of range for type {pg_type}'
MSG_JSON_FILTER = "filters on JSON columns other than is.null"
MSG_EMBED_PAGE = "limit and offset on an embedded table"
MSG_SPREAD = "A spread operation on '{name}' is not possible"
MSG_SPREAD_DETAILS = "'{parent}' and '{child}' do not form a many-to-one or one-to-one relationship"
MSG_AMBIGUOUS = "Could not embed because more than one relationship was found for '{a}' and '{b}'"

# PostgreSQL's spellings of a boolean.
_BOOLEANS = {
    **dict.fromkeys(("true", "t", "yes", "y", "on", "1"), True),
    **dict.fromkeys(("false", "f", "no", "n", "off", "0"), False),
}
_COMPARISONS = {
    "eq": Exact,
    "neq": Exact,
    "gt": GreaterThan,
    "gte": GreaterThanOrEqual,
    "lt": LessThan,
    "lte": LessThanOrEqual,
}


@dataclass
class EmbedPlan:
    """One embed: the relation it follows, its columns and its own filters and order."""

    key: str
    relation: Relation
    table: Table
    items: tuple[Star | Field, ...]
    inner: bool
    conditions: list[Condition | Group] = field(default_factory=list)
    order: tuple[OrderTerm, ...] = ()

    @property
    def to_one(self) -> bool:
        return self.relation.kind == "many_to_one"


@dataclass
class ReadPlan:
    """What a request reads: top-level items, filters, order, page, and embeds."""

    table: Table
    items: tuple[SelectItem, ...]
    conditions: list[Condition | Group]
    order: tuple[OrderTerm, ...]
    limit: int | None
    offset: int
    embeds: list[EmbedPlan]
    on_conflict: tuple[str, ...] | None = None
    columns: tuple[str, ...] | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.conditions) or any(embed.inner for embed in self.embeds)


def plan_read(table: Table, params: Iterable[tuple[str, str]]) -> ReadPlan:
    """Read the query string (`params` as (key, value) pairs, repeats kept) into a plan;
    raises PostgrestError for anything PostgREST would refuse or this server does not
    serve."""
    select_text, order_text = "*", None
    limit = offset = None
    conditions: list[Condition | Group] = []
    embedded: dict[str, list[tuple[str, str]]] = {}
    on_conflict = columns = None
    for key, value in params:
        if key == "select":
            select_text = value
        elif key == "order":
            order_text = value
        elif key == "limit":
            limit = count_parse("limit", value)
        elif key == "offset":
            offset = count_parse("offset", value)
        elif key == "on_conflict":
            on_conflict = tuple(part.strip() for part in value.split(",") if part.strip())
        elif key == "columns":
            columns = value
        elif key in LOGIC_KEYS:
            conditions.append(logic_parse(key, value))
        elif "->" in key or "::" in key:
            raise not_implemented("JSON path operators (-> and ->>) and casts (::) in filters")
        elif "." in key and not key.startswith("not."):
            head, _, rest = key.rpartition(".")
            embedded.setdefault(head, []).append((rest, value))
        else:
            conditions.append(filter_parse(key, value))
    items = select_parse(select_text)
    order = order_parse(order_text) if order_text else ()
    plan = ReadPlan(
        table=table,
        items=items,
        conditions=conditions,
        order=order,
        limit=limit,
        offset=offset or 0,
        embeds=[],
        on_conflict=on_conflict,
    )
    if columns is not None:
        plan.columns = columns_parse(columns)
        for name in plan.columns:
            _column(table, name)
    _check_items(table, items)
    for term in order:
        _column(table, term.column)
    for condition in conditions:
        _check_condition(table, condition)
    plan.embeds = [_embed_plan(table, item) for item in items if isinstance(item, Embed)]
    for head, pairs in embedded.items():
        _embed_params(plan, head, pairs)
    _bound_filters(plan)
    return plan


def _column(table: Table, name: str):
    try:
        return table.column(name)
    except KeyError:
        raise undefined_column(table.name, name) from None


def _check_items(table: Table, items: Iterable[SelectItem]) -> None:
    for item in items:
        if isinstance(item, Field):
            _column(table, item.name)


def _check_condition(table: Table, condition: Condition | Group) -> None:
    if isinstance(condition, Group):
        for item in condition.items:
            _check_condition(table, item)
        return
    column = _column(table, condition.column)
    if column.pg_type == "jsonb" and condition.operator != "is":
        raise not_implemented(MSG_JSON_FILTER)
    limit = settings.REST_MAX_IN_VALUES
    if condition.operator == "in" and len(condition.value) > limit:
        raise limit_exceeded(MSG_TOO_MANY_VALUES.format(count=len(condition.value), limit=limit))


def _count(condition: Condition | Group) -> int:
    if isinstance(condition, Group):
        return sum(_count(item) for item in condition.items)
    return 1


def _bound_filters(plan: ReadPlan) -> None:
    total = sum(_count(c) for c in plan.conditions) + sum(
        _count(c) for embed in plan.embeds for c in embed.conditions
    )
    if total > settings.REST_MAX_FILTERS:
        raise limit_exceeded(
            MSG_TOO_MANY_FILTERS.format(count=total, limit=settings.REST_MAX_FILTERS)
        )


def _embed_plan(table: Table, embed: Embed) -> EmbedPlan:
    candidates = [r for r in relations(table.name) if r.target == embed.name]
    if embed.hint is not None:
        candidates = [r for r in candidates if embed.hint in (r.column, r.target_column)]
    if not candidates:
        raise no_relation(table.name, embed.name)
    if len(candidates) > 1:
        raise PostgrestError(
            300,
            "PGRST201",
            MSG_AMBIGUOUS.format(a=table.name, b=embed.name),
            hint=f"Try changing '{embed.name}' to one of the following: "
            + ", ".join(f"'{embed.name}!{r.target_column}'" for r in candidates),
        )
    if embed.spread and candidates[0].kind != "many_to_one":
        raise PostgrestError(
            400,
            "PGRST119",
            MSG_SPREAD.format(name=embed.name),
            details=MSG_SPREAD_DETAILS.format(parent=table.name, child=embed.name),
        )
    target = table_get(embed.name)
    _check_items(target, embed.items)
    return EmbedPlan(
        key=embed.key,
        relation=candidates[0],
        table=target,
        items=embed.items or (),
        inner=embed.inner,
    )


def _embed_params(plan: ReadPlan, head: str, pairs: list[tuple[str, str]]) -> None:
    embed = next((e for e in plan.embeds if e.key == head), None)
    if embed is None:
        raise PostgrestError(
            400,
            "PGRST108",
            f"'{head}' is not an embedded resource in this request",
            hint=f"Verify that '{head}' is included in the 'select' query parameter.",
        )
    for key, value in pairs:
        if key in ("limit", "offset"):
            raise not_implemented(MSG_EMBED_PAGE)
        if key == "order":
            embed.order = order_parse(value)
            for term in embed.order:
                _column(embed.table, term.column)
        elif key in LOGIC_KEYS:
            condition = logic_parse(key, value)
            _check_condition(embed.table, condition)
            embed.conditions.append(condition)
        else:
            condition = filter_parse(key, value)
            _check_condition(embed.table, condition)
            embed.conditions.append(condition)


# --- Filters as SQL ----------------------------------------------------------------------------


def where(table: Table, conditions: Iterable[Condition | Group]) -> Q:
    """The conditions (all must hold) as one Q of lookup expressions."""
    q = Q()
    for condition in conditions:
        q &= _q(table, condition)
    return q


def _q(table: Table, condition: Condition | Group) -> Q:
    if isinstance(condition, Group):
        q = Q()
        for item in condition.items:
            part = _q(table, item)
            q = (q | part) if condition.connective == "or" and q else (q & part)
        return ~q if condition.negated else q
    q = Q(_lookup(table, condition))
    # `neq` is SQL's `<>`, which is `NOT (a = b)`: NULLs match neither.
    return ~q if condition.negated != (condition.operator == "neq") else q


def _lookup(table: Table, condition: Condition):
    column = table.column(condition.column)
    model_field = table.model._meta.get_field(column.field)
    lhs = F(column.attname)
    operator, raw = condition.operator, condition.value
    if operator == "is":
        if raw in ("null", "unknown"):
            return IsNull(lhs, True)
        return IsTruth(lhs, raw == "true")
    if operator in ("like", "ilike"):
        pattern = raw.replace("*", "%")
        return (Like if operator == "like" else ILike)(lhs, Value(pattern))
    if operator == "in":
        return In(lhs, [_typed(model_field, column.pg_type, value) for value in raw])
    value = Value(_typed(model_field, column.pg_type, raw), output_field=model_field)
    return _COMPARISONS[operator](lhs, value)


def _typed(model_field: models.Field, pg_type: str, raw: str):
    """A filter's text as the column's Python value; 22P02 (PostgreSQL's invalid input) when
    it is not one."""
    target = getattr(model_field, "target_field", None) or model_field
    try:
        if isinstance(target, models.BooleanField):
            return _BOOLEANS[raw.strip().lower()]
        value = target.to_python(raw)
        if isinstance(value, int) and isinstance(target, models.IntegerField):
            # The column's type bounds (a positive field may still be compared with -1).
            kind = target.get_internal_type().removeprefix("Positive")
            low, high = connection.ops.integer_field_range(kind)
            if (low is not None and value < low) or (high is not None and value > high):
                raise PostgrestError(
                    400, "22003", MSG_OUT_OF_RANGE.format(value=raw, pg_type=_type_name(pg_type))
                )
        if isinstance(target, models.JSONField):
            value = json.loads(raw)
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        if (
            isinstance(target, models.DateField)
            and not isinstance(target, models.DateTimeField)
            and isinstance(value, datetime.datetime)
        ):
            value = value.date()
        return value
    except (ValidationError, ValueError, TypeError, KeyError):
        raise PostgrestError(
            400, "22P02", MSG_INVALID_INPUT.format(pg_type=_type_name(pg_type), value=raw)
        ) from None


def _type_name(pg_type: str) -> str:
    return {
        "int2": "smallint",
        "int4": "integer",
        "int8": "bigint",
        "bool": "boolean",
        "timestamptz": "timestamp with time zone",
        "float8": "double precision",
    }.get(pg_type, pg_type)


def ordering(table: Table, terms: Iterable[OrderTerm]) -> list:
    """`order_by` expressions; nulls placed as PostgreSQL places them by default (last when
    ascending, first when descending) unless the term says, on every database."""
    exprs = []
    for term in terms:
        column = table.column(term.column)
        nulls_first = term.nulls == "first" if term.nulls else term.descending
        expr = F(column.attname)
        if term.descending:
            exprs.append(expr.desc(nulls_first=True) if nulls_first else expr.desc(nulls_last=True))
        else:
            exprs.append(expr.asc(nulls_first=True) if nulls_first else expr.asc(nulls_last=True))
    return exprs
