"""Errors that no API view rendered (an unknown URL, an uncaught exception, a refused host),
answered in JSON in the shape of the API the path belongs to, whatever `DEBUG` is.

With `DEBUG` off Django answers them through `handler400/403/404/500`; with `DEBUG` on it
answers with its HTML debug pages, which a client of the API cannot parse. Both routes end
here: the handlers render `error_response`, and `ApiErrorPagesMiddleware` replaces any error
page that is not JSON on an API path by the same response (the traceback of a 500 is still
logged by Django, once).

Each API prefix names the function that shapes its errors (`ERROR_SHAPES`): GoTrue's
`{"code", "error_code", "msg"}` under `/auth/v1/`, the project's envelope elsewhere. Another
surface registers its own with `error_shape_register` (for example PostgREST's shape for
`/rest/v1/`), and the handlers and the middleware follow.
"""

from __future__ import annotations

from collections.abc import Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, JsonResponse

from fashionos.api.errors import (
    MSG_INTERNAL,
    MSG_NOT_FOUND,
    MSG_PERMISSION_DENIED,
    MSG_VALIDATION,
    envelope,
)
from fashionos.errors import MSG_BODY_TOO_LARGE

MSG_METHOD_NOT_ALLOWED = "This method is not allowed here."
MSG_ERROR = "The request failed."

# status -> (machine code, message) for the errors Django itself produces.
_KNOWN: dict[int, tuple[str, str]] = {
    400: ("BAD_REQUEST", MSG_VALIDATION),
    403: ("PERMISSION_DENIED", MSG_PERMISSION_DENIED),
    404: ("NOT_FOUND", MSG_NOT_FOUND),
    405: ("METHOD_NOT_ALLOWED", MSG_METHOD_NOT_ALLOWED),
    413: ("PAYLOAD_TOO_LARGE", MSG_BODY_TOO_LARGE),
    500: ("INTERNAL_ERROR", MSG_INTERNAL),
}

ErrorShape = Callable[[int], JsonResponse]


def _code_and_message(status: int) -> tuple[str, str]:
    if status in _KNOWN:
        return _KNOWN[status]
    return ("INTERNAL_ERROR", MSG_INTERNAL) if status >= 500 else ("ERROR", MSG_ERROR)


def envelope_shape(status: int) -> JsonResponse:
    """The project's envelope: `{"error", "code"}`."""
    code, message = _code_and_message(status)
    return JsonResponse(envelope(message, code), status=status)


def gotrue_shape(status: int) -> JsonResponse:
    """GoTrue's error shape: `{"code": <status>, "error_code", "msg"}`."""
    code, message = _code_and_message(status)
    error_code = "unexpected_failure" if status >= 500 else code.lower()
    return JsonResponse({"code": status, "error_code": error_code, "msg": message}, status=status)


# Path prefix -> the shape of its errors. The longest matching prefix wins.
ERROR_SHAPES: dict[str, ErrorShape] = {
    "/api/": envelope_shape,
    "/auth/v1/": gotrue_shape,
    "/functions/v1/": envelope_shape,
    "/rest/v1/": envelope_shape,
    "/realtime/v1/": envelope_shape,
}


def error_shape_register(*, prefix: str, shape: ErrorShape) -> None:
    """Render the errors of paths under `prefix` (e.g. "/rest/v1/") with `shape`."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"an API prefix starts and ends with '/': {prefix!r}")
    ERROR_SHAPES[prefix] = shape


def error_shape_for(path: str) -> ErrorShape | None:
    """The shape of errors under `path`, or None when the path is not an API path."""
    matches = [prefix for prefix in ERROR_SHAPES if path.startswith(prefix)]
    if not matches:
        # "/auth/v1" without its slash belongs to the API too.
        matches = [prefix for prefix in ERROR_SHAPES if path == prefix.rstrip("/")]
    return ERROR_SHAPES[max(matches, key=len)] if matches else None


def error_response(request: HttpRequest, status: int) -> JsonResponse:
    """The JSON error for `status` at the request's path: its API's shape, or the envelope on
    any other path (the admin's own pages are HTML views and never reach here on success)."""
    shape = error_shape_for(request.path) or envelope_shape
    return shape(status)


# Django's handlers (named in fashionos/urls.py), used when DEBUG is off.
def handler400(request, exception=None) -> JsonResponse:
    return error_response(request, 400)


def handler403(request, exception=None) -> JsonResponse:
    return error_response(request, 403)


def handler404(request, exception=None) -> JsonResponse:
    return error_response(request, 404)


def handler500(request) -> JsonResponse:
    return error_response(request, 500)


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class ApiErrorPagesMiddleware:
    """On an API path, an error (4xx or 5xx) answered with anything but JSON (Django's debug
    pages under `DEBUG`, a bare `HttpResponseNotAllowed`) is answered in the path's JSON
    shape instead, with the same status and headers such as `Allow`. Runs in the stack's own
    mode, sync or async."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        return self._json_errors(request, self.get_response(request))

    async def __acall__(self, request):
        return self._json_errors(request, await self.get_response(request))

    @staticmethod
    def _json_errors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or response.streaming or _is_json(response):
            return response
        shape = error_shape_for(request.path)
        if shape is None:
            return response
        replacement = shape(response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                replacement[header] = response[header]
        return replacement
