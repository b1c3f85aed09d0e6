"""The cached sign-in session (fashionos/accounts/session_cache.py): a repeated request reads no
session from the database, and every way access ends (sign-out, a refresh token used twice,
a password change, deactivation, deletion, the back office's revoke) ends it on the next
request, whether it happened in this process or in another one.

Needs Redis (`REDIS_URL`, as CI has): without it nothing is cached and these tests are
skipped. The tests in another process also need PostgreSQL, which that process shares."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from fashionos.accounts import services, session_cache
from fashionos.accounts.authentication import MSG_SESSION_ENDED
from fashionos.accounts.models import AuthSession, User
from fashionos.accounts.tokens import access_token_issue
from fashionos.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.urls("fashionos.tests.probe_urls"),
    pytest.mark.skipif(not settings.REDIS_URL, reason="the session cache needs REDIS_URL"),
]

ROOT = Path(__file__).resolve().parents[3]
PROBE = "/probe/members-only"


@pytest.fixture(autouse=True)
def _empty_cache():
    session_cache.cache_clear()
    yield
    session_cache.cache_clear()


def _signed_in(user) -> tuple[str, AuthSession]:
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.id)
    return token, session


def _get(token: str):
    return APIClient().get(PROBE, HTTP_AUTHORIZATION=f"Bearer {token}")


def _assert_ended(reply) -> None:
    assert reply.status_code == 401, reply.content
    assert reply.json() == {"error": MSG_SESSION_ENDED, "code": "SESSION_ENDED"}


def _cached(token: str, django_assert_num_queries) -> None:
    """Make the request twice: the second reads nothing from the database."""
    assert _get(token).status_code == 200
    with django_assert_num_queries(0):
        assert _get(token).status_code == 200


# --- In this process ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_repeated_request_reads_no_session(django_assert_num_queries):
    token, _ = _signed_in(UserFactory())

    with django_assert_num_queries(1):
        assert _get(token).status_code == 200
    with django_assert_num_queries(0):
        reply = _get(token)

    assert reply.status_code == 200
    assert reply.json()["role"] == "authenticated"


@pytest.mark.django_db
def test_each_request_gets_its_own_user_instance():
    user = UserFactory(full_name="Ana Lima")
    _, session = _signed_in(user)
    load = session_cache.session_user_cached
    first = load(session_id=session.pk, user_id=user.pk, load=lambda: User.objects.get(pk=user.pk))
    second = load(session_id=session.pk, user_id=user.pk, load=lambda: None)

    assert first is not second
    assert (second.pk, second.full_name, second.email) == (user.pk, "Ana Lima", user.email)
    assert second._state.adding is False


@pytest.mark.django_db
def test_sign_out_ends_access_on_the_next_request(django_assert_num_queries):
    user = UserFactory()
    token, session = _signed_in(user)
    _cached(token, django_assert_num_queries)

    services.session_sign_out(session_id=session.pk, user=user)

    _assert_ended(_get(token))


@pytest.mark.django_db
def test_a_refresh_token_used_twice_ends_access_on_the_next_request(django_assert_num_queries):
    user = UserFactory()
    issued = services.session_sign_in(email=user.email, password=TEST_PASSWORD)
    _cached(issued.access_token, django_assert_num_queries)

    services.session_refresh(refresh_token=issued.refresh_token)
    with pytest.raises(services.SessionError):
        services.session_refresh(refresh_token=issued.refresh_token)

    _assert_ended(_get(issued.access_token))


@pytest.mark.django_db
def test_a_password_change_ends_access_on_the_next_request(django_assert_num_queries):
    user = UserFactory()
    token, session = _signed_in(user)
    _cached(token, django_assert_num_queries)

    user.set_password("another-long-passphrase")
    user.save()

    _assert_ended(_get(token))
    session.refresh_from_db()
    assert session.revoked_at is not None


@pytest.mark.django_db
def test_saving_a_user_without_a_new_password_keeps_the_session(django_assert_num_queries):
    user = UserFactory()
    token, session = _signed_in(user)
    _cached(token, django_assert_num_queries)

    user.full_name = "Renamed"
    user.save()

    assert _get(token).status_code == 200
    session.refresh_from_db()
    assert session.revoked_at is None


@pytest.mark.django_db
def test_deactivation_ends_access_on_the_next_request(django_assert_num_queries):
    user = UserFactory()
    token, _ = _signed_in(user)
    _cached(token, django_assert_num_queries)

    user.is_active = False
    user.save(update_fields=["is_active"])

    _assert_ended(_get(token))


@pytest.mark.django_db
def test_user_deletion_ends_access_on_the_next_request(django_assert_num_queries):
    user = UserFactory()
    token, _ = _signed_in(user)
    _cached(token, django_assert_num_queries)

    services.user_delete(user=user)

    _assert_ended(_get(token))


@pytest.mark.django_db
def test_the_back_office_revoke_ends_access_on_the_next_request(django_assert_num_queries):
    user = UserFactory()
    token, session = _signed_in(user)
    _cached(token, django_assert_num_queries)

    assert services.sessions_revoke(session_ids=[session.pk]) == 1

    _assert_ended(_get(token))


@pytest.mark.django_db
def test_a_write_that_bypasses_the_services_is_seen_once_announced(django_assert_num_queries):
    """A raw UPDATE is invisible to the cache (the module's docstring says to announce it);
    once `auth_state_changed` is called the next request reads the row again."""
    user = UserFactory()
    token, session = _signed_in(user)
    _cached(token, django_assert_num_queries)
    AuthSession.objects.filter(pk=session.pk).update(revoked_at=session.created_at)

    assert _get(token).status_code == 200
    session_cache.auth_state_changed(user.pk)

    _assert_ended(_get(token))


@pytest.mark.django_db
def test_without_redis_every_request_reads_the_session(settings, django_assert_num_queries):
    settings.REDIS_URL = ""
    token, _ = _signed_in(UserFactory())

    for _ in range(2):
        with django_assert_num_queries(1):
            assert _get(token).status_code == 200


@pytest.mark.django_db
def test_when_redis_does_not_answer_every_request_reads_the_session(
    settings, django_assert_num_queries
):
    token, _ = _signed_in(UserFactory())
    _cached(token, django_assert_num_queries)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    try:
        for _ in range(2):
            with django_assert_num_queries(1):
                assert _get(token).status_code == 200
    finally:
        session_cache._redis_down_until = 0.0


# --- In another process ---------------------------------------------------------------------

REVOKE_IN_ANOTHER_PROCESS = {
    "sign-out": (
        "from fashionos.accounts.services import session_sign_out\n"
        "user = User.objects.get(pk=USER)\n"
        "session_sign_out(session_id=SESSION, user=user)\n"
    ),
    "refresh-reuse": (
        "from fashionos.accounts.services import SessionError, session_refresh\n"
        "session_refresh(refresh_token=REFRESH)\n"
        "try:\n"
        "    session_refresh(refresh_token=REFRESH)\n"
        "except SessionError:\n"
        "    pass\n"
    ),
    "password-change": (
        "user = User.objects.get(pk=USER)\n"
        "user.set_password('another-long-passphrase')\n"
        "user.save()\n"
    ),
    "user-deletion": (
        "from fashionos.accounts.services import user_delete\n"
        "user_delete(user=User.objects.get(pk=USER))\n"
    ),
}


def _in_another_process(code: str, **names: str) -> None:
    """Run `code` in a new Django process on this test database and Redis."""
    prelude = "from fashionos.accounts.models import User\n" + "".join(
        f"{name} = {value!r}\n" for name, value in names.items()
    )
    database = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    env["REDIS_URL"] = settings.REDIS_URL
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", prelude + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="another process shares PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", sorted(REVOKE_IN_ANOTHER_PROCESS))
def test_access_ended_in_another_process_ends_here_on_the_next_request(
    how, django_assert_num_queries
):
    user = UserFactory()
    issued = services.session_sign_in(email=user.email, password=TEST_PASSWORD)
    _cached(issued.access_token, django_assert_num_queries)

    _in_another_process(
        REVOKE_IN_ANOTHER_PROCESS[how],
        USER=str(user.pk),
        SESSION=str(issued.session.pk),
        REFRESH=issued.refresh_token,
    )

    _assert_ended(_get(issued.access_token))
