"""GoTrue's account calls, case by case as GoTrue answers them: `POST /auth/v1/signup`,
`GET|PUT /auth/v1/user`, `POST /auth/v1/recover`, `GET|POST /auth/v1/verify`."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import TestCase
from django.utils import timezone
from rest_framework import test
from rest_framework.throttling import ScopedRateThrottle

from fashionos.accounts.account import (
    MSG_EMAIL_EXISTS,
    MSG_SAME_PASSWORD,
    MSG_SIGNUP_DISABLED,
    MSG_USER_EXISTS,
)
from fashionos.accounts.account_views import (
    MSG_DATA_NOT_OBJECT,
    MSG_EMAIL_INVALID,
    MSG_NOT_OBJECT,
    MSG_PASSWORD_REQUIRED,
    MSG_PKCE_UNSUPPORTED,
    MSG_RECOVER_EMAIL,
    MSG_VERIFY_HASH_ONLY,
    MSG_VERIFY_TOKEN,
    MSG_VERIFY_TYPE,
    MSG_VERIFY_TYPE_UNSUPPORTED,
)
from fashionos.accounts.models import AuthSession, OneTimeToken, User
from fashionos.accounts.one_time_tokens import (
    MAX_FAILED_CODES,
    MSG_CODE_INVALID,
    MSG_LINK_INVALID,
)
from fashionos.accounts.services import MSG_EMAIL_NOT_CONFIRMED
from fashionos.accounts.tokens import api_key_issue, token_decode
from fashionos.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]

EMAIL = "ines@example.com"
PASSWORD = "linen-sample-rail-42"
NEW_PASSWORD = "velvet-call-sheet-77"
SITE = "http://localhost:3000"
SESSION_KEYS = {"access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user"}


class APIClient(test.APIClient):
    """Each request runs the on-commit work it leaves (its e-mails) as a committed request
    would (the test's transaction never commits)."""

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


def _post(path: str, body, client=None, **extra):
    return (client or APIClient()).post(f"/auth/v1/{path}", body, format="json", **extra)


def _signup(email=EMAIL, password=PASSWORD, **body):
    return _post("signup", {"email": email, "password": password, **body})


def _with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _sign_in(email=EMAIL, password=PASSWORD):
    return _post("token?grant_type=password", {"email": email, "password": password})


def _refused(reply, status: int, error_code: str, msg: str) -> None:
    assert reply.status_code == status, reply.content
    assert reply.json() == {"code": status, "error_code": error_code, "msg": msg}


def _code(message) -> str:
    return re.search(r"enter this code: (\d{6})", message.body).group(1)


def _link(message) -> str:
    return re.search(r"(http://\S+/auth/v1/verify\?\S+)", message.body).group(1)


@pytest.fixture
def confirm_on(settings):
    settings.AUTH_EMAIL_CONFIRM = True


@pytest.fixture
def throttle_of_two(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min"})


@pytest.fixture
def ines():
    return UserFactory(email=EMAIL, full_name="Ines Duarte")


def _ines_session(ines) -> dict:
    reply = _sign_in(password=TEST_PASSWORD)
    assert reply.status_code == 200, reply.content
    return reply.json()


# --- POST /auth/v1/signup ------------------------------------------------------------------


def test_signup_signs_the_new_user_in_with_their_metadata(mailoutbox):
    reply = _signup(data={"full_name": "Ines Duarte", "studio": "north"})

    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert set(body) == SESSION_KEYS
    user = User.objects.get(email=EMAIL)
    assert body["user"]["id"] == str(user.pk)
    assert body["user"]["user_metadata"] == {"full_name": "Ines Duarte", "studio": "north"}
    assert body["user"]["email_confirmed_at"] is not None
    assert user.full_name == "Ines Duarte"
    assert user.check_password(PASSWORD)
    assert token_decode(body["access_token"]).sub == user.pk
    me = _with_token(body["access_token"]).get("/auth/v1/user")
    assert me.json()["email"] == EMAIL
    assert mailoutbox == []


def test_signup_stores_the_address_in_lower_case():
    reply = _signup(email="Ines@Example.COM")

    assert reply.status_code == 200, reply.content
    assert reply.json()["user"]["email"] == EMAIL
    assert _sign_in().status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([EMAIL, PASSWORD], MSG_NOT_OBJECT),
        ({"email": "not-an-address", "password": PASSWORD}, MSG_EMAIL_INVALID),
        ({"email": EMAIL}, MSG_PASSWORD_REQUIRED),
        (
            {"email": EMAIL, "password": 12345678901},
            "password must be a string of at most 1024 characters",
        ),
        ({"email": EMAIL, "password": PASSWORD, "data": ["x"]}, MSG_DATA_NOT_OBJECT),
        ({"email": EMAIL, "password": PASSWORD, "code_challenge": "abc"}, MSG_PKCE_UNSUPPORTED),
    ],
)
def test_signup_refuses_bad_input_and_writes_nothing(body, message):
    _refused(_post("signup", body), 400, "validation_failed", message)

    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "reasons"),
    [("q8#Zr!", ["length"]), ("password123", ["pwned"]), ("48213907561", ["characters"])],
)
def test_signup_refuses_a_weak_password_with_gotrue_reasons(password, reasons):
    reply = _signup(password=password)

    assert reply.status_code == 422, reply.content
    body = reply.json()
    assert body["error_code"] == "weak_password"
    assert body["weak_password"] == {"reasons": reasons}
    assert body["msg"]
    assert not User.objects.exists()


