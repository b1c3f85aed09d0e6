"""`/readyz` tells the public a bare status; the checks' detail (what failed, timings, the
channel layer's backend) only to a caller with READYZ_TOKEN or a staff session (issue 11,
item 6)."""

from __future__ import annotations

import pytest
from django.test import Client

from fashionos import health
from fashionos.testing.factories import UserFactory
from fashionos.testing.live import closed_port

pytestmark = pytest.mark.django_db

TOKEN = "a-readyz-token-for-this-test"


@pytest.fixture(autouse=True)
def token(settings):
    settings.READYZ_TOKEN = TOKEN


def test_the_public_answer_is_a_bare_status():
    reply = Client().get("/readyz")
    assert reply.status_code == 200
    assert reply.json() == {"status": "ok"}
    assert b"channels" not in reply.content and b"Layer" not in reply.content


def test_the_token_shows_the_detail():
    reply = Client().get("/readyz", HTTP_X_READYZ_TOKEN=TOKEN)
    checks = reply.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["channel_layer"]["backend"].startswith(("channels.", "channels_redis."))


@pytest.mark.parametrize("sent", ["", "wrong", TOKEN + "x", TOKEN[:-1]])
def test_a_wrong_token_gets_the_bare_status(sent):
    assert Client().get("/readyz", HTTP_X_READYZ_TOKEN=sent).json() == {"status": "ok"}


def test_no_token_is_configured_so_none_is_accepted(settings):
    settings.READYZ_TOKEN = ""
    assert Client().get("/readyz", HTTP_X_READYZ_TOKEN="").json() == {"status": "ok"}


def test_a_staff_session_sees_the_detail_and_a_user_session_does_not():
    staff, user = Client(), Client()
    staff.force_login(UserFactory(is_staff=True))
    user.force_login(UserFactory())
    assert "checks" in staff.get("/readyz").json()
    assert user.get("/readyz").json() == {"status": "ok"}


def test_a_failure_is_a_bare_503_to_the_public(monkeypatch):
    from django.db.utils import ConnectionHandler

    down = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "fashionos",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": closed_port(),
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )["default"]
    monkeypatch.setattr(health, "connection", down)
    reply = Client().get("/readyz")
    assert reply.status_code == 503
    assert reply.json() == {"status": "unavailable"}
    detailed = Client().get("/readyz", HTTP_X_READYZ_TOKEN=TOKEN)
    assert detailed.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    down.close()
