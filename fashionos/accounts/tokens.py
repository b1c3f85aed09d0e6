"""JWTs shaped like Supabase's.

- Access tokens: short-lived, claims `sub`, `role`, `aud`, `exp`, `iat`, `email`,
  `session_id` (plus `iss`, `app_metadata`, `user_metadata`, `aal`, as GoTrue issues them).
- API keys: long-lived JWTs with `role` anon or service_role and no `sub`, as Supabase's anon
  and service_role keys.

Decoding accepts only HS256 signed with our secret, by our issuer (`iss`), with the audience
of its kind (`aud` "authenticated" on an access token, none on a project key), and with
numeric times (`exp`, `iat`, `nbf`) that are whole numbers a datetime can hold. Anything else,
however malformed, is a `TokenError` (a 401), never an exception of another kind.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone

from fashionos.principals import ROLE_ANON, ROLE_AUTHENTICATED, ROLE_SERVICE

API_KEY_LIFETIME = timedelta(days=3650)
KEY_ROLES = (ROLE_ANON, ROLE_SERVICE)

MSG_TOKEN_EXPIRED = "The token has expired."
MSG_TOKEN_INVALID = "The token is invalid."

# The numeric claims are seconds since 1970 that a datetime can hold (up to 9999-12-31).
TIME_CLAIMS = ("exp", "iat", "nbf")
MAX_TIMESTAMP = 253_402_300_799


class TokenError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class TokenClaims:
    role: str
    sub: uuid.UUID | None
    session_id: uuid.UUID | None
    email: str
    expires_at: datetime
    raw: dict[str, Any]

    @property
    def is_api_key(self) -> bool:
        return self.sub is None


def _config() -> dict[str, Any]:
    return settings.JWT


def _encode(claims: dict[str, Any]) -> str:
    cfg = _config()
    return jwt.encode(claims, cfg["SECRET"], algorithm=cfg["ALGORITHM"])


def access_token_issue(
    *, user, session_id: uuid.UUID, now: datetime | None = None
) -> tuple[str, datetime]:
    """Sign an access token for `user` in sign-in session `session_id`; return it and its
    expiry."""
    cfg = _config()
    now = now or timezone.now()
    expires_at = now + cfg["ACCESS_TOKEN_LIFETIME"]
    claims = {
        "iss": cfg["ISSUER"],
        "sub": str(user.pk),
        "aud": cfg["AUDIENCE"],
        "exp": int(expires_at.timestamp()),
        "iat": int(now.timestamp()),
        "email": user.email,
        "phone": "",
        "role": ROLE_AUTHENTICATED,
        "aal": "aal1",
        "session_id": str(session_id),
        "is_anonymous": False,
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": user.metadata(),
    }
    return _encode(claims), expires_at.replace(microsecond=0)


def api_key_issue(*, role: str, now: datetime | None = None) -> str:
    """Sign an anon or service_role key (no `sub`), as Supabase's project keys."""
    if role not in KEY_ROLES:
        raise ValueError(f"An API key's role is one of {KEY_ROLES}, not {role!r}.")
    now = now or timezone.now()
    claims = {
        "iss": _config()["ISSUER"],
        "role": role,
        "iat": int(now.timestamp()),
        "exp": int((now + API_KEY_LIFETIME).timestamp()),
    }
    return _encode(claims)


def _invalid() -> TokenError:
    return TokenError(MSG_TOKEN_INVALID, "TOKEN_INVALID")


def _times_check(raw: dict[str, Any]) -> None:
    """Refuse a time claim that is not a whole number of seconds in range (a string, a
    boolean, a float, 2**62): PyJWT compares such values, and datetime cannot hold them."""
    for name in TIME_CLAIMS:
        if name not in raw:
            continue
        value = raw[name]
        if type(value) is not int or not 0 <= value <= MAX_TIMESTAMP:
            raise _invalid()


def token_decode(token: str) -> TokenClaims:
    """Verify `token` and return its claims; raise TokenError if it is expired, tampered with,
    signed with another secret or algorithm, issued by another issuer, meant for another
    audience, or not shaped like one of ours."""
    cfg = _config()
    try:
        raw = jwt.decode(
            token,
            cfg["SECRET"],
            algorithms=[cfg["ALGORITHM"]],
            issuer=cfg["ISSUER"],
            options={"verify_aud": False, "require": ["exp", "iat", "iss", "role"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenError(MSG_TOKEN_EXPIRED, "TOKEN_EXPIRED") from None
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError):
        raise _invalid() from None
    _times_check(raw)

    role = raw.get("role")
    expires_at = datetime.fromtimestamp(raw["exp"], tz=timezone.get_current_timezone())
    if role in KEY_ROLES:
        # A project key names no user and no audience: one that does is not ours.
        if "sub" in raw or "aud" in raw:
            raise _invalid()
        return TokenClaims(role, None, None, "", expires_at, raw)
    if role != ROLE_AUTHENTICATED or raw.get("aud") != cfg["AUDIENCE"]:
        raise _invalid()
    sub, session_id, email = raw.get("sub"), raw.get("session_id"), raw.get("email", "")
    if not isinstance(sub, str) or not isinstance(session_id, str) or not isinstance(email, str):
        raise _invalid()
    try:
        return TokenClaims(role, uuid.UUID(sub), uuid.UUID(session_id), email, expires_at, raw)
    except ValueError:
        raise _invalid() from None
