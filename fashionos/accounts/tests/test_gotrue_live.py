"""The GoTrue endpoints driven by the official `supabase` Python client over real HTTP, against
a live test server: what a frontend written for Supabase does to sign in."""

import jwt
import pytest
from supabase import ClientOptions, create_client
from supabase_auth.errors import AuthApiError

from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

EMAIL = "noor@example.com"


@pytest.fixture
def noor():
    return UserFactory(email=EMAIL, full_name="Noor Haddad")


@pytest.fixture
def supabase(live_server):
    """A client as a frontend creates one: the server's URL and the anon key. No background
    refresh timer: the test drives every refresh itself."""
    options = ClientOptions(auto_refresh_token=False, persist_session=False)
    client = create_client(live_server.url, api_key_issue(role="anon"), options)
    yield client
    _hang_up(client)


def _hang_up(client) -> None:
    # Close the kept-alive HTTP connections now, while the live server may still close its
    # side (it shares the test's database connection only for as long as the test runs).
    client.auth.close()


def test_sign_in_get_user_refresh_and_sign_out(noor, supabase):
    signed_in = supabase.auth.sign_in_with_password({"email": EMAIL, "password": TEST_PASSWORD})

    session = signed_in.session
    assert signed_in.user.id == str(noor.pk)
    assert signed_in.user.email == EMAIL
    assert signed_in.user.user_metadata == {"full_name": "Noor Haddad"}
    assert session.token_type == "bearer"
    assert session.expires_in == 3600
    claims = jwt.decode(session.access_token, options={"verify_signature": False})
    assert session.expires_at == claims["exp"]
    assert claims["sub"] == str(noor.pk)
    assert claims["role"] == "authenticated"
    assert claims["session_id"] == str(AuthSession.objects.get(user=noor).id)

    me = supabase.auth.get_user()
    assert me.user.id == str(noor.pk)
    assert me.user.email == EMAIL

    refreshed = supabase.auth.refresh_session()
    assert refreshed.session.refresh_token != session.refresh_token
    assert refreshed.user.id == str(noor.pk)
    assert supabase.auth.get_session().access_token == refreshed.session.access_token
    assert supabase.auth.get_user().user.id == str(noor.pk)

    supabase.auth.sign_out()

    assert supabase.auth.get_session() is None
    assert AuthSession.objects.get(user=noor).revoked_at is not None
    with pytest.raises(AuthApiError) as refused:
        supabase.auth.get_user(refreshed.session.access_token)
    assert refused.value.status == 401
    with pytest.raises(AuthApiError) as refused:
        supabase.auth.refresh_session(refreshed.session.refresh_token)
    assert refused.value.status == 400
    assert refused.value.code == "session_not_found"


def test_client_with_default_options_signs_in(noor, live_server):
    supabase = create_client(live_server.url, api_key_issue(role="anon"))
    try:
        supabase.auth.sign_in_with_password({"email": EMAIL, "password": TEST_PASSWORD})

        assert supabase.auth.get_user().user.email == EMAIL
        supabase.auth.sign_out()
    finally:
        _hang_up(supabase)
    assert AuthSession.objects.get(user=noor).revoked_at is not None


def test_wrong_password_raises_invalid_credentials(noor, supabase):
    with pytest.raises(AuthApiError) as refused:
        supabase.auth.sign_in_with_password({"email": EMAIL, "password": "not-it"})

    assert refused.value.status == 400
    assert refused.value.code == "invalid_credentials"
    assert refused.value.message == "Invalid login credentials"
    assert supabase.auth.get_session() is None


def test_reused_refresh_token_ends_the_session_for_the_client(noor, supabase):
    first = supabase.auth.sign_in_with_password({"email": EMAIL, "password": TEST_PASSWORD})
    supabase.auth.refresh_session()

    with pytest.raises(AuthApiError) as refused:
        supabase.auth.refresh_session(first.session.refresh_token)

    assert refused.value.code == "refresh_token_already_used"
    assert AuthSession.objects.get(user=noor).revoked_at is not None


def test_sign_in_throttle_answers_429_to_the_client(noor, supabase, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min"})
    for _ in range(2):
        with pytest.raises(AuthApiError):
            supabase.auth.sign_in_with_password({"email": EMAIL, "password": "guess"})

    with pytest.raises(AuthApiError) as refused:
        supabase.auth.sign_in_with_password({"email": EMAIL, "password": TEST_PASSWORD})

    assert refused.value.status == 429
    assert refused.value.code == "over_request_rate_limit"
