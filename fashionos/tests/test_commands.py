"""The two management commands of the foundation: `seed_demo` and `issue_api_keys`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from fashionos.accounts.models import User
from fashionos.accounts.tokens import token_decode
from logistics.management.commands.seed_demo import (
    ASSETS,
    DEMO_CAMPAIGN,
    DEMO_PASSWORD,
    PEOPLE,
    SAMPLES,
    TASKS,
)
from logistics.models import Asset, Campaign, CampaignMember, Sample, Task, TaskDependency

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]


def _run(name: str, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {
        "users": User.objects.count(),
        "campaigns": Campaign.objects.count(),
        "members": CampaignMember.objects.count(),
        "samples": Sample.objects.count(),
        "tasks": Task.objects.count(),
        "dependencies": TaskDependency.objects.count(),
        "assets": Asset.objects.count(),
    }


EXPECTED = {
    "users": len(PEOPLE),
    "campaigns": 1,
    "members": 3,
    "samples": len(SAMPLES),
    "tasks": len(TASKS),
    "dependencies": sum(len(row[4]) for row in TASKS),
    "assets": len(ASSETS),
}


# --- seed_demo -------------------------------------------------------------------------------


def test_seed_demo_creates_a_living_campaign():
    output = _run("seed_demo")

    assert _counts() == EXPECTED
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN)
    assert campaign.status == "active"
    assert campaign.members.get(role="owner").user.email == "demo@fashionos.dev"
    samples = campaign.samples.all()
    assert {s.category for s in samples} >= {"Dresses", "Outerwear", "Knitwear", "Footwear"}
    assert samples.filter(is_hero=True).count() >= 3
    assert samples.filter(status="delayed").count() >= 2
    assert samples.filter(status="delayed", is_hero=True).exists()
    assert campaign.tasks.filter(assignee__isnull=False).count() == len(TASKS)
    assert campaign.assets.filter(featured_samples__isnull=False).exists()
    assert campaign.revision > 0  # written through the services
    assert User.objects.get(email="admin@fashionos.dev").is_staff is True
    assert "Demo campaign created." in output


def test_seed_demo_prints_the_credentials():
    output = _run("seed_demo")

    for email, _name, _staff in PEOPLE:
        assert f"{email} / {DEMO_PASSWORD}" in output


def test_seed_demo_twice_changes_nothing():
    _run("seed_demo")
    campaign_id = Campaign.objects.get(name=DEMO_CAMPAIGN).pk

    output = _run("seed_demo")

    assert _counts() == EXPECTED
    assert Campaign.objects.get(name=DEMO_CAMPAIGN).pk == campaign_id
    assert "already present" in output
    assert f"demo@fashionos.dev / {DEMO_PASSWORD}" in output


def test_seed_demo_reset_recreates_the_campaign():
    _run("seed_demo")
    old = Campaign.objects.get(name=DEMO_CAMPAIGN)
    Sample.objects.filter(campaign=old).first().delete()

    _run("seed_demo", "--reset")

    assert _counts() == EXPECTED
    assert not Campaign.objects.filter(pk=old.pk).exists()
    assert Campaign.objects.get(name=DEMO_CAMPAIGN).pk != old.pk


def test_demo_user_can_sign_in():
    _run("seed_demo")

    reply = APIClient().post(
        "/auth/v1/token?grant_type=password",
        {"email": "demo@fashionos.dev", "password": DEMO_PASSWORD},
        format="json",
    )

    assert reply.status_code == 200, reply.content
    assert reply.json()["user"]["email"] == "demo@fashionos.dev"


# --- issue_api_keys --------------------------------------------------------------------------


def test_issue_api_keys_prints_both_keys():
    lines = _run("issue_api_keys").strip().splitlines()

    assert [line.split(": ", 1)[0] for line in lines] == ["anon", "service_role"]
    anon = lines[0].split(": ", 1)[1]
    service = lines[1].split(": ", 1)[1]
    assert token_decode(anon).role == "anon"
    assert token_decode(service).role == "service_role"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anon", {"role": "anon", "user": None, "session_id": None}),
        ("service_role", {"role": "service_role", "user": None, "session_id": None}),
    ],
)
def test_printed_key_authenticates_as_its_role(role, expected):
    key = _run("issue_api_keys", "--role", role).strip()

    assert "\n" not in key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/probe/caller").json() == expected


def test_service_key_passes_where_a_caller_is_required_and_anon_does_not():
    anon = _run("issue_api_keys", "--role", "anon").strip()
    service = _run("issue_api_keys", "--role", "service_role").strip()

    assert _as(anon).get("/probe/members-only").status_code == 401
    assert _as(service).get("/probe/members-only").status_code == 200


def _as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_issue_api_keys_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("issue_api_keys", "--role", "authenticated", stdout=StringIO())


def test_issue_api_keys_documents_itself():
    from fashionos.accounts.management.commands.issue_api_keys import Command

    assert "anon" in Command.help
    assert "service_role" in Command.help
