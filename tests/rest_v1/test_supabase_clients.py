"""The official clients, unchanged, against a live server's `/rest/v1`: supabase-js
(tests/js/rest_e2e.mjs, with a realtime UPDATE heard after `from().update()`) and
supabase-py (`client.table(...)`), each signing in and doing a frontend's everyday table
reads and writes.

Live tests: PostgreSQL and Redis as the other live tests; supabase-js needs Node.js and the
pinned packages (`npm ci --prefix tests/js`). Under CI a missing Node.js fails instead of
skipping."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from postgrest.exceptions import APIError
from supabase import ClientOptions, create_client

from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.factories import TEST_PASSWORD
from logistics.models import Sample
from logistics.tests.factories import SampleFactory
from tests.realtime.servers import live_unavailable_reason, server_start

JS = Path(__file__).resolve().parent.parent / "js"

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(django_db_setup):
    reason = live_unavailable_reason()
    if reason:
        pytest.skip(reason)
    started = server_start()
    yield started
    started.stop()


@pytest.fixture
def shoot(cast):
    """The owner with a password the server's hasher knows, and three samples."""
    # The suite hashes passwords with MD5 (root conftest); the server knows only production's.
    cast.owner.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "restclientsalt")
    cast.owner.save(update_fields=["password"])
    SampleFactory(campaign=cast.campaign, name="Dress", status="arrived", priority=1, is_hero=True)
    SampleFactory(campaign=cast.campaign, name="Coat", status="delayed", priority=2)
    SampleFactory(campaign=cast.campaign, name="Bag", status="requested", priority=3)
    SampleFactory(campaign=cast.other_campaign, name="Secret", status="arrived")
    return cast


def test_supabase_js_reads_and_writes_through_rest_v1(server, shoot):
    if shutil.which("node") is None or not (JS / "node_modules" / "@supabase").is_dir():
        reason = "Node.js or the pinned supabase-js is missing (npm ci --prefix tests/js)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    done = subprocess.run(
        ["node", "rest_e2e.mjs"],
        cwd=JS,
        env={
            "PATH": os.environ.get("PATH", ""),
            "SUPABASE_URL": server.url,
            "ANON_KEY": api_key_issue(role="anon"),
            "EMAIL": shoot.owner.email,
            "PASSWORD": TEST_PASSWORD,
            "CAMPAIGN_ID": str(shoot.campaign.pk),
        },
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-3000:] + server.log_text()[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["anonymousRows"] == 0
    assert seen["page"] == {"names": ["Bag", "Coat"], "count": 3, "status": 206}
    assert seen["or"] == ["Dress"]
    assert seen["headCount"] == 3
    assert seen["inserted"] == {"name": "Cotton shirt, white", "status": 201}
    assert seen["insertedMany"] == ["Sock A", "Sock B"]
    assert [row["status"] for row in seen["updated"]] == ["arrived"]
    assert seen["single"] == {"name": "Cotton shirt, white", "campaigns": {"name": "Resort 27"}}
    assert seen["campaignSamples"] == [
        "Bag",
        "Coat",
        "Cotton shirt, white",
        "Dress",
        "Sock A",
        "Sock B",
    ]
    assert seen["maybeNothing"] is None
    assert seen["realtimeUpdateStatus"] == 204
    assert seen["change"] == {"eventType": "UPDATE", "newStatus": "on_set", "oldStatus": "arrived"}
    assert seen["deleteStatus"] == 204
    assert seen["afterDelete"] == []
    assert seen["unknownTable"] == {"status": 404, "code": "PGRST205"}
    assert seen["singleOfMany"] == {"status": 406, "code": "PGRST116"}
    assert seen["unfilteredDelete"] == {"status": 400, "code": "21000"}


def test_supabase_py_reads_and_writes_through_rest_v1(server, shoot):
    client = create_client(
        server.url,
        api_key_issue(role="anon"),
        options=ClientOptions(auto_refresh_token=False, persist_session=False),
    )
    assert client.table("samples").select("id").execute().data == []
    client.auth.sign_in_with_password({"email": shoot.owner.email, "password": TEST_PASSWORD})
    campaign = str(shoot.campaign.pk)

    page = (
        client.table("samples")
        .select("name,status", count="exact")
        .eq("campaign_id", campaign)
        .in_("status", ["arrived", "requested", "delayed"])
        .order("priority", desc=True)
        .range(0, 1)
        .execute()
    )
    assert [row["name"] for row in page.data] == ["Bag", "Coat"]
    assert page.count == 3

    inserted = client.table("samples").insert({"campaign_id": campaign, "name": "Scarf"}).execute()
    new_id = inserted.data[0]["id"]
    updated = client.table("samples").update({"status": "in_transit"}).eq("id", new_id).execute()
    assert updated.data[0]["status"] == "in_transit"
    one = client.table("samples").select("name,campaigns(name)").eq("id", new_id).single().execute()
    assert one.data == {"name": "Scarf", "campaigns": {"name": "Resort 27"}}
    listed = (
        client.table("campaigns").select("name,samples(name)").eq("samples.is_hero", True).execute()
    )
    assert listed.data == [{"name": "Resort 27", "samples": [{"name": "Dress"}]}]

    client.table("samples").delete().eq("id", new_id).execute()
    assert not Sample.objects.filter(pk=new_id).exists()
    assert client.table("samples").select("id").eq("name", "Secret").execute().data == []

    with pytest.raises(APIError) as refused:
        client.table("samples").insert(
            {"campaign_id": str(shoot.other_campaign.pk), "name": "Nope"}
        ).execute()
    assert refused.value.code == "42501"
    with pytest.raises(APIError) as unknown:
        client.table("sample").select("*").execute()
    assert unknown.value.code == "PGRST205"
