"""One structured log line per HTTP request, and a request id on every response.

The line is JSON, at INFO (WARNING for a 4xx answer, ERROR for a 5xx): method, path (never
the query string, which may carry an API key), status, duration in milliseconds, the caller's
user id (none for anon, "service_role" for the service key) and the request id. The id is
taken from a well-formed incoming `X-Request-ID` (so a proxy's id follows the request) or made
here, and returned in the `X-Request-ID` header. Nothing else repeats the line: see LOGGING in
the settings, and `ExceptionsOnlyFilter` below.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

logger = logging.getLogger("fashionos.requests")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(meta: dict) -> str:
    incoming = meta.get("HTTP_X_REQUEST_ID", "")
    return incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex


def caller_id(request) -> str | None:
    user = request.__dict__.get("user")  # set by DRF or an evaluated session lookup
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return str(user.pk) if getattr(user, "pk", None) is not None else str(user)


def level_of(status: int) -> int:
    """The level of a request's line: ERROR for a 5xx answer, WARNING for a 4xx, else INFO."""
    if status >= 500:
        return logging.ERROR
    return logging.WARNING if status >= 400 else logging.INFO


class ExceptionsOnlyFilter(logging.Filter):
    """For `django.request`: keeps an uncaught exception's record (it carries the traceback)
    and drops Django's "Not Found: /path" / "Bad Request: /path" echo of an error response,
    which the request's own line already says."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is not None and record.exc_info[0] is not None


class RequestLogMiddleware:
    """Runs in the stack's own mode (sync under WSGI, async under ASGI), so it never adds a
    thread hop."""

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
        started = time.perf_counter()
        request.request_id = request_id_of(request.META)
        response = self.get_response(request)
        self._finish(request, response, started)
        return response

    async def __acall__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request.META)
        response = await self.get_response(request)
        self._finish(request, response, started)
        return response

    def _finish(self, request, response, started: float) -> None:
        response[REQUEST_ID_HEADER] = request.request_id
        level = level_of(response.status_code)
        if logger.isEnabledFor(level):
            logger.log(
                level,
                json.dumps(
                    {
                        "event": "http_request",
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "user_id": caller_id(request),
                        "request_id": request.request_id,
                    }
                ),
            )
