"""Domain errors: what services and request parsers raise when they refuse a request, with a
message the caller can act on, a machine code and optional per-field details. They know
nothing of HTTP; `fashionos/api/errors.py` maps each kind to its status in one place (and the
GoTrue views to GoTrue's shape), so a service never decides a status code.

Plain Python: anything may import it.
"""

from __future__ import annotations

from typing import Any

MSG_BODY_TOO_LARGE = "The request body is too large."


class DomainError(Exception):
    """A refused request. Subclass one of the kinds below (never this class directly)."""

    code = "BAD_REQUEST"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or type(self).code
        self.details = details


class InvalidInput(DomainError):
    """The input is malformed or breaks a rule (400)."""

    code = "VALIDATION_ERROR"


class NotAuthenticated(DomainError):
    """No valid credentials (401)."""

    code = "NOT_AUTHENTICATED"


class NotAllowed(DomainError):
    """The caller sees the thing but may not do this to it (403)."""

    code = "PERMISSION_DENIED"


class NotFound(DomainError):
    """The thing does not exist, or the caller may not see it: the same answer (404)."""

    code = "NOT_FOUND"


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""

    code = "CONFLICT"


class TooLarge(DomainError):
    """The body, a file or a list is over its bound (413)."""

    code = "PAYLOAD_TOO_LARGE"
