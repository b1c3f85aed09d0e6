"""Errors in PostgREST's shape: `{"code", "message", "details", "hint"}` with PostgREST's
statuses and codes (its `src/library/PostgREST/Error.hs`), so supabase-js and supabase-py
read them as they would from Supabase. `/rest/v1` answers only these; the API's own envelope
(`fashionos/api/errors.py`) is for `/api/v1`.

Plain Python: the parser raises these without knowing anything of HTTP beyond the status
PostgREST gives each code.
"""

from __future__ import annotations

from typing import Any

MSG_PARSE = '"failed to parse {what} ({text})" (line 1, column {column})'
MSG_UNDEFINED_COLUMN = "column {table}.{column} does not exist"
MSG_UNKNOWN_TABLE = "Could not find the table 'public.{name}' in the schema cache"
MSG_NO_RELATION = (
    "Could not find a relationship between '{parent}' and '{child}' in the schema cache"
)
MSG_NO_RELATION_DETAILS = (
    "Searched for a foreign key relationship between '{parent}' and '{child}' in the schema "
    "'public', but no matches were found."
)
MSG_SINGULAR = "Cannot coerce the result to a single JSON object"
MSG_SINGULAR_DETAILS = "The result contains {count} rows"
MSG_NOT_ACCEPTABLE = "None of these media types are available: {types}"
MSG_SCHEMA = "Invalid schema: {schema}"
MSG_SCHEMA_HINT = "Only the following schemas are exposed: public"
MSG_RANGE = "Requested range not satisfiable"
MSG_RANGE_OFFSET = "An offset of {offset} was requested, but there are only {total} rows."
MSG_JWT_INVALID = "JWT cryptographic operation failed"
MSG_JWT_EXPIRED = "JWT expired"
MSG_RLS = 'new row violates row-level security policy for table "{table}"'
MSG_RLS_UPDATE = 'new row violates row-level security policy (USING expression) for table "{table}"'
MSG_UNIQUE = 'duplicate key value violates unique constraint "{constraint}"'
MSG_UNIQUE_DETAILS = "Key ({columns})=({values}) already exists."
MSG_WHERE_REQUIRED = "{command} requires a WHERE clause"
MSG_WHERE_REQUIRED_HINT = (
    "Add a filter (for example id=eq.<id>); only the service key may change every row at once."
)
MSG_INVALID_BODY = "Empty or invalid json"
MSG_METHOD = "Unsupported HTTP method: {method}"
MSG_NOT_IMPLEMENTED = "Feature not implemented"
MSG_AGGREGATES = "Use of aggregate functions is not allowed"
MSG_INVALID_INPUT = 'invalid input syntax for type {pg_type}: "{value}"'
MSG_CHECK = 'new row for relation "{table}" violates check constraint'
MSG_NOT_NULL = 'null value in column "{column}" of relation "{table}" violates not-null constraint'
MSG_TOO_MANY_ROWS = "The request asks for {count} rows; at most {limit} are served at once."
MSG_TOO_MANY_FILTERS = "The request has {count} filters; at most {limit} are allowed."
MSG_TOO_MANY_VALUES = "An in.() list has {count} values; at most {limit} are allowed."
MSG_BODY_TOO_LARGE = "The request body is over {limit} bytes."
MSG_TOO_MANY_BODY_ROWS = "The request body has {count} rows; at most {limit} are taken at once."
MSG_LIMIT_HINT = "Page through the rows with limit and offset, or a Range header."
MSG_READ_ONLY = 'cannot {command} table "{table}"'
MSG_COLUMN_NOT_FOUND = "Could not find the '{column}' column of '{table}' in the schema cache"


class PostgrestError(Exception):
    """An answer in PostgREST's error shape with its HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Any = None,
        hint: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.hint = hint
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "details": self.details,
            "hint": self.hint,
            "message": self.message,
        }


def parse_error(what: str, text: str, details: str, *, column: int = 1) -> PostgrestError:
    """PGRST100: a query parameter PostgREST's grammar does not accept."""
    message = MSG_PARSE.format(what=what, text=text, column=column)
    return PostgrestError(400, "PGRST100", message, details=details)


def not_implemented(details: str) -> PostgrestError:
    """PGRST127: a PostgREST feature this server does not serve (RPC, casts, full-text
    search, JSON paths, …); never a wrong result instead."""
    return PostgrestError(400, "PGRST127", MSG_NOT_IMPLEMENTED, details=details)


def undefined_column(table: str, column: str) -> PostgrestError:
    """42703: a column the table does not have."""
    message = MSG_UNDEFINED_COLUMN.format(table=table, column=column)
    return PostgrestError(400, "42703", message)


def unknown_table(name: str, hint: str | None = None) -> PostgrestError:
    """PGRST205: no table of that name is served."""
    return PostgrestError(404, "PGRST205", MSG_UNKNOWN_TABLE.format(name=name), hint=hint)


def no_relation(parent: str, child: str) -> PostgrestError:
    """PGRST200: an embed along no foreign key between the two tables."""
    return PostgrestError(
        400,
        "PGRST200",
        MSG_NO_RELATION.format(parent=parent, child=child),
        details=MSG_NO_RELATION_DETAILS.format(parent=parent, child=child),
    )


def limit_exceeded(message: str) -> PostgrestError:
    """A bound of this server on the query (page size, number of filters, in-list length):
    400 with PGRST100, as for any query parameter the server does not take."""
    return PostgrestError(400, "PGRST100", message, hint=MSG_LIMIT_HINT)


def body_too_large(message: str) -> PostgrestError:
    """A body over this server's bound (bytes or rows): 413 with PGRST102 (invalid body)."""
    return PostgrestError(413, "PGRST102", message)
