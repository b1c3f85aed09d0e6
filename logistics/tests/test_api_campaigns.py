"""Campaigns and their members through the REST API."""

from __future__ import annotations

import uuid

import pytest

from fashionos.testing.factories import UserFactory
from logistics.models import Campaign, CampaignMember, MemberJoined, Sample
from logistics.services.members import MSG_ALREADY_MEMBER, MSG_LAST_OWNER
from logistics.tests.factories import SampleFactory
from logistics.views import MSG_INVITE_INSTEAD

pytestmark = pytest.mark.django_db


def members_url(campaign, member=None) -> str:
    base = f"/api/v1/campaigns/{campaign.pk}/members"
    return f"{base}/{member.pk}" if member else base


def test_create_makes_the_caller_owner(cast):
    reply = cast.client("outsider").post(
        "/api/v1/campaigns", {"name": "Winter 28", "location": "Pier 9"}, format="json"
    )
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["role"] == "owner"
    assert body["created_by"] == str(cast.outsider.pk)
    member = CampaignMember.objects.get(campaign_id=body["id"])
    assert (member.user, member.role) == (cast.outsider, "owner")


def test_role_is_the_callers_own(cast):
    for role in ("owner", "editor", "viewer"):
        reply = cast.client(role).get(f"/api/v1/campaigns/{cast.campaign.pk}")
        assert reply.json()["role"] == role
    reply = cast.client("admin").get(f"/api/v1/campaigns/{cast.campaign.pk}")
    assert reply.json()["role"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "status": "archived"}, "status"),
        ({"name": "A", "shoot_date": "tomorrow"}, "shoot_date"),
        ({"name": ["A"]}, "name"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(cast, body, field):
    before = Campaign.objects.count()
    reply = cast.client("owner").post("/api/v1/campaigns", body, format="json")
    assert reply.status_code == 400
    assert reply.json()["code"] == "VALIDATION_ERROR"
    assert field in reply.json()["details"]
    assert Campaign.objects.count() == before


def test_body_that_is_not_an_object_is_a_400(cast):
    reply = cast.client("owner").post("/api/v1/campaigns", ["name"], format="json")
    assert reply.status_code == 400


def test_filters_and_search(cast):
    client = cast.client("admin")
    Campaign.objects.filter(pk=cast.other_campaign.pk).update(status="active")
    names = [row["name"] for row in client.get("/api/v1/campaigns?status=active").json()["results"]]
    assert names == [cast.other_campaign.name]
    names = [row["name"] for row in client.get("/api/v1/campaigns?q=resort").json()["results"]]
    assert names == [cast.campaign.name]
    assert client.get("/api/v1/campaigns?status=archived").status_code == 400
    assert client.get("/api/v1/campaigns?shoot_date_after=soon").status_code == 400


def test_delete_removes_everything_in_it(cast):
    SampleFactory(campaign=cast.campaign)
    reply = cast.client("owner").delete(f"/api/v1/campaigns/{cast.campaign.pk}")
    assert reply.status_code == 204
    assert not Sample.objects.filter(campaign_id=cast.campaign.pk).exists()


def test_malformed_or_unknown_ids_in_the_path_are_404(cast):
    client = cast.client("owner")
    assert client.get("/api/v1/campaigns/not-a-uuid").status_code == 404
    assert client.get(f"/api/v1/campaigns/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/campaigns/123/members").status_code == 404
    assert client.get(f"/api/v1/campaigns/{uuid.uuid4()}/members").status_code == 404
    reply = client.get("/api/v1/campaigns/not-a-uuid")
    assert reply.json()["code"] == "NOT_FOUND"


# --- members --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "service"])
def test_staff_and_service_add_a_member_directly_by_id_or_email(cast, role):
    client = cast.client(role)
    first, second = UserFactory(), UserFactory(email="Second@Example.com")
    reply = client.post(
        members_url(cast.campaign), {"user": str(first.pk), "role": "editor"}, format="json"
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["role"] == "editor"
    assert reply.json()["email"] == first.email
    reply = client.post(members_url(cast.campaign), {"email": "SECOND@example.com"}, format="json")
    assert reply.status_code == 201, reply.content
    assert reply.json()["role"] == "viewer"
    assert reply.json()["user"] == str(second.pk)
    assert _membership(cast, second).joined == MemberJoined.ADDED


def test_owners_invite_instead_of_adding_directly(cast):
    newcomer = UserFactory()
    before = CampaignMember.objects.count()

    reply = cast.client("owner").post(
        members_url(cast.campaign), {"user": str(newcomer.pk)}, format="json"
    )

    assert reply.status_code == 403
    assert reply.json()["error"] == MSG_INVITE_INSTEAD
    assert CampaignMember.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"user": "nope"}, "user"),
        ({"user": str(uuid.uuid4())}, "user"),
        ({"email": "nobody@example.com"}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"user": "{viewer}", "email": "viewer@example.com"}, "non_field_errors"),
        ({"user": "{newcomer}", "role": "superuser"}, "role"),
    ],
)
def test_member_add_refuses_bad_input(cast, body, field):
    newcomer = UserFactory()
    body = {
        key: value.format(viewer=cast.viewer.pk, newcomer=newcomer.pk)
        if isinstance(value, str)
        else value
        for key, value in body.items()
    }
    before = CampaignMember.objects.count()
    reply = cast.client("admin").post(members_url(cast.campaign), body, format="json")
    assert reply.status_code == 400, reply.content
    assert field in reply.json()["details"]
    assert CampaignMember.objects.count() == before


def test_member_add_refuses_a_member_twice(cast):
    reply = cast.client("admin").post(
        members_url(cast.campaign), {"user": str(cast.viewer.pk)}, format="json"
    )
    assert reply.status_code == 400
    assert reply.json()["details"]["user"] == [MSG_ALREADY_MEMBER]


def _membership(cast, user):
    return CampaignMember.objects.get(campaign=cast.campaign, user=user)


def test_owner_changes_a_role(cast):
    member = _membership(cast, cast.viewer)
    reply = cast.client("owner").patch(
        members_url(cast.campaign, member), {"role": "editor"}, format="json"
    )
    assert reply.status_code == 200
    member.refresh_from_db()
    assert member.role == "editor"


def test_the_last_owner_can_be_neither_demoted_nor_removed(cast):
    client = cast.client("owner")
    owner = _membership(cast, cast.owner)
    reply = client.patch(members_url(cast.campaign, owner), {"role": "viewer"}, format="json")
    assert reply.status_code == 400
    assert reply.json()["details"]["role"] == [MSG_LAST_OWNER]
    reply = client.delete(members_url(cast.campaign, owner))
    assert reply.status_code == 400
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_a_second_owner_lets_the_first_step_down(cast):
    client = cast.client("owner")
    editor = _membership(cast, cast.editor)
    client.put(members_url(cast.campaign, editor), {"role": "owner"}, format="json")
    reply = client.delete(members_url(cast.campaign, _membership(cast, cast.owner)))
    assert reply.status_code == 204


def test_a_member_of_another_campaign_is_not_found_here(cast):
    theirs = CampaignMember.objects.get(campaign=cast.other_campaign)
    reply = cast.client("admin").get(members_url(cast.campaign, theirs))
    assert reply.status_code == 404


def test_members_filter_by_role(cast):
    reply = cast.client("viewer").get(members_url(cast.campaign) + "?role=editor")
    assert [row["email"] for row in reply.json()["results"]] == [cast.editor.email]
    assert cast.client("viewer").get(members_url(cast.campaign) + "?role=boss").status_code == 400
