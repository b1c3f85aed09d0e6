"""API clients for tests: a signed-in user's access token, and a client that sends a token;
how many SQL statements a request spends on its caller's sign-in session."""

from django.conf import settings
from rest_framework.test import APIClient

from fashionos.accounts.models import AuthSession, User
from fashionos.accounts.tokens import access_token_issue


def access_token_for(user: User) -> str:
    """An access token for `user` in a new sign-in session."""
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.id)
    return token


def client_with_token(token: str | None) -> APIClient:
    """An API client sending `token` as its bearer token (none when token is None)."""
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def session_queries_warm() -> int:
    """SQL statements a request spends reading its caller's session once an earlier request
    of the same token has read it: none where the session is cached (fashionos/accounts/
    session_cache.py, with Redis), one without Redis."""
    return 0 if settings.REDIS_URL else 1


def session_warm(client: APIClient) -> APIClient:
    """Make one request with `client`'s token so its session is read (and cached where it can
    be) before a test counts queries."""
    reply = client.get("/auth/v1/user")
    assert reply.status_code == 200, reply.content
    return client
