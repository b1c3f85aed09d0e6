"""JSON out, fast: rows straight from `.values()` through orjson (UUIDs, dates and
timestamps encoded natively, as PostgREST writes them), and errors in PostgREST's shape."""

from __future__ import annotations

import decimal
from typing import Any

import orjson
from django.http import HttpResponse

from fashionos.postgrest.errors import PostgrestError

JSON_TYPE = "application/json; charset=utf-8"
OBJECT_TYPE = "application/vnd.pgrst.object+json; charset=utf-8"


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "name"):  # a FieldFile
        return value.name or None
    raise TypeError(type(value).__name__)


def json_bytes(value: Any) -> bytes:
    return orjson.dumps(value, default=_default)


def strip_nulls(value: Any) -> Any:
    """`nulls=stripped`: keys whose value is null are left out (embedded rows too)."""
    if isinstance(value, list):
        return [strip_nulls(item) for item in value]
    if isinstance(value, dict):
        return {key: strip_nulls(item) for key, item in value.items() if item is not None}
    return value


def error_response(error: PostgrestError, *, content_type: str = JSON_TYPE) -> HttpResponse:
    response = HttpResponse(
        json_bytes(error.body()), status=error.status, content_type=content_type
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def error_shape(status: int) -> HttpResponse:
    """The PostgREST-shaped answer for an error no view rendered (an unknown path under
    `/rest/v1/`, an uncaught exception), for `fashionos/api/error_pages.py`."""
    code = {404: "PGRST125", 405: "PGRST117", 413: "PGRST102"}.get(status, "PGRSTX00")
    message = {
        404: "Invalid path specified in request URL",
        405: "Unsupported HTTP method",
        413: "The request body is too large.",
    }.get(status, "Something went wrong on our side. The error has been logged.")
    return error_response(PostgrestError(status, code, message), content_type="application/json")
