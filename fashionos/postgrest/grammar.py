"""PostgREST's query-string grammar, parsed into plain values: the `select` tree, filters and
their `or=()`/`and=()` groups, `order` terms, and `in.()` lists, with PostgREST's quoting
(double quotes around a value holding `,` `(` `)` or `.`, backslash escapes inside them).

Pure Python (no Django): what it cannot read is a PGRST100; a PostgREST feature this server
does not serve (casts, JSON paths, full-text search, aggregates) is a PGRST127 (or
PostgREST's own PGRST123 for aggregates), never a silently different query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fashionos.postgrest.errors import (
    MSG_AGGREGATES,
    PostgrestError,
    not_implemented,
    parse_error,
)

# The operators served, and those PostgREST has that this server answers with PGRST127.
OPERATORS = frozenset({"eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "is", "in"})
UNSUPPORTED_OPERATORS = {
    "match": "regular expression filters (match, imatch)",
    "imatch": "regular expression filters (match, imatch)",
    "cs": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "cd": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "ov": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "sl": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "sr": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "nxl": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "nxr": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "adj": "array and range operators (cs, cd, ov, sl, sr, nxl, nxr, adj)",
    "fts": "full-text search (fts, plfts, phfts, wfts)",
    "plfts": "full-text search (fts, plfts, phfts, wfts)",
    "phfts": "full-text search (fts, plfts, phfts, wfts)",
    "wfts": "full-text search (fts, plfts, phfts, wfts)",
    "isdistinct": "the isdistinct operator",
}
IS_VALUES = frozenset({"null", "true", "false", "unknown"})
MSG_OPERATOR_DETAILS = 'unexpected "{op}" expecting "not" or operator (eq, gt, ...)'
MSG_IS_DETAILS = 'unexpected "{value}" expecting null or trilean value (unknown, true, false)'
MSG_ORDER_DETAILS = 'unexpected "{modifier}" expecting "asc", "desc", "nullsfirst" or "nullslast"'
MSG_QUANTIFIER = "operator quantifiers (like(any), eq(all), …)"
MSG_NUL = 'invalid byte sequence for encoding "UTF8": 0x00'
MSG_CAST = "casts (::) in select, filters and order"
MSG_JSON_PATH = "JSON path operators (-> and ->>)"
MSG_RELATED_ORDER = "ordering by an embedded table's column"
MSG_NESTED_EMBED = "embeds nested inside an embed (one level is served)"

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_AGGREGATE = re.compile(r"(^|\.)(count|sum|avg|max|min)$")


@dataclass(frozen=True, slots=True)
class Star:
    """`*`: every column of the table."""


@dataclass(frozen=True, slots=True)
class Field:
    """A column, under `alias` when given (`alias:column`)."""

    name: str
    alias: str | None = None

    @property
    def key(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True, slots=True)
class Embed:
    """`alias:table!hint!inner(items)`: rows of another table along a foreign key;
    `...table(items)` (spread) puts a to-one embed's columns in the row itself."""

    name: str
    items: tuple[Star | Field, ...]
    alias: str | None = None
    hint: str | None = None
    inner: bool = False
    spread: bool = False

    @property
    def key(self) -> str:
        return self.alias or self.name


SelectItem = Star | Field | Embed


