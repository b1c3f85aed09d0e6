"""The official JavaScript client, supabase-js, unchanged, against a live server: what the
frontend written for the original Supabase design does (tests/js/supabase_e2e.mjs):
sign in, ask the assistant and an analyzer through functions.invoke, listen to samples,
change one through the REST API, hear it, sign out.

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


@pytest.fixture
def server(django_db_setup):
    reason = live_unavailable_reason()
    if reason:
        pytest.skip(reason)
    reason = _node_unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the supabase-js test: {reason}")
        pytest.skip(reason)
    started = server_start()
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
