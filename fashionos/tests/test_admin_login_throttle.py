"""The admin's sign-in form is throttled per client address and per account, with the API's
proxy rules (NUM_PROXIES), and each refusal is logged (issue 11, item 2). The review sent 25
wrong staff passwords in a row: all answered 200."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings

from fashionos.accounts.login_throttle import SCOPE_ACCOUNT, SCOPE_ADDRESS
from fashionos.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def rates(monkeypatch):
    cache.clear()
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, SCOPE_ADDRESS, "5/min")
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, SCOPE_ACCOUNT, "3/hour")
    yield
    cache.clear()


@pytest.fixture
def staff():
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


def _try(password: str, *, email: str = "staff@example.com", address: str = "203.0.113.9",
         forwarded: str | None = None):  # fmt: skip
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(LOGIN, {"username": email, "password": password}, **headers)


def test_wrong_passwords_from_one_address_are_refused_after_the_budget(staff):
    answers = [_try("wrong", email=f"guess{n}@example.com").status_code for n in range(8)]
    assert answers == [200] * 5 + [429] * 3


def test_a_refusal_is_the_form_with_a_message_and_retry_after(staff):
    for n in range(5):
        _try("wrong", email=f"someone{n}@example.com")
    reply = _try(TEST_PASSWORD)  # even the right password is not checked
    assert reply.status_code == 429
    assert int(reply["Retry-After"]) >= 1
    assert b"Too many sign-in attempts" in reply.content
    assert b'name="password"' in reply.content
    assert "_auth_user_id" not in reply.wsgi_request.session


def test_failed_attempts_on_one_account_are_refused_from_any_address(staff):
    answers = [
        _try("wrong", email="Staff@Example.com ", address=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert answers == [200, 200, 200, 429, 429]
    # Another account from a fresh address still gets its chance.
    assert _try("wrong", email="other@example.com", address="198.51.100.77").status_code == 200


def test_the_right_password_within_the_budget_signs_in_and_does_not_count(staff):
    for n in range(6):
        reply = _try(TEST_PASSWORD, address=f"192.0.2.{n}")
        assert reply.status_code == 302, n
    # Successful sign-ins spent nothing of the account's failure budget.
    assert [_try("wrong", address="192.0.2.99").status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]


def test_the_get_of_the_form_is_never_throttled(staff):
    for _ in range(6):
        _try("wrong", email="x@example.com")
    assert Client().get(LOGIN, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_forged_forwarded_for_does_not_dodge_the_address_budget(staff, settings):
    # NUM_PROXIES=0 (the default): X-Forwarded-For is the client's to forge, so ignored.
    answers = [
        _try("wrong", email=f"g{n}@example.com", forwarded=f"10.0.0.{n}").status_code
        for n in range(6)
    ]
    assert answers[-1] == 429


def test_behind_one_proxy_the_forwarded_address_is_the_client(staff, monkeypatch):
    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    # Every request comes from the proxy's address; the clients differ.
    for n in range(5):
        assert _try("wrong", email=f"a{n}@example.com", address="10.0.0.1",
                    forwarded="203.0.113.50").status_code == 200  # fmt: skip
    assert (
        _try("wrong", email="b@example.com", address="10.0.0.1", forwarded="203.0.113.50")
        .status_code == 429
    )  # fmt: skip
    assert (
        _try("wrong", email="c@example.com", address="10.0.0.1", forwarded="203.0.113.51")
        .status_code == 200
    )  # fmt: skip


def test_failures_and_refusals_are_logged(staff, caplog):
    caplog.set_level(logging.INFO, logger="fashionos.security")
    for _ in range(4):
        _try("wrong", address="203.0.113.20")
    mine = [r for r in caplog.records if r.name == "fashionos.security"]
    events = [json.loads(record.getMessage()) for record in mine]
    assert [e["event"] for e in events] == ["admin_login_failed"] * 3 + ["admin_login_throttled"]
    assert events[-1] == {
        "event": "admin_login_throttled",
        "client": "203.0.113.20",
        "account": "staff@example.com",
        "budget": SCOPE_ACCOUNT,
    }
    assert all("wrong" not in record.getMessage() for record in caplog.records)  # no password
    throttled = [r for r in mine if "throttled" in r.getMessage()]
    assert throttled[0].levelno == logging.WARNING