def test_signup_of_a_taken_address_is_user_already_exists(ines):
    _refused(_signup(email="INES@example.com"), 422, "user_already_exists", MSG_USER_EXISTS)

    ines.refresh_from_db()
    assert ines.check_password(TEST_PASSWORD)
    assert User.objects.count() == 1


def test_signup_disabled_refuses_and_writes_nothing(settings):
    settings.AUTH_SIGNUP_ENABLED = False

    _refused(_signup(), 422, "signup_disabled", MSG_SIGNUP_DISABLED)

    assert not User.objects.exists()


def test_signup_is_throttled_like_sign_in(throttle_of_two):
    for n in range(2):
        assert _signup(email=f"person{n}@example.com").status_code == 200

    reply = _signup()

    assert reply.status_code == 429
    assert reply.json()["error_code"] == "over_request_rate_limit"
    assert "Retry-After" in reply
    assert not User.objects.filter(email=EMAIL).exists()


# --- Sign-up with e-mail confirmation -----------------------------------------------------


def test_confirmed_signup_emails_a_code_that_signs_in_once(confirm_on, mailoutbox):
    reply = _signup(data={"full_name": "Ines Duarte"})

    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert "access_token" not in body
    assert body["email"] == EMAIL
    assert body["email_confirmed_at"] is None
    assert body["confirmation_sent_at"]
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    _refused(_sign_in(), 400, "email_not_confirmed", MSG_EMAIL_NOT_CONFIRMED)

    code = _code(mailoutbox[0])
    verified = _post("verify", {"type": "signup", "email": EMAIL, "token": code})

    assert verified.status_code == 200, verified.content
    assert set(verified.json()) == SESSION_KEYS
    assert verified.json()["user"]["email_confirmed_at"] is not None
    assert _sign_in().status_code == 200
    reused = _post("verify", {"type": "signup", "email": EMAIL, "token": code})
    _refused(reused, 403, "otp_expired", MSG_CODE_INVALID)


