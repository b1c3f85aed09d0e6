"""`seed_demo`: the demo team and campaign a new user starts with."""

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from fashionos.accounts.models import User
from logistics.management.commands.seed_demo import (
    ASSETS,
    DEMO_CAMPAIGN,
    DEMO_PASSWORD,
    PEOPLE,
    SAMPLES,
    TASKS,
)
from logistics.models import (
    Asset,
    Campaign,
    CampaignMember,
    MemberJoined,
    Sample,
    Task,
    TaskDependency,
)

pytestmark = pytest.mark.django_db


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


def test_the_demo_team_joined_by_accepting_so_their_chat_finds_the_campaign():
    call_command("seed_demo")

    joined = set(CampaignMember.objects.values_list("joined", flat=True))

    assert joined == {MemberJoined.CREATED, MemberJoined.ACCEPTED}
