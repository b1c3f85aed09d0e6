"""DRF authentication: `Authorization: Bearer <token>`, as supabase-js sends it.

- A user's access token → that `User` (the admin role when the user is staff). The token's
  session must still be open and the user active: one query checks both, cached per process
  and revoked across processes at once (fashionos/accounts/session_cache.py).
- The service key → `ServicePrincipal`.
- The anon key, or no header → anonymous (the view's permissions decide).
- An expired, tampered or wrongly signed token → 401 in the error envelope.

The `apikey` header supabase-js adds to every request is ignored: it identifies the project,
not the caller.
"""

from rest_framework import authentication, exceptions

from fashionos.accounts.models import AuthSession, User
from fashionos.accounts.session_cache import session_user_cached
from fashionos.accounts.tokens import MSG_TOKEN_INVALID, TokenClaims, TokenError, token_decode
from fashionos.principals import ROLE_ANON, ROLE_SERVICE, ServicePrincipal

MSG_SESSION_ENDED = "The session has ended. Sign in again."


class TokenAuthenticationFailed(exceptions.AuthenticationFailed):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(detail=message, code=code)


def bearer_token(request) -> str | None:
    header = authentication.get_authorization_header(request)
    if not header:
        return None
    parts = header.split()
    if parts[0].lower() != b"bearer":
        return None
    if len(parts) != 2:
        raise TokenAuthenticationFailed(MSG_TOKEN_INVALID, "TOKEN_INVALID")
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise TokenAuthenticationFailed(MSG_TOKEN_INVALID, "TOKEN_INVALID") from None


def user_for_claims(claims: TokenClaims):
    """The caller a verified token stands for, or None for the anon key. Raises
    TokenError when the token's session is closed or its user is gone or inactive."""
    if claims.role == ROLE_SERVICE:
        return ServicePrincipal()
    if claims.role == ROLE_ANON:
        return None
    user = session_user_cached(
        session_id=claims.session_id,
        user_id=claims.sub,
        load=lambda: _session_user_load(claims.session_id, claims.sub),
    )
    if user is None:
        raise TokenError(MSG_SESSION_ENDED, "SESSION_ENDED")
    return user


def _session_user_load(session_id, user_id) -> User | None:
    """The active user of the open session `session_id` of `user_id`, or None."""
    session = (
        AuthSession.objects.select_related("user")
        .filter(pk=session_id, user_id=user_id, revoked_at__isnull=True)
        .first()
    )
    if session is None or not session.user.is_active:
        return None
    return session.user


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = bearer_token(request)
        if token is None:
            return None
        try:
            claims = token_decode(token)
            user = user_for_claims(claims)
        except TokenError as exc:
            raise TokenAuthenticationFailed(exc.message, exc.code) from None
        if user is None:
            # The anon key: a valid project key, but no user behind it.
            return None
        return (user, claims)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
