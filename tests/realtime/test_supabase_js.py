"""The official JavaScript client, supabase-js, unchanged, against a live server: what the
frontend written for the original Supabase design does (tests/js/supabase_e2e.mjs):
sign in, ask the assistant and an analyzer through functions.invoke, listen to samples,
change one through the REST API, hear it, sign out; and a new person's account
(tests/js/supabase_account_e2e.mjs): sign up, update and read the profile, recover the
password with the e-mailed code, sign in with the new one.

Needs Node.js and the pinned packages (`make test` installs them with `npm ci`), PostgreSQL
and Redis like the other live tests. Under CI a missing Node.js fails instead of skipping."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from fashionos.accounts.models import OneTimeToken, User
from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.factories import TEST_PASSWORD
from logistics.tests.factories import SampleFactory

from .servers import live_unavailable_reason, server_start

JS = Path(__file__).resolve().parent.parent / "js"

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _node_unavailable_reason() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (JS / "node_modules" / "@supabase" / "supabase-js").is_dir():
        return f"supabase-js is not installed: npm ci --prefix {JS.relative_to(Path.cwd())}"
    return None


def _skip_unless_runnable() -> None:
    reason = live_unavailable_reason()
    if reason:
        pytest.skip(reason)
    reason = _node_unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the supabase-js test: {reason}")
        pytest.skip(reason)


@pytest.fixture
def server(django_db_setup):
    _skip_unless_runnable()
    started = server_start()
    yield started
    started.stop()


@pytest.fixture
def outbox(tmp_path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def server_with_outbox(django_db_setup, outbox):
    """A server that writes its e-mails to `outbox`, one file each (Django's file backend)."""
    _skip_unless_runnable()
    outbox.mkdir()
    started = server_start(EMAIL_URL=f"filemail://{outbox}")
    yield started
    started.stop()


def test_a_supabase_js_frontend_session(server, cast):
    # The suite hashes passwords with MD5 (root conftest); the server knows only production's.
    cast.owner.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "jsclientsalt")
    cast.owner.save(update_fields=["password"])
    sample = SampleFactory(campaign=cast.campaign, status="arrived")

    done = subprocess.run(
        ["node", "supabase_e2e.mjs"],
        cwd=JS,
        env={
            "PATH": os.environ.get("PATH", ""),
            "SUPABASE_URL": server.url,
            "ANON_KEY": api_key_issue(role="anon"),
            "EMAIL": cast.owner.email,
            "PASSWORD": TEST_PASSWORD,
            "CAMPAIGN_ID": str(cast.campaign.pk),
            "SAMPLE_ID": str(sample.pk),
        },
        capture_output=True,
        text=True,
        timeout=90,
    )

    assert done.returncode == 0, done.stderr[-3000:] + server.log_text()[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["user"] == cast.owner.email
    assert seen["chat"]["intent"] == "readiness_check"
    assert seen["chat"]["skill"] == "logistics"
    assert "ready" in seen["chat"]["content"]
    assert seen["analysis"]["readiness"]["totalSamples"] == 1
    assert seen["analysis"]["cached"] is False
    assert seen["subscribed"] is True
    assert seen["patchStatus"] == 200
    assert seen["change"] == {
        "eventType": "UPDATE",
        "table": "samples",
        "newStatus": "on_set",
        "oldStatus": "arrived",
    }
    assert seen["signedOut"] is True


def test_a_supabase_js_account_from_sign_up_to_recovery(server_with_outbox, outbox):
    email, password, new_password = "ines@example.com", "linen-sample-rail-42", "velvet-call-77"

    done = subprocess.run(
        ["node", "supabase_account_e2e.mjs"],
        cwd=JS,
        env={
            "PATH": os.environ.get("PATH", ""),
            "SUPABASE_URL": server_with_outbox.url,
            "ANON_KEY": api_key_issue(role="anon"),
            "EMAIL": email,
            "PASSWORD": password,
            "NEW_PASSWORD": new_password,
            "OUTBOX": str(outbox),
        },
        capture_output=True,
        text=True,
        timeout=90,
    )

    assert done.returncode == 0, (
        done.stderr[-3000:]
        + server_with_outbox.log_text()[-3000:]
        + str([p.read_text() for p in outbox.iterdir()])
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    user = User.objects.get(email=email)
    assert seen["signUp"] == {
        "hasSession": True,
        "email": email,
        "metadata": {"full_name": "Ines Duarte"},
    }
    assert seen["updateUser"] == {"full_name": "Ines Duarte", "studio": "north"}
    assert seen["getUser"] == {
        "id": str(user.pk),
        "email": email,
        "metadata": {"full_name": "Ines Duarte", "studio": "north"},
    }
    assert seen["signUpUserId"] == str(user.pk)
    assert seen["reset"] == {}
    assert seen["verified"] == {"hasSession": True, "email": email}
    assert seen["oldPassword"] == "invalid_credentials"
    assert seen["newPassword"] == {"email": email, "hasSession": True}
    recovery = OneTimeToken.objects.get(user=user, purpose="recovery")
    assert recovery.used_at is not None
    assert [path.read_text().count("Reset your password") for path in outbox.iterdir()] == [1]