def test_the_emailed_link_signs_in_through_a_redirect(confirm_on, mailoutbox, settings):
    settings.AUTH_REDIRECT_URLS = ["https://app.example.com/"]
    _post(
        "signup?redirect_to=https://app.example.com/welcome", {"email": EMAIL, "password": PASSWORD}
    )
    link = urlsplit(_link(mailoutbox[0]))
    assert link.path == "/auth/v1/verify"
    assert parse_qs(link.query)["redirect_to"] == ["https://app.example.com/welcome"]

    reply = APIClient().get(f"{link.path}?{link.query}")

    assert reply.status_code == 303
    landing, fragment = reply["Location"].split("#")
    assert landing == "https://app.example.com/welcome"
    session = parse_qs(fragment)
    assert session["type"] == ["signup"]
    assert session["token_type"] == ["bearer"]
    assert token_decode(session["access_token"][0]).email == EMAIL
    again = APIClient().get(f"{link.path}?{link.query}")
    assert again.status_code == 303
    failure = parse_qs(again["Location"].split("#")[1])
    assert failure["error_code"] == ["otp_expired"]
    assert failure["error_description"] == [MSG_LINK_INVALID]


def test_a_redirect_to_an_unknown_site_lands_on_the_site_url(confirm_on, mailoutbox):
    _post("signup?redirect_to=https://evil.example.net/", {"email": EMAIL, "password": PASSWORD})

    link = urlsplit(_link(mailoutbox[0]))
    assert parse_qs(link.query)["redirect_to"] == [SITE]
    reply = APIClient().get(f"{link.path}?{link.query}")
    assert reply["Location"].startswith(f"{SITE}#access_token=")


def test_confirmed_signup_of_a_taken_address_answers_like_a_new_one(confirm_on, mailoutbox):
    UserFactory(email=EMAIL)
    new = _signup(email="nobody@example.com", data={"full_name": "N"}).json()
    mailoutbox.clear()

    taken = _signup(data={"full_name": "N"})

    assert taken.status_code == 200
    body = taken.json()
    assert set(body) == set(new)
    assert {key: body[key] for key in ("aud", "role", "identities", "user_metadata")} == {
        key: new[key] for key in ("aud", "role", "identities", "user_metadata")
    }
    assert body["email_confirmed_at"] is None and body["last_sign_in_at"] is None
    assert not User.objects.filter(pk=body["id"]).exists()
    assert mailoutbox == []
    assert User.objects.filter(email=EMAIL).count() == 1


# --- GET|PUT /auth/v1/user -----------------------------------------------------------------


def test_get_user_needs_a_user_token():
    assert APIClient().get("/auth/v1/user").status_code == 401
    service = _with_token(api_key_issue(role="service_role")).get("/auth/v1/user")
    assert service.status_code == 403
    assert service.json()["error_code"] == "bad_jwt"


def test_update_user_merges_metadata(ines):
    token = _ines_session(ines)["access_token"]
    client = _with_token(token)
    client.put("/auth/v1/user", {"data": {"studio": "north", "size": "M"}}, format="json")

    reply = client.put(
        "/auth/v1/user", {"data": {"size": None, "full_name": "Ines D."}}, format="json"
    )

    assert reply.status_code == 200, reply.content
    assert reply.json()["user_metadata"] == {"studio": "north", "full_name": "Ines D."}
    ines.refresh_from_db()
    assert ines.full_name == "Ines D."
    assert client.get("/auth/v1/user").json()["user_metadata"]["studio"] == "north"


def test_update_user_refuses_metadata_that_is_not_an_object(ines):
    client = _with_token(_ines_session(ines)["access_token"])

    reply = client.put("/auth/v1/user", {"data": "north"}, format="json")

    _refused(reply, 400, "validation_failed", MSG_DATA_NOT_OBJECT)


def test_password_change_ends_the_other_sessions(ines):
    mine, other = _ines_session(ines), _ines_session(ines)

    reply = _with_token(mine["access_token"]).put(
        "/auth/v1/user", {"password": NEW_PASSWORD}, format="json"
    )

    assert reply.status_code == 200, reply.content
    assert _with_token(other["access_token"]).get("/auth/v1/user").status_code == 401
    assert _with_token(mine["access_token"]).get("/auth/v1/user").status_code == 200
    refused = _post("token?grant_type=refresh_token", {"refresh_token": other["refresh_token"]})
    assert refused.status_code == 400
    assert _sign_in(password=TEST_PASSWORD).status_code == 400
    assert _sign_in(password=NEW_PASSWORD).status_code == 200


