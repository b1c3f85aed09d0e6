"""API clients for tests: a signed-in user's access token, and a client that sends a token."""

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
