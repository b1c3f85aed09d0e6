"""The SQL of PostgREST's operators that Django has no lookup for, used as filter expressions
(never registered on a field): `like`/`ilike` with PostgREST's `*` wildcard, and
`is.true`/`is.false`. Filters are built from lookup expressions rather than keyword lookups
so `not.` keeps SQL's three-valued logic, as PostgREST does: `not.eq.x` leaves out NULLs.
"""

from __future__ import annotations

from django.db.models import Lookup


def _glob(pattern: str) -> str:
    """A LIKE pattern as an SQLite GLOB pattern (GLOB is SQLite's case-sensitive match)."""
    out = []
    for char in pattern:
        if char == "%":
            out.append("*")
        elif char == "_":
            out.append("?")
        elif char in "*?[]":
            out.append(f"[{char}]")
        else:
            out.append(char)
    return "".join(out)


class Like(Lookup):
    """`column LIKE pattern` (case-sensitive), over the column's text."""

    prepare_rhs = False
    case_sensitive = True

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *rhs_params]
        if connection.vendor == "postgresql":
            operator = "LIKE" if self.case_sensitive else "ILIKE"
            return f"({lhs})::text {operator} {rhs}", params
        if self.case_sensitive:
            params[-1] = _glob(params[-1])
            return f"{lhs} GLOB {rhs}", params
        return f"{lhs} LIKE {rhs}", params


class ILike(Like):
    """`column ILIKE pattern` (case-insensitive)."""

    case_sensitive = False


class IsTruth(Lookup):
    """`column IS TRUE` / `column IS FALSE`: NULL is neither."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IS {'TRUE' if self.rhs else 'FALSE'}", params
