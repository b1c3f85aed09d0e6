"""Token claims (issue 11, item 4 and the token tests of item 7): `iss` and `aud` checked, time
claims whole numbers in range, HS256 the only algorithm, a project key with any `sub`
refused, and a 401 (never a 500) for every malformed token, however it is malformed."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import (
    MAX_TIMESTAMP,
    MSG_TOKEN_INVALID,
    TokenError,
    access_token_issue,
    api_key_issue,
    token_decode,
)
from fashionos.testing.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]

NOW = int(timezone.now().timestamp())
# Long enough for any test run: a token made at import must still be valid when used.
VALID_FOR = 30 * 86400


def _sign(claims: dict, *, algorithm: str = "HS256", secret: str | None = None) -> str:
    return jwt.encode(claims, secret or settings.JWT["SECRET"], algorithm=algorithm)


def _sign_raw(payload_json: str) -> str:
    """A validly signed HS256 token whose payload is exactly `payload_json` (which need not
    be what json.dumps would write: Infinity, strings for numbers, ...)."""

    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + b"." + part(payload_json.encode())
    signature = hmac.new(settings.JWT["SECRET"].encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + part(signature)).decode()


def _key_claims(role: str = "anon", **changes) -> dict:
    claims = {"iss": settings.JWT["ISSUER"], "role": role, "iat": NOW, "exp": NOW + VALID_FOR}
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not ...}


def _access_claims(user, session, /, **changes) -> dict:
    claims = {
        "iss": settings.JWT["ISSUER"],
        "sub": str(user.pk),
        "aud": "authenticated",
        "role": "authenticated",
        "iat": NOW,
        "exp": NOW + VALID_FOR,
        "email": user.email,
        "session_id": str(session),
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not ...}


def _refused(token: str, codes: tuple[str, ...] = ("TOKEN_INVALID",)) -> None:
    with pytest.raises(TokenError) as refused:
        token_decode(token)
    assert refused.value.code in codes
    if refused.value.code == "TOKEN_INVALID":
        assert refused.value.message == MSG_TOKEN_INVALID


def _http(token: str, path: str = "/probe/caller"):
    return APIClient().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def _assert_401(token: str) -> None:
    reply = _http(token)
    assert reply.status_code == 401, reply.content
    assert reply.json()["code"] in ("TOKEN_INVALID", "TOKEN_EXPIRED")


@pytest.fixture
def signed_in():
    user = UserFactory()
    session = AuthSession.objects.create(user=user)
    return user, session


# --- iss ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anon", "service_role"])
def test_a_key_from_another_issuer_sharing_the_secret_is_refused(role):
    token = _sign(_key_claims(role, iss="another-project"))
    _refused(token)
    _assert_401(token)


def test_a_key_without_an_issuer_is_refused():
    _refused(_sign(_key_claims("service_role", iss=...)))


def test_an_access_token_from_another_issuer_is_refused(signed_in):
    user, session = signed_in
    good = _sign(_access_claims(user, session.pk))
    assert token_decode(good).sub == user.pk  # the claims below differ only in iss
    _refused(_sign(_access_claims(user, session.pk, iss="supabase")))
    _refused(_sign(_access_claims(user, session.pk, iss=...)))
    _assert_401(_sign(_access_claims(user, session.pk, iss="supabase")))


def test_the_configured_issuer_is_the_one_checked(settings):
    settings.JWT = {**settings.JWT, "ISSUER": "fashionos-staging"}
    key = api_key_issue(role="anon")
    assert jwt.decode(key, options={"verify_signature": False})["iss"] == "fashionos-staging"
    assert token_decode(key).role == "anon"
    _refused(_sign(_key_claims("anon", iss="fashionos")))


# --- aud ------------------------------------------------------------------------------------


@pytest.mark.parametrize("aud", ["authenticated", "anon", ""])
def test_a_project_key_with_an_audience_is_refused(aud):
    _refused(_sign(_key_claims("anon", aud=aud)))


def test_an_access_token_needs_the_authenticated_audience(signed_in):
    user, session = signed_in
    _refused(_sign(_access_claims(user, session.pk, aud="service_role")))
    _refused(_sign(_access_claims(user, session.pk, aud=["authenticated"])))
    _refused(_sign(_access_claims(user, session.pk, aud=...)))


# --- sub on keys (a mutant of `"sub" in raw` to `raw.get("sub")` must not survive) -----------


@pytest.mark.parametrize("role", ["anon", "service_role"])
@pytest.mark.parametrize("sub", ["", None, 0, "00000000-0000-0000-0000-000000000000"])
def test_a_project_key_carrying_any_sub_is_refused(role, sub):
    _refused(_sign(_key_claims(role, sub=sub)))


# --- time claims ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param('"exp": 4611686018427387904', id="exp 2**62"),
        pytest.param('"exp": "9999999999"', id="exp a string"),
        pytest.param('"exp": 9999999999.5', id="exp a float"),
        pytest.param('"exp": true', id="exp a boolean"),
        pytest.param('"exp": 1e300', id="exp 1e300"),
        pytest.param('"exp": Infinity', id="exp infinity"),
        pytest.param('"exp": NaN', id="exp NaN"),
        pytest.param('"exp": null', id="exp null"),
        pytest.param(f'"exp": {MAX_TIMESTAMP + 1}', id="exp past year 9999"),
    ],
)
def test_an_expiry_that_is_not_a_time_is_a_401(payload):
    token = _sign_raw(
        '{"iss": "' + settings.JWT["ISSUER"] + f'", "role": "anon", "iat": {NOW}, {payload}' + "}"
    )
    # PyJWT reads `true` as 1 (long expired); everything else is not a time at all.
    _refused(token, ("TOKEN_INVALID", "TOKEN_EXPIRED"))
    _assert_401(token)


@pytest.mark.parametrize(
    "claim, value",
    [
        ("iat", '"1700000000"'),
        ("iat", "true"),
        ("iat", "-1"),
        ("iat", "4611686018427387904"),
        ("nbf", '"1700000000"'),
        ("nbf", "1.5"),
        ("nbf", "4611686018427387904"),
    ],
)
def test_other_time_claims_must_be_whole_seconds_in_range(claim, value):
    claims = {"iss": settings.JWT["ISSUER"], "role": "anon", "iat": NOW, "exp": NOW + VALID_FOR}
    text = json.dumps(claims)[:-1] + f', "{claim}": {value}' + "}"
    token = _sign_raw(text.replace(f'"{claim}": {NOW}, ', "") if claim == "iat" else text)
    _refused(token)
    _assert_401(token)


def test_the_largest_time_a_datetime_holds_is_accepted():
    assert token_decode(_sign(_key_claims("anon", exp=MAX_TIMESTAMP))).expires_at.year == 9999


def test_a_time_claim_of_zero_is_in_range():
    # iat 0 (1970) is odd but a time; only its type and range are checked here.
    assert token_decode(_sign(_key_claims("anon", iat=0))).role == "anon"


# --- algorithms -----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:The HMAC key")
@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_only_hs256_is_accepted(algorithm, signed_in):
    user, session = signed_in
    assert token_decode(_sign(_access_claims(user, session.pk))).sub == user.pk
    token = _sign(_access_claims(user, session.pk), algorithm=algorithm)
    _refused(token)
    _assert_401(token)
    _refused(_sign(_key_claims("service_role"), algorithm=algorithm))


def test_an_unsigned_key_is_refused():
    _refused(jwt.encode(_key_claims("service_role"), None, algorithm="none"))


# --- malformed subjects and sessions ---------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"sub": 12345},
        {"sub": None},
        {"session_id": 7},
        {"session_id": ["a"]},
        {"email": {"a": 1}},
        {"sub": "not-a-uuid"},
    ],
)
def test_an_access_token_with_claims_of_the_wrong_type_is_a_401(changes, signed_in):
    user, session = signed_in
    token = _sign(_access_claims(user, session.pk, **changes))
    _refused(token)
    _assert_401(token)


@pytest.mark.parametrize(
    "token",
    ["a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.e30.", "x" * 5000, "e30.e30.e30"],
)
def test_garbage_tokens_are_a_401(token):
    _refused(token)
    _assert_401(token)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    extra=st.dictionaries(
        st.sampled_from(["exp", "iat", "nbf", "iss", "aud", "role", "sub", "session_id", "email"]),
        json_values,
    )
)
def test_any_validly_signed_payload_is_accepted_or_a_token_error(extra):
    """Whatever the claims hold, decoding returns claims or raises TokenError: never
    another exception (which would be a 500)."""
    claims = {"iss": settings.JWT["ISSUER"], "role": "anon", "iat": NOW, "exp": NOW + VALID_FOR}
    claims.update(extra)
    try:
        token = jwt.encode(claims, settings.JWT["SECRET"], algorithm="HS256")
    except (TypeError, ValueError):
        return  # not encodable as JSON (NaN keys and the like)
    with contextlib.suppress(TokenError):
        token_decode(token)


# --- what we issue ---------------------------------------------------------------------------


def test_an_access_token_carries_iss_aud_and_is_anonymous_false(signed_in):
    user, session = signed_in
    token, _ = access_token_issue(user=user, session_id=session.pk)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == settings.JWT["ISSUER"]
    assert claims["aud"] == "authenticated"
    assert claims["is_anonymous"] is False
    assert claims["role"] == "authenticated"
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


@pytest.mark.parametrize("role", ["anon", "service_role"])
def test_a_key_carries_iss_and_no_sub_or_aud(role):
    claims = jwt.decode(api_key_issue(role=role), options={"verify_signature": False})
    assert claims["iss"] == settings.JWT["ISSUER"]
    assert "sub" not in claims and "aud" not in claims
    assert isinstance(claims["exp"], int) and isinstance(claims["iat"], int)


def test_a_uuid_session_of_a_token_is_decoded(signed_in):
    user, session = signed_in
    token, _ = access_token_issue(user=user, session_id=session.pk)
    decoded = token_decode(token)
    assert decoded.session_id == session.pk and isinstance(decoded.session_id, uuid.UUID)
    assert decoded.email == user.email
    assert not decoded.is_api_key


def test_an_access_token_carries_exactly_gotrues_claims():
    user = UserFactory(full_name="Ada Lovelace")
    session = AuthSession.objects.create(user=user)
    now = timezone.now().replace(microsecond=654321)
    token, expires_at = access_token_issue(user=user, session_id=session.pk, now=now)
    lifetime = settings.JWT["ACCESS_TOKEN_LIFETIME"]
    assert jwt.decode(token, options={"verify_signature": False}) == {
        "iss": settings.JWT["ISSUER"],
        "sub": str(user.pk),
        "aud": "authenticated",
        "exp": int((now + lifetime).timestamp()),
        "iat": int(now.timestamp()),
        "email": user.email,
        "phone": "",
        "role": "authenticated",
        "aal": "aal1",
        "session_id": str(session.pk),
        "is_anonymous": False,
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {"full_name": "Ada Lovelace"},
    }
    assert expires_at == (now + lifetime).replace(microsecond=0)


def test_a_user_without_a_name_has_empty_user_metadata():
    user = UserFactory(full_name="")
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.pk)
    assert jwt.decode(token, options={"verify_signature": False})["user_metadata"] == {}


def test_a_token_error_reads_as_its_message():
    error = TokenError(MSG_TOKEN_INVALID, "TOKEN_INVALID")
    assert str(error) == MSG_TOKEN_INVALID
    assert (error.message, error.code) == (MSG_TOKEN_INVALID, "TOKEN_INVALID")


@pytest.mark.parametrize("missing", ["exp", "iat", "role"])
def test_a_key_missing_a_required_claim_is_refused(missing):
    claims = _key_claims("anon")
    del claims[missing]
    _refused(_sign(claims))


def test_decoded_claims_keep_the_expiry_as_an_aware_time_and_the_raw_claims(signed_in):
    user, session = signed_in
    claims = _key_claims("service_role")
    key = token_decode(_sign(claims))
    assert key.raw == claims
    assert key.email == "" and key.sub is None and key.session_id is None
    assert key.expires_at == datetime.fromtimestamp(claims["exp"], tz=UTC)
    assert key.expires_at.utcoffset() is not None
    access = _access_claims(user, session.pk)
    decoded = token_decode(_sign(access))
    assert decoded.raw == access
    assert decoded.expires_at == datetime.fromtimestamp(access["exp"], tz=UTC)


def test_an_access_token_without_email_reads_as_an_empty_email(signed_in):
    user, session = signed_in
    assert token_decode(_sign(_access_claims(user, session.pk, email=...))).email == ""