def test_password_change_refuses_weak_and_unchanged_passwords(ines):
    mine, other = _ines_session(ines), _ines_session(ines)
    client = _with_token(mine["access_token"])

    weak = client.put("/auth/v1/user", {"password": "abc"}, format="json")
    same = client.put("/auth/v1/user", {"password": TEST_PASSWORD}, format="json")

    assert weak.status_code == 422 and weak.json()["error_code"] == "weak_password"
    _refused(same, 422, "same_password", MSG_SAME_PASSWORD)
    assert _with_token(other["access_token"]).get("/auth/v1/user").status_code == 200
    ines.refresh_from_db()
    assert ines.check_password(TEST_PASSWORD)


def test_email_change_waits_for_the_new_address_to_confirm(ines, mailoutbox):
    client = _with_token(_ines_session(ines)["access_token"])

    reply = client.put("/auth/v1/user", {"email": "ines.d@example.com"}, format="json")

    assert reply.status_code == 200, reply.content
    assert reply.json()["email"] == EMAIL
    assert reply.json()["new_email"] == "ines.d@example.com"
    assert [message.to for message in mailoutbox] == [["ines.d@example.com"]]
    verified = _post(
        "verify",
        {"type": "email_change", "email": "ines.d@example.com", "token": _code(mailoutbox[0])},
    )
    assert verified.status_code == 200, verified.content
    assert verified.json()["user"]["email"] == "ines.d@example.com"
    assert "new_email" not in verified.json()["user"]
    assert _sign_in(email="ines.d@example.com", password=TEST_PASSWORD).status_code == 200


def test_email_change_to_a_taken_address_is_refused(ines, mailoutbox):
    UserFactory(email="taken@example.com")
    client = _with_token(_ines_session(ines)["access_token"])

    reply = client.put(
        "/auth/v1/user", {"email": "Taken@example.com", "data": {"x": 1}}, format="json"
    )

    _refused(reply, 422, "email_exists", MSG_EMAIL_EXISTS)
    ines.refresh_from_db()
    assert ines.email_change == "" and ines.user_metadata == {}
    assert mailoutbox == []


# --- POST /auth/v1/recover and /auth/v1/verify --------------------------------------------


def test_recovery_code_signs_in_and_the_new_password_works(ines, mailoutbox):
    assert _post("recover", {"email": EMAIL}).json() == {}
    code = _code(mailoutbox[0])

    verified = _post("verify", {"type": "recovery", "email": EMAIL, "token": code})

    assert verified.status_code == 200, verified.content
    client = _with_token(verified.json()["access_token"])
    assert client.put("/auth/v1/user", {"password": NEW_PASSWORD}, format="json").status_code == 200
    assert _sign_in(password=NEW_PASSWORD).status_code == 200
    reused = _post("verify", {"type": "recovery", "email": EMAIL, "token": code})
    _refused(reused, 403, "otp_expired", MSG_CODE_INVALID)


def test_recover_answers_the_same_for_an_unknown_address(ines, mailoutbox):
    known = _post("recover", {"email": EMAIL})
    unknown = _post("recover", {"email": "nobody@example.com"})

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json()) == (200, {})
    assert [message.to for message in mailoutbox] == [[EMAIL]]


def test_recover_sends_one_email_per_interval_and_answers_the_same(ines, mailoutbox):
    first = _post("recover", {"email": EMAIL})
    second = _post("recover", {"email": EMAIL})

    assert first.json() == second.json() == {}
    assert len(mailoutbox) == 1


def test_recover_refuses_bad_input(ines, mailoutbox):
    _refused(_post("recover", {}), 400, "validation_failed", MSG_RECOVER_EMAIL)
    _refused(_post("recover", {"email": "x"}), 400, "validation_failed", MSG_EMAIL_INVALID)
    assert mailoutbox == []


def test_recover_is_throttled_like_sign_in(ines, mailoutbox, throttle_of_two):
    for _ in range(2):
        _post("recover", {"email": "nobody@example.com"})

    reply = _post("recover", {"email": EMAIL})

    assert reply.status_code == 429
    assert reply.json()["error_code"] == "over_request_rate_limit"
    assert mailoutbox == []


