"""One error envelope for the whole API: `{"error", "code", "details"}` (DESIGN.md section 6).

Every error the API raises goes through `exception_handler`, so a client reads one shape with
the right status, and nothing ever answers with a traceback. The domain errors services and
parsers raise (`fashionos/errors.py`) are mapped to their statuses here, in `DOMAIN_STATUSES`,
and nowhere else.
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
from rest_framework.views import set_rollback as drf_set_rollback

from fashionos.errors import (
    MSG_BODY_TOO_LARGE,
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    TooLarge,
)

logger = logging.getLogger("fashionos.api")

# Messages that tests and clients check live here, once.
MSG_VALIDATION = "The request is not valid."
MSG_NOT_AUTHENTICATED = "Authentication credentials were not provided."
MSG_PERMISSION_DENIED = "You do not have permission to perform this action."
MSG_NOT_FOUND = "Not found."
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
    default_detail = MSG_BODY_TOO_LARGE
    default_code = "PAYLOAD_TOO_LARGE"


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = MSG_DATABASE_UNAVAILABLE
    default_code = "SERVICE_UNAVAILABLE"


# Each kind of domain error, and the status it answers with.
DOMAIN_STATUSES: dict[type[DomainError], int] = {
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    NotAuthenticated: status.HTTP_401_UNAUTHORIZED,
    NotAllowed: status.HTTP_403_FORBIDDEN,
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    TooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}


def domain_status(error: DomainError) -> int:
    """The HTTP status of a domain error (400 for a kind not listed)."""
    for kind, code in DOMAIN_STATUSES.items():
        if isinstance(error, kind):
            return code
    return status.HTTP_400_BAD_REQUEST


def domain_error_api(error: DomainError) -> ApiError:
    """The domain error as the API error the envelope renders."""
    return ApiError(
        error.message, code=error.code, status_code=domain_status(error), details=error.details
    )


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
    if isinstance(exc, DomainError):
        exc = domain_error_api(exc)
    elif isinstance(exc, Http404):
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
    drf_set_rollback()


def _view_name(context: dict[str, Any]) -> str:
    view = context.get("view")
    return view.__class__.__name__ if view is not None else "unknown view"
