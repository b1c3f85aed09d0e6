"""The sign-in endpoints: GoTrue's `/auth/v1/*` and our plainer `/api/v1/auth/*`."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from fashionos.accounts.authentication import MSG_SESSION_ENDED
from fashionos.accounts.models import AuthSession, RefreshToken
from fashionos.accounts.services import (
    MSG_INVALID_CREDENTIALS,
    MSG_REFRESH_EXPIRED,
    MSG_REFRESH_INVALID,
    MSG_REFRESH_REUSED,
)
from fashionos.accounts.tokens import token_decode
from fashionos.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]

EMAIL = "mila@example.com"
GOTRUE_TOKEN = "/auth/v1/token"


@pytest.fixture
def mila():
    return UserFactory(email=EMAIL, full_name="Mila Okafor")


def _password_grant(client=None, email=EMAIL, password=TEST_PASSWORD, **extra):
    client = client or APIClient()
    return client.post(
        f"{GOTRUE_TOKEN}?grant_type=password",
        {"email": email, "password": password},
        format="json",
        **extra,
    )


def _refresh_grant(refresh_token: str):
    return APIClient().post(
        f"{GOTRUE_TOKEN}?grant_type=refresh_token", {"refresh_token": refresh_token}, format="json"
    )


def _with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _gotrue_error(reply, status: int, error_code: str, msg: str) -> None:
    assert reply.status_code == status, reply.content
    assert reply.json() == {"code": status, "error_code": error_code, "msg": msg}


# --- Password grant ---------------------------------------------------------------------------


def test_password_grant_returns_a_gotrue_session(mila):
    before = int(timezone.now().timestamp())

    reply = _password_grant()

    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert set(body) == {
        "access_token",
        "token_type",
        "expires_in",
        "expires_at",
        "refresh_token",
        "user",
    }
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert before + 3600 <= body["expires_at"] <= int(timezone.now().timestamp()) + 3600
    claims = token_decode(body["access_token"])
    assert claims.sub == mila.pk
    assert claims.email == EMAIL
    assert int(claims.expires_at.timestamp()) == body["expires_at"]
    session = AuthSession.objects.get(user=mila)
    assert claims.session_id == session.id
    assert len(body["refresh_token"]) >= 40
    assert RefreshToken.objects.filter(session=session).count() == 1

    user = body["user"]
    assert user["id"] == str(mila.pk)
    assert user["aud"] == "authenticated"
    assert user["role"] == "authenticated"
    assert user["email"] == EMAIL
    assert user["app_metadata"] == {
        "provider": "email",
        "providers": ["email"],
        "role": "authenticated",
    }
    assert user["user_metadata"] == {"full_name": "Mila Okafor"}
    assert user["last_sign_in_at"] is not None
    assert user["created_at"].endswith("Z")


def test_refresh_token_is_stored_only_as_a_digest(mila):
    refresh = _password_grant().json()["refresh_token"]

    stored = RefreshToken.objects.get(session__user=mila)
    assert stored.token_digest != refresh
    assert len(stored.token_digest) == 64


def test_email_is_matched_without_regard_to_case(mila):
    reply = _password_grant(email="  Mila@Example.COM ".strip())

    assert reply.status_code == 200
    assert reply.json()["user"]["id"] == str(mila.pk)


def test_staff_user_has_the_admin_role_in_app_metadata():
    UserFactory(email="boss@example.com", is_staff=True)

    reply = _password_grant(email="boss@example.com")

    assert reply.json()["user"]["app_metadata"]["role"] == "admin"


def test_wrong_password_is_400_invalid_credentials(mila):
    reply = _password_grant(password="not-the-password")

    _gotrue_error(reply, 400, "invalid_credentials", MSG_INVALID_CREDENTIALS)
    assert not AuthSession.objects.filter(user=mila).exists()


def test_unknown_email_answers_exactly_like_a_wrong_password():
    reply = _password_grant(email="nobody@example.com")

    _gotrue_error(reply, 400, "invalid_credentials", MSG_INVALID_CREDENTIALS)


def test_inactive_user_cannot_sign_in(mila):
    mila.is_active = False
    mila.save(update_fields=["is_active"])

    _gotrue_error(_password_grant(), 400, "invalid_credentials", MSG_INVALID_CREDENTIALS)


@pytest.mark.parametrize(
    "body",
    [{"email": EMAIL}, {"password": TEST_PASSWORD}, {"email": "not-an-email", "password": "x"}],
)
def test_incomplete_password_grant_is_400_validation_failed(mila, body):
    reply = APIClient().post(f"{GOTRUE_TOKEN}?grant_type=password", body, format="json")

    assert reply.status_code == 400
    assert reply.json()["code"] == 400
    assert reply.json()["error_code"] == "validation_failed"


def test_body_that_is_not_an_object_is_400_validation_failed():
    reply = APIClient().post(f"{GOTRUE_TOKEN}?grant_type=password", [1, 2], format="json")

    _gotrue_error(reply, 400, "validation_failed", "The body must be a JSON object")


@pytest.mark.parametrize("query", ["", "?grant_type=pkce", "?grant_type=id_token"])
def test_unsupported_grant_type_is_400(mila, query):
    reply = APIClient().post(
        f"{GOTRUE_TOKEN}{query}", {"email": EMAIL, "password": TEST_PASSWORD}, format="json"
    )

    _gotrue_error(reply, 400, "unsupported_grant_type", "Unsupported grant type")


# --- Refresh grant: rotation and reuse detection ----------------------------------------------


def test_refresh_rotates_the_refresh_token_in_the_same_session(mila):
    first = _password_grant().json()

    reply = _refresh_grant(first["refresh_token"])

    assert reply.status_code == 200, reply.content
    second = reply.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["user"]["id"] == str(mila.pk)
    assert token_decode(second["access_token"]).session_id == (
        token_decode(first["access_token"]).session_id
    )
    # The new refresh token works in turn, and so do both access tokens of the open session.
    third = _refresh_grant(second["refresh_token"])
    assert third.status_code == 200
    for token in (first["access_token"], second["access_token"]):
        assert _with_token(token).get("/probe/members-only").status_code == 200


def test_reused_refresh_token_revokes_the_whole_session(mila):
    first = _password_grant().json()
    second = _refresh_grant(first["refresh_token"]).json()

    reuse = _refresh_grant(first["refresh_token"])

    _gotrue_error(reuse, 400, "refresh_token_already_used", MSG_REFRESH_REUSED)
    session = AuthSession.objects.get(user=mila)
    assert session.revoked_at is not None
    # The thief's new token is as dead as the old one ...
    _gotrue_error(
        _refresh_grant(second["refresh_token"]), 400, "session_not_found", MSG_REFRESH_INVALID
    )
    # ... and every access token of the session is refused.
    for token in (first["access_token"], second["access_token"]):
        refused = _with_token(token).get("/probe/members-only")
        assert refused.status_code == 401
        assert refused.json() == {"error": MSG_SESSION_ENDED, "code": "SESSION_ENDED"}


def test_reuse_revokes_only_that_session(mila):
    stolen = _password_grant().json()
    other_device = _password_grant().json()
    _refresh_grant(stolen["refresh_token"])

    _refresh_grant(stolen["refresh_token"])

    assert _refresh_grant(other_device["refresh_token"]).status_code == 200
    assert _with_token(other_device["access_token"]).get("/probe/members-only").status_code == 200


def test_unknown_refresh_token_is_400(mila):
    _gotrue_error(
        _refresh_grant("no-such-token"), 400, "refresh_token_not_found", MSG_REFRESH_INVALID
    )


def test_expired_refresh_token_is_400(mila):
    refresh = _password_grant().json()["refresh_token"]
    RefreshToken.objects.update(expires_at=timezone.now())

    _gotrue_error(_refresh_grant(refresh), 400, "session_expired", MSG_REFRESH_EXPIRED)


def test_refresh_token_of_an_inactive_user_is_400(mila):
    refresh = _password_grant().json()["refresh_token"]
    mila.is_active = False
    mila.save(update_fields=["is_active"])

    _gotrue_error(_refresh_grant(refresh), 400, "session_not_found", MSG_REFRESH_INVALID)


def test_refresh_grant_without_a_token_is_400_validation_failed():
    reply = APIClient().post(f"{GOTRUE_TOKEN}?grant_type=refresh_token", {}, format="json")

    assert reply.status_code == 400
    assert reply.json()["error_code"] == "validation_failed"


# --- /auth/v1/user and /auth/v1/logout --------------------------------------------------------


def test_user_endpoint_describes_the_signed_in_user(mila):
    token = _password_grant().json()["access_token"]

    reply = _with_token(token).get("/auth/v1/user")

    assert reply.status_code == 200
    assert reply.json()["id"] == str(mila.pk)
    assert reply.json()["email"] == EMAIL


def test_user_endpoint_without_a_token_is_401_in_gotrue_shape():
    reply = APIClient().get("/auth/v1/user")

    assert reply.status_code == 401
    assert reply.json()["error_code"] == "bad_jwt"
    assert reply.json()["code"] == 401


def test_user_endpoint_refuses_an_api_key():
    reply = _with_token(_service_key()).get("/auth/v1/user")

    _gotrue_error(reply, 403, "bad_jwt", "This endpoint requires a user's access token")


def _service_key() -> str:
    from fashionos.accounts.tokens import api_key_issue

    return api_key_issue(role="service_role")


def test_logout_ends_the_session(mila):
    session = _password_grant().json()

    reply = _with_token(session["access_token"]).post("/auth/v1/logout")

    assert reply.status_code == 204
    assert _with_token(session["access_token"]).get("/probe/members-only").status_code == 401
    _gotrue_error(
        _refresh_grant(session["refresh_token"]), 400, "session_not_found", MSG_REFRESH_INVALID
    )


def test_local_logout_leaves_other_sessions_open(mila):
    laptop = _password_grant().json()
    phone = _password_grant().json()

    _with_token(laptop["access_token"]).post("/auth/v1/logout?scope=local")

    assert _with_token(phone["access_token"]).get("/probe/members-only").status_code == 200


def test_global_logout_ends_every_session_of_the_user(mila):
    laptop = _password_grant().json()
    phone = _password_grant().json()
    someone_else = UserFactory(email="other@example.com")
    theirs = _password_grant(email=someone_else.email).json()

    reply = _with_token(laptop["access_token"]).post("/auth/v1/logout?scope=global")

    assert reply.status_code == 204
    assert _with_token(phone["access_token"]).get("/probe/members-only").status_code == 401
    assert _with_token(theirs["access_token"]).get("/probe/members-only").status_code == 200


def test_others_logout_keeps_the_callers_session(mila):
    laptop = _password_grant().json()
    phone = _password_grant().json()

    _with_token(laptop["access_token"]).post("/auth/v1/logout?scope=others")

    assert _with_token(laptop["access_token"]).get("/probe/members-only").status_code == 200
    assert _with_token(phone["access_token"]).get("/probe/members-only").status_code == 401


def test_logout_with_an_unknown_scope_is_400(mila):
    token = _password_grant().json()["access_token"]

    reply = _with_token(token).post("/auth/v1/logout?scope=everyone")

    _gotrue_error(reply, 400, "validation_failed", "Unsupported logout scope")


def test_logout_without_a_token_is_401():
    reply = APIClient().post("/auth/v1/logout")

    assert reply.status_code == 401
    assert reply.json()["error_code"] == "bad_jwt"


# --- /api/v1/auth/*: the same tokens in the API's envelope ------------------------------------


def test_api_token_issues_the_same_shape_as_gotrue(mila):
    reply = APIClient().post(
        "/api/v1/auth/token", {"email": EMAIL, "password": TEST_PASSWORD}, format="json"
    )

    assert reply.status_code == 200
    assert set(reply.json()) == set(_password_grant().json())
    token = reply.json()["access_token"]
    assert _with_token(token).get("/probe/members-only").json()["user"] == str(mila.pk)


def test_api_token_with_a_wrong_password_is_401_in_the_envelope(mila):
    reply = APIClient().post(
        "/api/v1/auth/token", {"email": EMAIL, "password": "nope"}, format="json"
    )

    assert reply.status_code == 401
    assert reply.json() == {"error": MSG_INVALID_CREDENTIALS, "code": "INVALID_CREDENTIALS"}


def test_api_token_without_a_password_is_400_validation_error():
    reply = APIClient().post("/api/v1/auth/token", {"email": EMAIL}, format="json")

    assert reply.status_code == 400
    assert reply.json()["code"] == "VALIDATION_ERROR"
    assert set(reply.json()["details"]) == {"password"}


def test_api_refresh_rotates_and_detects_reuse(mila):
    first = _password_grant().json()
    client = APIClient()

    rotated = client.post(
        "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json"
    )
    reused = client.post(
        "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json"
    )

    assert rotated.status_code == 200
    assert reused.status_code == 401
    assert reused.json() == {"error": MSG_REFRESH_REUSED, "code": "REFRESH_TOKEN_ALREADY_USED"}
    dead = client.post(
        "/api/v1/auth/refresh", {"refresh_token": rotated.json()["refresh_token"]}, format="json"
    )
    assert dead.status_code == 401
    assert dead.json()["code"] == "SESSION_NOT_FOUND"


# --- Throttling ------------------------------------------------------------------------------


@pytest.fixture
def three_sign_ins_a_minute(monkeypatch):
    # The throttle classes read their rates once, at import: patch the class, not the setting.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})


def test_gotrue_sign_in_is_throttled_per_client_address(mila, three_sign_ins_a_minute):
    for _ in range(3):
        assert _password_grant(password="guess").status_code == 400

    reply = _password_grant()

    _gotrue_error(reply, 429, "over_request_rate_limit", "Request rate limit reached")
    assert not AuthSession.objects.filter(user=mila).exists()
    # Another address is not held back.
    assert _password_grant(REMOTE_ADDR="10.1.2.3").status_code == 200


def test_a_forged_forwarded_for_does_not_dodge_the_throttle(mila, three_sign_ins_a_minute):
    # NUM_PROXIES is 0 unless set: X-Forwarded-For is not trusted, the socket address counts.
    for n in range(3):
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert _password_grant(password="guess", **forged).status_code == 400

    reply = _password_grant(HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert reply.status_code == 429


def test_api_sign_in_is_throttled_in_the_envelope(mila, three_sign_ins_a_minute):
    client = APIClient()
    for _ in range(3):
        client.post("/api/v1/auth/token", {"email": EMAIL, "password": "x"}, format="json")

    reply = client.post(
        "/api/v1/auth/token", {"email": EMAIL, "password": TEST_PASSWORD}, format="json"
    )

    assert reply.status_code == 429
    assert reply.json()["code"] == "THROTTLED"
    assert int(reply["Retry-After"]) > 0


def test_refresh_counts_against_the_same_throttle(mila, three_sign_ins_a_minute):
    refresh = _password_grant().json()["refresh_token"]
    refresh = _refresh_grant(refresh).json()["refresh_token"]
    refresh = _refresh_grant(refresh).json()["refresh_token"]

    assert _refresh_grant(refresh).status_code == 429


# --- Every error of the GoTrue endpoints in GoTrue's shape -------------------------------------


def test_malformed_json_to_gotrue_is_400_bad_json():
    reply = APIClient().generic(
        "POST", f"{GOTRUE_TOKEN}?grant_type=password", b"{", content_type="application/json"
    )

    assert reply.status_code == 400
    body = reply.json()
    assert set(body) == {"code", "error_code", "msg"}
    assert body["code"] == 400
    assert body["error_code"] == "bad_json"
    assert body["msg"].startswith("Malformed JSON")


def test_oversize_body_to_gotrue_is_413_in_gotrue_shape(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 512

    reply = APIClient().post(
        f"{GOTRUE_TOKEN}?grant_type=password",
        {"email": EMAIL, "password": "p" * 1000},
        format="json",
    )

    assert reply.status_code == 413
    assert reply.json()["error_code"] == "request_too_large"


def test_wrong_method_on_gotrue_is_405_in_gotrue_shape():
    reply = APIClient().get(GOTRUE_TOKEN)

    assert reply.status_code == 405
    assert reply.json()["error_code"] == "method_not_allowed"
    assert reply["Allow"] == "POST, OPTIONS"


def test_gotrue_401_carries_the_bearer_challenge():
    reply = APIClient().get("/auth/v1/user")

    assert reply.status_code == 401
    assert reply["WWW-Authenticate"] == 'Bearer realm="api"'


def test_gotrue_401_for_an_expired_token_names_the_reason(mila):
    from datetime import timedelta

    from fashionos.accounts.tokens import MSG_TOKEN_EXPIRED, access_token_issue

    session = AuthSession.objects.create(user=mila)
    token, _ = access_token_issue(
        user=mila, session_id=session.id, now=timezone.now() - timedelta(hours=2)
    )

    reply = _with_token(token).get("/auth/v1/user")

    _gotrue_error(reply, 401, "bad_jwt", MSG_TOKEN_EXPIRED)
    assert reply["WWW-Authenticate"] == 'Bearer realm="api"'


def test_gotrue_429_says_when_to_retry(mila, three_sign_ins_a_minute):
    for _ in range(3):
        _password_grant(password="guess")

    reply = _password_grant()

    assert reply.status_code == 429
    assert 0 < int(reply["Retry-After"]) <= 60