def test_verify_is_throttled(ines, throttle_of_two):
    for _ in range(2):
        _post("verify", {"type": "recovery", "email": EMAIL, "token": "000000"})

    reply = _post("verify", {"type": "recovery", "email": EMAIL, "token": "000000"})

    assert reply.status_code == 429


def test_an_expired_recovery_code_is_refused(ines, mailoutbox):
    _post("recover", {"email": EMAIL})
    OneTimeToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    reply = _post("verify", {"type": "recovery", "email": EMAIL, "token": _code(mailoutbox[0])})

    _refused(reply, 403, "otp_expired", MSG_CODE_INVALID)
    assert not AuthSession.objects.filter(user=ines).exists()


def test_a_newer_recovery_retires_the_older_code(ines, mailoutbox, settings):
    settings.AUTH_EMAIL_MIN_INTERVAL = timedelta(0)
    _post("recover", {"email": EMAIL})
    _post("recover", {"email": EMAIL})
    older, newer = (_code(message) for message in mailoutbox)

    if older != newer:
        refused = _post("verify", {"type": "recovery", "email": EMAIL, "token": older})
        _refused(refused, 403, "otp_expired", MSG_CODE_INVALID)
    verified = _post("verify", {"type": "recovery", "email": EMAIL, "token": newer})
    assert verified.status_code == 200


def test_wrong_codes_retire_the_live_code(ines, mailoutbox):
    _post("recover", {"email": EMAIL})
    code = _code(mailoutbox[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(MAX_FAILED_CODES):
        reply = _post("verify", {"type": "recovery", "email": EMAIL, "token": wrong})
        _refused(reply, 403, "otp_expired", MSG_CODE_INVALID)

    reply = _post("verify", {"type": "recovery", "email": EMAIL, "token": code})

    _refused(reply, 403, "otp_expired", MSG_CODE_INVALID)


def test_verify_by_token_hash_spends_the_link_token(ines, mailoutbox):
    _post("recover", {"email": EMAIL})
    token = parse_qs(urlsplit(_link(mailoutbox[0])).query)["token"][0]

    verified = _post("verify", {"type": "recovery", "token_hash": token})
    reused = _post("verify", {"type": "recovery", "token_hash": token})

    assert verified.status_code == 200, verified.content
    _refused(reused, 403, "otp_expired", MSG_LINK_INVALID)


def test_a_token_of_another_kind_is_refused(ines, mailoutbox):
    _post("recover", {"email": EMAIL})

    reply = _post("verify", {"type": "signup", "email": EMAIL, "token": _code(mailoutbox[0])})

    _refused(reply, 403, "otp_expired", MSG_CODE_INVALID)


def test_only_digests_are_stored(ines, mailoutbox):
    _post("recover", {"email": EMAIL})
    message = mailoutbox[0]
    token = parse_qs(urlsplit(_link(message)).query)["token"][0]

    stored = OneTimeToken.objects.get()

    assert token not in (stored.token_digest, stored.code_digest)
    assert _code(message) not in (stored.token_digest, stored.code_digest)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"email": EMAIL, "token": "123456"}, MSG_VERIFY_TYPE),
        ({"type": "magiclink", "email": EMAIL, "token": "123456"}, MSG_VERIFY_TYPE_UNSUPPORTED),
        ({"type": "recovery", "email": EMAIL}, MSG_VERIFY_TOKEN),
        ({"type": "recovery", "token": "1", "token_hash": "x", "email": EMAIL}, MSG_VERIFY_TOKEN),
        ({"type": "recovery", "token_hash": "x", "email": EMAIL}, MSG_VERIFY_HASH_ONLY),
        ({"type": "recovery", "token": "123456", "email": "x"}, MSG_EMAIL_INVALID),
        ("recovery", MSG_NOT_OBJECT),
    ],
)
def test_verify_refuses_bad_input(body, message):
    _refused(_post("verify", body), 400, "validation_failed", message)
