"""The bound on every request body, applied before the body is read.

The largest legitimate body is an asset upload (ASSET_UPLOAD_MAX_BYTES plus room for the
form fields); the parsers then apply each endpoint's own, tighter bound. Under ASGI,
`fashionos.asgi_http` refuses a request whose `Content-Length` is over the bound without
reading a byte of it, and stops reading a body sent without one (chunked) as soon as it
passes the bound. Under WSGI, `RequestBodyLimitMiddleware` refuses on `Content-Length` before
anything reads the body (a WSGI body with no length is empty to Django).

The server in front should refuse such bodies even earlier (nginx `client_max_body_size`,
README's production checklist): daphne buffers a whole request before the application sees
it.
"""

from __future__ import annotations

import json
import logging

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import JsonResponse

from fashionos.errors import MSG_BODY_TOO_LARGE

logger = logging.getLogger("fashionos.requests")

CODE_PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"


class RequestBodyTooLarge(Exception):
    """The body went past REQUEST_BODY_MAX_BYTES while being read."""


def body_limit() -> int:
    return settings.REQUEST_BODY_MAX_BYTES


def declared_length(value: bytes | str | None) -> int | None:
    """A Content-Length header's value as a number, or None when absent or not a number
    (then the body is bounded while it is read)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    return int(text) if text.isdigit() else None


def too_large_body() -> bytes:
    """The 413 answer in the error envelope."""
    return json.dumps({"error": MSG_BODY_TOO_LARGE, "code": CODE_PAYLOAD_TOO_LARGE}).encode()


def refusal_log(*, method: str, path: str, declared: int | None) -> None:
    logger.info(
        json.dumps(
            {
                "event": "http_body_refused",
                "method": method,
                "path": path,
                "status": 413,
                "declared_length": declared,
                "limit": body_limit(),
            }
        )
    )


class RequestBodyLimitMiddleware:
    """413 for a request whose declared body is over REQUEST_BODY_MAX_BYTES, before any view
    or middleware reads it (WSGI; under ASGI the handler already refused it). Runs in the
    stack's own mode, so it never adds a thread hop."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        refusal = self._refusal(request)
        if self.is_async:
            return self._acall(request, refusal)
        return refusal or self.get_response(request)

    async def _acall(self, request, refusal):
        return refusal or await self.get_response(request)

    @staticmethod
    def _refusal(request) -> JsonResponse | None:
        declared = declared_length(request.META.get("CONTENT_LENGTH"))
        if declared is None or declared <= body_limit():
            return None
        refusal_log(method=request.method, path=request.path, declared=declared)
        return JsonResponse(
            {"error": MSG_BODY_TOO_LARGE, "code": CODE_PAYLOAD_TOO_LARGE}, status=413
        )
