"""One error envelope for the whole API: `{"error", "code", "details"}` (DESIGN.md section 6).

Every error the API raises goes through `exception_handler`, so a client reads one shape with
the right status, and nothing ever answers with a traceback.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger("fashionos.api")

# Messages that tests and clients check live here, once.
MSG_VALIDATION = "The request is not valid."
MSG_NOT_AUTHENTICATED = "Authentication credentials were not provided."
MSG_PERMISSION_DENIED = "You do not have permission to perform this action."
MSG_NOT_FOUND = "Not found."
MSG_PAYLOAD_TOO_LARGE = "The request body is too large."
MSG_THROTTLED = "Too many requests. Try again later."
MSG_INTERNAL = "Something went wrong on our side. The error has been logged."
MSG_DATABASE_UNAVAILABLE = "The database is unavailable. Try again shortly."
MSG_CONSTRAINT = "The change conflicts with the data already stored."


class ApiError(exceptions.APIException):
    """An error with an explicit machine code and optional per-field details."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = MSG_VALIDATION
    default_code = "BAD_REQUEST"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail=message or self.default_detail, code=code or self.default_code)
        if status_code is not None:
            self.status_code = status_code
        self.error_code = code or self.default_code
        self.details = details


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = MSG_PAYLOAD_TOO_LARGE
    default_code = "PAYLOAD_TOO_LARGE"


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = MSG_DATABASE_UNAVAILABLE
    default_code = "SERVICE_UNAVAILABLE"


_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ValidationError: "VALIDATION_ERROR",
    exceptions.ParseError: "MALFORMED_REQUEST",
    exceptions.AuthenticationFailed: "AUTHENTICATION_FAILED",
    exceptions.NotAuthenticated: "NOT_AUTHENTICATED",
    exceptions.PermissionDenied: "PERMISSION_DENIED",
    exceptions.NotFound: "NOT_FOUND",
    exceptions.MethodNotAllowed: "METHOD_NOT_ALLOWED",
    exceptions.NotAcceptable: "NOT_ACCEPTABLE",
    exceptions.UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
    exceptions.Throttled: "THROTTLED",
}


def envelope(
    message: str, code: str, details: dict[str, Any] | list | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message, "code": code}
    if details:
        body["details"] = details
    return body


def _message_of(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail:
        return _message_of(detail[0])
    if isinstance(detail, dict) and detail:
        return _message_of(next(iter(detail.values())))
    return MSG_VALIDATION


def _validation_details(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF exception handler: render every error in the envelope."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(MSG_NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(MSG_PERMISSION_DENIED)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, IntegrityError):
        logger.warning("integrity error in %s: %s", _view_name(context), exc)
        exc = ApiError(MSG_CONSTRAINT, code="CONSTRAINT_VIOLATION", status_code=409)
    elif isinstance(exc, OperationalError | InterfaceError):
        # Usually the database is down or unreachable; the traceback tells a bug from an outage.
        logger.error("database unavailable: %s", exc, exc_info=exc)
        exc = ServiceUnavailable()

    if not isinstance(exc, exceptions.APIException):
        if isinstance(exc, DatabaseError):
            logger.exception("database error in %s", _view_name(context))
        else:
            logger.exception("unhandled error in %s", _view_name(context))
        set_rollback()
        return Response(envelope(MSG_INTERNAL, "INTERNAL_ERROR"), status=500)

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, ApiError):
        body = envelope(_message_of(exc.detail), exc.error_code, exc.details)
    elif isinstance(exc, exceptions.ValidationError):
        body = envelope(
            _message_of(exc.detail), "VALIDATION_ERROR", _validation_details(exc.detail)
        )
    elif isinstance(exc, exceptions.Throttled):
        body = envelope(MSG_THROTTLED, "THROTTLED", {"retry_after_seconds": exc.wait})
    else:
        code = next(
            (c for klass, c in _CODES.items() if isinstance(exc, klass)),
            str(getattr(exc, "default_code", "ERROR")).upper(),
        )
        codes = exc.get_codes()
        if isinstance(codes, str) and codes.isupper():
            code = codes
        body = envelope(_message_of(exc.detail), code)

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def set_rollback() -> None:
    """Roll back the request's transaction (ATOMIC_REQUESTS), as DRF's own handler does."""
    # Imported here: importing rest_framework.views loads the parser classes the settings name,
    # and the JSON parser imports this module, so a module-level import would be circular.
    from rest_framework.views import set_rollback as rollback

    rollback()


def _view_name(context: dict[str, Any]) -> str:
    view = context.get("view")
    return view.__class__.__name__ if view is not None else "unknown view"
