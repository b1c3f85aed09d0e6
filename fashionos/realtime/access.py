"""Who a realtime channel reads as, and which campaigns' rows it may see.

The same rules as the campaigns' `visible_to` (DESIGN.md section 5), read through the table
registry's group source, held in memory for the
life of a channel: loaded once when it joins and again when its token is replaced, then kept
current by membership messages, so a change is authorized without touching the database.

- A user's access token: the campaigns the user is a member of (one query).
- A staff user (the admin role) or the service key: every campaign.
- The anon key: no campaign.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from fashionos.accounts.authentication import user_for_claims
from fashionos.accounts.tokens import KEY_ROLES, TokenClaims, TokenError, token_decode
from fashionos.principals import ROLE_ANON, ROLE_SERVICE, sees_every_row
from fashionos.tables import groups_visible_to

MSG_NOT_A_PROJECT_KEY = "The apikey is not one of this project's anon or service keys."


@dataclass(frozen=True, slots=True)
class Reader:
    role: str
    user_id: str | None
    sees_all: bool
    campaign_ids: frozenset[str]


def api_key_check(apikey: str | None) -> TokenClaims:
    """The claims of the socket's `apikey`; raise TokenError unless it is one of our anon or
    service keys (a user's access token is not a project key)."""
    if not apikey:
        raise TokenError(MSG_NOT_A_PROJECT_KEY, "APIKEY_MISSING")
    claims = token_decode(apikey)
    if claims.role not in KEY_ROLES or not claims.is_api_key:
        raise TokenError(MSG_NOT_A_PROJECT_KEY, "APIKEY_INVALID")
    return claims


def claims_user_id(claims: TokenClaims) -> str | None:
    """The user a token names, read from the token alone (no query)."""
    return str(claims.sub) if claims.sub is not None else None


def reader_load(claims: TokenClaims) -> Reader:
    """Resolve verified claims to a Reader: one query for the session and user, one for the
    memberships. Raises TokenError when the session has ended or the user is inactive."""
    if claims.role == ROLE_SERVICE:
        return Reader(ROLE_SERVICE, None, True, frozenset())
    if claims.role == ROLE_ANON:
        return Reader(ROLE_ANON, None, False, frozenset())
    user = user_for_claims(claims)
    # The same rule as the REST API's: the campaigns' `visible_to`, through the group source
    # the campaigns' app registered.
    if sees_every_row(user):
        return Reader(claims.role, str(user.pk), True, frozenset())
    return Reader(claims.role, str(user.pk), False, groups_visible_to(user))


def token_expires_in(claims: TokenClaims, now: datetime.datetime) -> float:
    """Seconds until the token expires (negative once it has)."""
    return (claims.expires_at - now).total_seconds()