@dataclass(frozen=True, slots=True)
class Condition:
    """`column=[not.]operator.value`; `value` is a string, a tuple for `in`, and one of
    null/true/false/unknown for `is`."""

    column: str
    operator: str
    value: str | tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """`or=(…)`/`and=(…)`, possibly negated (`not.or=(…)`), possibly nested."""

    connective: str
    items: tuple[Condition | Group, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class OrderTerm:
    """`column.asc|desc.nullsfirst|nullslast`; `nulls` None means the database's default
    (nulls last ascending, first descending), as PostgreSQL orders."""

    column: str
    descending: bool = False
    nulls: str | None = None


# --- Splitting with quotes and parentheses ------------------------------------------------------


def _split(text: str, what: str) -> list[str]:
    """Split `text` on the commas outside double quotes and parentheses."""
    parts, depth, quoted, start, escaped = [], 0, False, 0, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise parse_error(what, text, 'unexpected ")"', column=index + 1)
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if quoted:
        raise parse_error(what, text, 'unexpected end of input expecting """', column=len(text))
    if depth:
        raise parse_error(what, text, 'unexpected end of input expecting ")"', column=len(text))
    parts.append(text[start:])
    return parts


def unquote(text: str) -> str:
    """A value as PostgREST reads it: `"a,b"` is `a,b`, with `\\"` and `\\\\` escapes."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    return text


def _identifier(name: str, what: str, text: str) -> str:
    name = unquote(name)
    if "::" in name:
        raise not_implemented(MSG_CAST)
    if "->" in name:
        raise not_implemented(MSG_JSON_PATH)
    if not name or (not _IDENTIFIER.match(name) and '"' in name):
        raise parse_error(what, text, f'unexpected "{name[:1] or "end of input"}"')
    if not _IDENTIFIER.match(name):
        raise parse_error(what, text, f'unexpected "{name}" expecting a column name')
    return name


# --- select ------------------------------------------------------------------------------------


def select_parse(text: str) -> tuple[SelectItem, ...]:
    """The `select` parameter: columns, `*`, `alias:column` and embeds one level deep."""
    if text.strip() == "":
        return (Star(),)
    return tuple(_select_item(part, text, top=True) for part in _split(text, "select parameter"))


def _select_item(part: str, text: str, *, top: bool) -> SelectItem:
    what = "select parameter"
    if part == "":
        raise parse_error(
            what, text, "unexpected end of input expecting field name (* or [a..z0..9_$])"
        )
    if part == "*":
        return Star()
    if "(" in part and part.endswith(")") and not part.startswith('"'):
        head, _, body = part[:-1].partition("(")
        spread = head.startswith("...")
        head = head.removeprefix("...")
        if _AGGREGATE.search(head.split(":")[-1]):
            raise PostgrestError(400, "PGRST123", MSG_AGGREGATES)
        if not top:
            raise not_implemented(MSG_NESTED_EMBED)
        alias, name = _alias(head, what, text)
        name, *marks = name.split("!")
        name = _identifier(name, what, text)
        hint, inner = None, False
        for mark in marks:
            if mark == "inner":
                inner = True
            elif mark == "left":
                inner = False
            else:
                hint = _identifier(mark, what, text)
        items = (
            ()
            if body.strip() == ""
            else tuple(_select_item(item, text, top=False) for item in _split(body, what))
        )
        return Embed(name=name, items=items, alias=alias, hint=hint, inner=inner, spread=spread)
    alias, name = _alias(part, what, text)
    if name.endswith(")") or "(" in name:
        raise parse_error(what, text, f'unexpected "(" in "{part}"')
    return Field(name=_identifier(name, what, text), alias=alias)


def _alias(part: str, what: str, text: str) -> tuple[str | None, str]:
    if "::" in part:
        raise not_implemented(MSG_CAST)
    if ":" not in part:
        return None, part
    alias, _, name = part.partition(":")
    return _identifier(alias, what, text), name


# --- filters -----------------------------------------------------------------------------------


def filter_parse(column: str, text: str) -> Condition:
    """A filter parameter's value, `[not.]operator.value`, on `column`."""
    if "\x00" in text:
        raise PostgrestError(400, "22021", MSG_NUL)
    negated = text.startswith("not.")
    body = text[4:] if negated else text
    operator, dot, value = body.partition(".")
    if "(" in operator:
        raise not_implemented(MSG_QUANTIFIER)
    if operator in UNSUPPORTED_OPERATORS:
        raise not_implemented(UNSUPPORTED_OPERATORS[operator])
    if not dot or operator not in OPERATORS:
        raise parse_error(
            "filter", text, MSG_OPERATOR_DETAILS.format(op=operator[:1] or "end of input")
        )
    return Condition(column, operator, _operand(operator, value, text), negated)


def _operand(operator: str, value: str, text: str) -> str | tuple[str, ...]:
    if operator == "in":
        if not (value.startswith("(") and value.endswith(")")):
            raise parse_error("filter", text, 'unexpected end of input expecting "("')
        inside = value[1:-1]
        if inside.strip() == "":
            return ()
        return tuple(unquote(item) for item in _split(inside, "filter"))
    if operator == "is":
        if value.lower() not in IS_VALUES:
            raise parse_error(
                "filter",
                text,
                MSG_IS_DETAILS.format(value=value[:1]),
            )
        return value.lower()
    return value


def logic_parse(key: str, text: str) -> Group:
    """`or=(…)`, `and=(…)`, `not.or=(…)`: a group of filters, nested groups allowed."""
    negated = key.startswith("not.")
    connective = key[4:] if negated else key
    return _group(connective, negated, text, text)


def _group(connective: str, negated: bool, body: str, text: str) -> Group:
    what = "logic tree"
    if not (body.startswith("(") and body.endswith(")")) or len(body) < 3:
        raise parse_error(what, text, 'unexpected end of input expecting "("')
    items: list[Condition | Group] = []
    for part in _split(body[1:-1], what):
        items.append(_logic_item(part, text))
    return Group(connective, tuple(items), negated)


def _logic_item(part: str, text: str) -> Condition | Group:
    what = "logic tree"
    negated = part.startswith("not.")
    rest = part[4:] if negated else part
    for connective in ("or", "and"):
        if rest.startswith(connective + "("):
            return _group(connective, negated, rest[len(connective) :], text)
    column, dot, condition = part.partition(".")
    if not dot:
        raise parse_error(what, text, 'unexpected end of input expecting "."')
    column = _identifier(column, what, text)
    parsed = filter_parse(column, condition)
    if parsed.operator not in ("in", "is") and isinstance(parsed.value, str):
        parsed = Condition(column, parsed.operator, unquote(parsed.value), parsed.negated)
    return parsed


# --- order, limit, offset ----------------------------------------------------------------------


def order_parse(text: str) -> tuple[OrderTerm, ...]:
    """`order=col.desc.nullslast,other` as terms."""
    terms = []
    for part in _split(text, "order"):
        if "(" in part:
            raise not_implemented(MSG_RELATED_ORDER)
        name, *modifiers = part.split(".")
        column = _identifier(name, "order", text)
        descending, nulls = False, None
        for index, modifier in enumerate(modifiers):
            if modifier in ("asc", "desc") and index == 0:
                descending = modifier == "desc"
            elif modifier in ("nullsfirst", "nullslast") and nulls is None:
                nulls = modifier[5:]
            else:
                raise parse_error(
                    "order",
                    text,
                    MSG_ORDER_DETAILS.format(modifier=modifier[:1]),
                )
        terms.append(OrderTerm(column, descending, nulls))
    return tuple(terms)


def count_parse(name: str, text: str) -> int:
    """A non-negative integer parameter (`limit`, `offset`)."""
    if not text.isdigit():
        raise parse_error(
            f"{name} parameter", text, "unexpected input expecting a non-negative integer"
        )
    return int(text)


def columns_parse(text: str) -> tuple[str, ...]:
    """`columns="a","b"` (what postgrest-js sends with an array insert)."""
    return tuple(
        _identifier(part, "columns parameter", text) for part in _split(text, "columns parameter")
    )
