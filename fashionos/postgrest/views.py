"""`/rest/v1/<table>`: the HTTP side of the PostgREST-compatible engine.

Authenticated exactly as `/api/v1` (`fashionos/accounts/authentication.py`): the
`Authorization: Bearer` token supabase-js sends (the anon key, a user's access token or the
service key; none is the anon role); the `apikey` header names the project, not the caller.
A bad token is PGRST301, an expired one PGRST303, both 401 as PostgREST answers them.

A plain Django view rather than a DRF one: the hot path parses the query string, runs a
bounded number of statements and writes orjson bytes, with nothing per row in between.
"""

from __future__ import annotations

import difflib

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from fashionos.accounts.authentication import (
    TokenAuthenticationFailed,
    bearer_token,
    user_for_claims,
)
from fashionos.accounts.tokens import TokenError, token_decode
from fashionos.postgrest import writes
from fashionos.postgrest.errors import (
    MSG_JWT_EXPIRED,
    MSG_METHOD,
    MSG_RANGE,
    MSG_RANGE_OFFSET,
    PostgrestError,
    unknown_table,
)
from fashionos.postgrest.negotiation import (
    accept_parse,
    preferences_parse,
    range_parse,
    schema_check,
)
from fashionos.postgrest.query import plan_read
from fashionos.postgrest.reads import page_bounds, page_read
from fashionos.postgrest.render import error_response
from fashionos.postgrest.responses import content_range, rows_response
from fashionos.principals import Actor
from fashionos.tables import Table, UnknownTable, table_get, tables

MSG_NO_RPC = "Could not find the function public.{name} without parameters in the schema cache"
MSG_NO_RPC_HINT = "This server serves tables only: database functions (RPC) are not served."
MSG_ROOT = "Root endpoint metadata is disabled"


def caller(request: HttpRequest) -> Actor:
    """The actor behind the request's bearer token, as `/api/v1` authenticates it (None for
    the anon key or no token); 401 PGRST301/PGRST303 for a bad or expired token."""
    try:
        token = bearer_token(request)
        if token is None:
            return None
        return user_for_claims(token_decode(token))
    except TokenAuthenticationFailed as exc:
        raise _jwt_error("PGRST301", str(exc.detail)) from None
    except TokenError as exc:
        if exc.code == "TOKEN_EXPIRED":
            raise _jwt_error("PGRST303", MSG_JWT_EXPIRED) from None
        raise _jwt_error("PGRST301", exc.message) from None


def _jwt_error(code: str, message: str) -> PostgrestError:
    header = f'Bearer error="invalid_token", error_description="{message}"'
    return PostgrestError(401, code, message, headers={"WWW-Authenticate": header})


def _table(name: str) -> Table:
    try:
        return table_get(name)
    except UnknownTable:
        names = [table.name for table in tables()]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"Perhaps you meant the table 'public.{close[0]}'" if close else None
        raise unknown_table(name, hint) from None


def _params(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


@method_decorator(csrf_exempt, name="dispatch")
class TableView(View):
    """GET, HEAD, POST, PATCH and DELETE on one registered table."""

    http_method_names = ["get", "head", "post", "patch", "delete", "options"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            method = request.method.lower()
            if method == "options":
                return super().dispatch(request, *args, **kwargs)
            if method not in self.http_method_names:
                raise PostgrestError(405, "PGRST117", MSG_METHOD.format(method=request.method))
            schema_check(
                request.headers.get("Accept-Profile")
                if method in ("get", "head")
                else request.headers.get("Content-Profile")
            )
            table = _table(kwargs["table"])
            actor = caller(request)
            if actor is not None:
                request.user = actor  # the request log names the caller, as for /api/v1
            return getattr(self, method)(request, table, actor)
        except PostgrestError as error:
            return error_response(error)

    def get(self, request: HttpRequest, table: Table, actor: Actor, *, head: bool = False):
        plan = plan_read(table, _params(request))
        representation = accept_parse(request.headers.get("Accept"))
        prefer = preferences_parse(request.headers.get("Prefer", ""))
        first, size = page_bounds(plan, range_parse(request.headers.get("Range")))
        page = page_read(plan, actor, first=first, size=size, count=prefer.count is not None)
        total = page.total
        if total is not None and first > total:
            raise PostgrestError(
                416,
                "PGRST103",
                MSG_RANGE,
                details=MSG_RANGE_OFFSET.format(offset=first, total=total),
                headers={"Content-Range": f"*/{total}"},
            )
        status = 206 if total is not None and len(page.rows) < total else 200
        if representation.single:
            status = 200
        response = rows_response(page, representation, status=status, head=head)
        response["Content-Range"] = content_range(first, len(page.rows), total)
        if prefer.count:
            response["Preference-Applied"] = f"count={prefer.count}"
        return response

    def head(self, request: HttpRequest, table: Table, actor: Actor):
        return self.get(request, table, actor, head=True)

    def post(self, request: HttpRequest, table: Table, actor: Actor):
        return writes.insert_response(request, table, actor, _params(request))

    def patch(self, request: HttpRequest, table: Table, actor: Actor):
        return writes.update_response(request, table, actor, _params(request))

    def delete(self, request: HttpRequest, table: Table, actor: Actor):
        return writes.delete_response(request, table, actor, _params(request))


@csrf_exempt
def rpc_view(request: HttpRequest, name: str) -> HttpResponse:
    """`/rest/v1/rpc/<function>`: no database function is served (PGRST202)."""
    return error_response(
        PostgrestError(404, "PGRST202", MSG_NO_RPC.format(name=name), hint=MSG_NO_RPC_HINT)
    )


@csrf_exempt
def root_view(request: HttpRequest) -> HttpResponse:
    """`/rest/v1/`: PostgREST's OpenAPI description is not served (PGRST126)."""
    return error_response(PostgrestError(404, "PGRST126", MSG_ROOT))
