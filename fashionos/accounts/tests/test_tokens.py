"""Access tokens, API keys and the Bearer authentication class (DESIGN.md section 5)."""

import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from fashionos.accounts.authentication import MSG_SESSION_ENDED
from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import (
    MSG_TOKEN_EXPIRED,
    MSG_TOKEN_INVALID,
    TokenError,
    access_token_issue,
    api_key_issue,
    token_decode,
)
from fashionos.api.errors import MSG_NOT_AUTHENTICATED
from fashionos.testing.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]

WWW_AUTHENTICATE = 'Bearer realm="api"'


def _signed_in(user, *, now=None) -> tuple[str, AuthSession]:
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.id, now=now)
    return token, session


def _get(path: str, authorization: str | None = None, **headers):
    client = APIClient()
    if authorization is not None:
        headers["HTTP_AUTHORIZATION"] = authorization
    return client.get(path, **headers)


def _claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _assert_refused(reply, code: str, message: str) -> None:
    assert reply.status_code == 401, reply.content
    assert reply.json() == {"error": message, "code": code}
    assert reply["WWW-Authenticate"] == WWW_AUTHENTICATE


def _tampered(token: str) -> str:
    """The same token with one character of its payload changed (the signature kept)."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "service_role"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


# --- The tokens themselves ------------------------------------------------------------------


def test_access_token_carries_supabase_claims():
    user = UserFactory(email="ana@example.com", full_name="Ana Lima")
    session = AuthSession.objects.create(user=user)
    now = timezone.now().replace(microsecond=0)

    token, expires_at = access_token_issue(user=user, session_id=session.id, now=now)

    claims = _claims_of(token)
    assert claims["sub"] == str(user.pk)
    assert claims["role"] == "authenticated"
    assert claims["aud"] == "authenticated"
    assert claims["email"] == "ana@example.com"
    assert claims["session_id"] == str(session.id)
    assert claims["iat"] == int(now.timestamp())
    assert claims["exp"] == int(now.timestamp()) + 3600
    assert claims["iss"] == "fashionos"
    assert claims["user_metadata"] == {"full_name": "Ana Lima"}
    assert int(expires_at.timestamp()) == claims["exp"]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"

    decoded = token_decode(token)
    assert decoded.role == "authenticated"
    assert decoded.sub == user.pk
    assert decoded.session_id == session.id
    assert decoded.email == "ana@example.com"
    assert decoded.is_api_key is False


@pytest.mark.parametrize("role", ["anon", "service_role"])
def test_api_key_has_a_role_and_no_subject(role):
    key = api_key_issue(role=role)

    claims = _claims_of(key)
    assert claims["role"] == role
    assert "sub" not in claims
    assert claims["exp"] - claims["iat"] == 3650 * 86400
    decoded = token_decode(key)
    assert decoded.role == role
    assert decoded.sub is None
    assert decoded.session_id is None
    assert decoded.is_api_key is True


def test_api_key_of_another_role_is_not_issued():
    with pytest.raises(ValueError, match="authenticated"):
        api_key_issue(role="authenticated")


def test_expired_token_is_refused_with_its_own_code():
    user = UserFactory()
    token, _ = _signed_in(user, now=timezone.now() - timedelta(hours=2))

    with pytest.raises(TokenError) as refused:
        token_decode(token)

    assert refused.value.code == "TOKEN_EXPIRED"
    assert refused.value.message == MSG_TOKEN_EXPIRED


def _sign(claims: dict, secret: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret or settings.JWT["SECRET"], algorithm=algorithm)


def _user_claims(user, session, **changes) -> dict:
    now = int(timezone.now().timestamp())
    claims = {
        "sub": str(user.pk),
        "role": "authenticated",
        "aud": "authenticated",
        "iat": now,
        "exp": now + 600,
        "email": user.email,
        "session_id": str(session),
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"aud": "someone-else"}, id="wrong audience"),
        pytest.param({"aud": None}, id="no audience"),
        pytest.param({"role": "admin"}, id="unknown role"),
        pytest.param({"role": "service_role"}, id="service role with a subject"),
        pytest.param({"role": "anon"}, id="anon role with a subject"),
        pytest.param({"role": None}, id="no role"),
        pytest.param({"exp": None}, id="no expiry"),
        pytest.param({"iat": None}, id="no issue time"),
        pytest.param({"session_id": None}, id="no session"),
        pytest.param({"session_id": "not-a-uuid"}, id="session is not a uuid"),
        pytest.param({"sub": "not-a-uuid"}, id="subject is not a uuid"),
    ],
)
def test_token_not_shaped_like_ours_is_invalid(changes):
    user = UserFactory()
    token = _sign(_user_claims(user, uuid.uuid4(), **changes))

    with pytest.raises(TokenError) as refused:
        token_decode(token)

    assert refused.value.code == "TOKEN_INVALID"
    assert refused.value.message == MSG_TOKEN_INVALID


def test_unsigned_token_is_invalid():
    user = UserFactory()
    token = jwt.encode(_user_claims(user, uuid.uuid4()), None, algorithm="none")

    with pytest.raises(TokenError) as refused:
        token_decode(token)

    assert refused.value.code == "TOKEN_INVALID"


def test_token_signed_with_jwt_secret_when_one_is_set(settings):
    settings.JWT = {**settings.JWT, "SECRET": "a-separate-token-secret-of-enough-length-42"}
    key = api_key_issue(role="anon")

    assert jwt.decode(key, "a-separate-token-secret-of-enough-length-42", algorithms=["HS256"])
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(key, settings.SECRET_KEY, algorithms=["HS256"])


# --- Bearer authentication over HTTP ----------------------------------------------------------


def test_valid_access_token_authenticates_the_user():
    user = UserFactory()
    token, session = _signed_in(user)

    reply = _get("/probe/members-only", f"Bearer {token}")

    assert reply.status_code == 200, reply.content
    assert reply.json() == {
        "role": "authenticated",
        "user": str(user.pk),
        "session_id": str(session.id),
    }


def test_staff_user_token_has_the_admin_role():
    staff = UserFactory(is_staff=True)
    token, _ = _signed_in(staff)

    reply = _get("/probe/members-only", f"Bearer {token}")

    assert reply.status_code == 200
    assert reply.json()["role"] == "admin"
    assert reply.json()["user"] == str(staff.pk)


def test_scheme_is_case_insensitive():
    user = UserFactory()
    token, _ = _signed_in(user)

    reply = _get("/probe/members-only", f"bearer {token}")

    assert reply.status_code == 200
    assert reply.json()["user"] == str(user.pk)


def test_expired_token_gets_401_token_expired():
    user = UserFactory()
    token, _ = _signed_in(user, now=timezone.now() - timedelta(seconds=3601))

    _assert_refused(
        _get("/probe/members-only", f"Bearer {token}"), "TOKEN_EXPIRED", MSG_TOKEN_EXPIRED
    )


def test_expired_token_is_refused_even_where_anyone_may_call():
    user = UserFactory()
    token, _ = _signed_in(user, now=timezone.now() - timedelta(hours=5))

    _assert_refused(_get("/probe/caller", f"Bearer {token}"), "TOKEN_EXPIRED", MSG_TOKEN_EXPIRED)


def test_tampered_token_gets_401_token_invalid():
    user = UserFactory()
    token, _ = _signed_in(user)

    _assert_refused(
        _get("/probe/members-only", f"Bearer {_tampered(token)}"),
        "TOKEN_INVALID",
        MSG_TOKEN_INVALID,
    )


def test_tampered_api_key_gets_401_token_invalid():
    anon = api_key_issue(role="anon")

    _assert_refused(
        _get("/probe/caller", f"Bearer {_tampered(anon)}"), "TOKEN_INVALID", MSG_TOKEN_INVALID
    )


def test_token_signed_with_another_secret_gets_401_token_invalid():
    user = UserFactory()
    session = AuthSession.objects.create(user=user)
    token = _sign(_user_claims(user, session.id), secret="another-projects-secret-0123456789")

    _assert_refused(
        _get("/probe/members-only", f"Bearer {token}"), "TOKEN_INVALID", MSG_TOKEN_INVALID
    )


def test_service_key_signed_with_another_secret_gets_401():
    now = int(timezone.now().timestamp())
    forged = _sign(
        {"role": "service_role", "iat": now, "exp": now + 600},
        secret="another-projects-secret-0123456789",
    )

    _assert_refused(_get("/probe/caller", f"Bearer {forged}"), "TOKEN_INVALID", MSG_TOKEN_INVALID)


def test_anon_key_is_anonymous():
    reply = _get("/probe/caller", f"Bearer {api_key_issue(role='anon')}")

    assert reply.status_code == 200
    assert reply.json() == {"role": "anon", "user": None, "session_id": None}


def test_anon_key_is_not_enough_where_a_user_is_required():
    reply = _get("/probe/members-only", f"Bearer {api_key_issue(role='anon')}")

    _assert_refused(reply, "NOT_AUTHENTICATED", MSG_NOT_AUTHENTICATED)


def test_no_header_is_anonymous_and_refused_where_a_user_is_required():
    assert _get("/probe/caller").json() == {"role": "anon", "user": None, "session_id": None}
    _assert_refused(_get("/probe/members-only"), "NOT_AUTHENTICATED", MSG_NOT_AUTHENTICATED)


def test_service_key_is_the_service_principal():
    reply = _get("/probe/members-only", f"Bearer {api_key_issue(role='service_role')}")

    assert reply.status_code == 200
    assert reply.json() == {"role": "service_role", "user": None, "session_id": None}


def test_apikey_header_is_ignored():
    """supabase-js sends the project key in `apikey` on every request: it does not make the
    caller the service role, nor does a bad one refuse the request."""
    service = api_key_issue(role="service_role")

    alone = _get("/probe/caller", HTTP_APIKEY=service)
    assert alone.json() == {"role": "anon", "user": None, "session_id": None}

    user = UserFactory()
    token, _ = _signed_in(user)
    with_user = _get("/probe/members-only", f"Bearer {token}", HTTP_APIKEY="garbage")
    assert with_user.status_code == 200
    assert with_user.json()["role"] == "authenticated"


def test_token_of_a_revoked_session_gets_401_session_ended():
    user = UserFactory()
    token, session = _signed_in(user)
    AuthSession.objects.filter(pk=session.pk).update(revoked_at=timezone.now())

    _assert_refused(
        _get("/probe/members-only", f"Bearer {token}"), "SESSION_ENDED", MSG_SESSION_ENDED
    )


def test_token_of_an_inactive_user_gets_401_session_ended():
    user = UserFactory()
    token, _ = _signed_in(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    _assert_refused(
        _get("/probe/members-only", f"Bearer {token}"), "SESSION_ENDED", MSG_SESSION_ENDED
    )


def test_token_of_a_deleted_user_gets_401_session_ended():
    user = UserFactory()
    token, _ = _signed_in(user)
    user.delete()

    _assert_refused(
        _get("/probe/members-only", f"Bearer {token}"), "SESSION_ENDED", MSG_SESSION_ENDED
    )


def test_token_naming_another_users_session_gets_401():
    """A session id is only good together with its own user."""
    owner = UserFactory()
    _, owners_session = _signed_in(owner)
    intruder = UserFactory()
    token, _ = access_token_issue(user=intruder, session_id=owners_session.id)

    _assert_refused(
        _get("/probe/members-only", f"Bearer {token}"), "SESSION_ENDED", MSG_SESSION_ENDED
    )


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer", id="scheme only"),
        pytest.param("Bearer ", id="scheme and a space"),
        pytest.param("Bearer one two", id="two tokens"),
        pytest.param("Bearer not-a-jwt", id="not a jwt"),
        pytest.param("Bearer a.b.c", id="three garbage segments"),
        pytest.param("Bearer eyJhbGciOiJIUzI1NiJ9..", id="empty payload"),
    ],
)
def test_malformed_bearer_header_gets_401_token_invalid(authorization):
    _assert_refused(_get("/probe/caller", authorization), "TOKEN_INVALID", MSG_TOKEN_INVALID)


def test_non_ascii_bearer_token_gets_401_token_invalid():
    reply = _get("/probe/caller", "Bearer tök.én.x")

    _assert_refused(reply, "TOKEN_INVALID", MSG_TOKEN_INVALID)


@pytest.mark.parametrize("authorization", ["Basic dXNlcjpwYXNz", "Token abc", ""])
def test_other_schemes_are_not_ours_and_leave_the_caller_anonymous(authorization):
    assert _get("/probe/caller", authorization).json()["role"] == "anon"
    _assert_refused(
        _get("/probe/members-only", authorization), "NOT_AUTHENTICATED", MSG_NOT_AUTHENTICATED
    )
