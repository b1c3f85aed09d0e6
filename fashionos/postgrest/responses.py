"""Rows as PostgREST answers them: a JSON list, or one object for `.single()`, with its
`Content-Range`."""

from __future__ import annotations

from django.http import HttpResponse

from fashionos.postgrest.errors import MSG_SINGULAR, MSG_SINGULAR_DETAILS, PostgrestError
from fashionos.postgrest.negotiation import Representation
from fashionos.postgrest.reads import Page
from fashionos.postgrest.render import JSON_TYPE, OBJECT_TYPE, json_bytes, strip_nulls


def rows_response(
    page: Page,
    representation: Representation,
    *,
    status: int = 200,
    head: bool = False,
) -> HttpResponse:
    """The rows as PostgREST answers them: a list, or one object for `.single()` (406
    PGRST116 when not exactly one row)."""
    rows = page.rows
    if representation.single:
        if len(rows) != 1:
            raise PostgrestError(
                406,
                "PGRST116",
                MSG_SINGULAR,
                details=MSG_SINGULAR_DETAILS.format(count=len(rows)),
            )
        value, content_type = rows[0], OBJECT_TYPE
    else:
        value, content_type = rows, JSON_TYPE
    if representation.strip_nulls:
        value = strip_nulls(value)
    body = b"" if head else json_bytes(value)
    return HttpResponse(body, status=status, content_type=content_type)


def content_range(first: int, count: int, total: int | None) -> str:
    """PostgREST's `Content-Range`: `0-9/40`, `*/40` for no rows, `*` when not counted."""
    last = first + count - 1
    span = f"{first}-{last}" if count and total != 0 else "*"
    return f"{span}/{'*' if total is None else total}"
