"""Campaigns in the back office: the campaign page and its inlines, members, and new
campaigns, all through the services (one owner at least, revisions only move forward)."""

import pytest

from fashionos.testing.admin import admin_url as _url
from fashionos.testing.factories import UserFactory
from logistics.admin.campaigns import MSG_FIRST_OWNER
from logistics.models import Campaign, CampaignMember, CampaignRole, Sample
from logistics.services.members import MSG_LAST_OWNER
from logistics.tests.factories import (
    MemberFactory,
)

pytestmark = pytest.mark.django_db


# --- The campaign page and its inlines -----------------------------------------------------------


def _campaign_form(campaign: Campaign, members=(), samples=()) -> dict:
    data = {
        "name": campaign.name,
        "shoot_date": campaign.shoot_date.isoformat() if campaign.shoot_date else "",
        "location": campaign.location,
        "status": campaign.status,
        "created_by": str(campaign.created_by_id or ""),
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(sum(1 for m in members if m.get("id"))),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "samples-TOTAL_FORMS": str(len(samples)),
        "samples-INITIAL_FORMS": str(len(samples)),
        "samples-MIN_NUM_FORMS": "0",
        "samples-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        for name, value in member.items():
            data[f"members-{index}-{name}"] = value
    for index, sample in enumerate(samples):
        for name, value in sample.items():
            data[f"samples-{index}-{name}"] = value
    return data


def test_campaign_page_shows_members_and_samples(staff_client, rows):
    reply = staff_client.get(_url(Campaign, "change", rows["campaign"].pk))

    assert reply.status_code == 200
    assert rows["owner"].email.encode() in reply.content
    assert rows["sample"].name.encode() in reply.content


def test_member_added_on_the_campaign_page_goes_through_the_service(
    staff_client, rows, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    newcomer = UserFactory(email="newcomer@example.com")
    announced = []
    monkeypatch.setattr(
        "fashionos.realtime.changes.membership_publish",
        lambda **change: announced.append(change),
    )
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "owner",
            },
            {"id": "", "campaign": str(campaign.pk), "user": str(newcomer.pk), "role": "editor"},
        ],
    )

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 302, reply.context and reply.context.get("errors")
    assert CampaignMember.objects.get(campaign=campaign, user=newcomer).role == "editor"
    assert announced == [
        {"user_id": str(newcomer.pk), "campaign_id": str(campaign.pk), "role": "editor"}
    ]


def test_last_owner_cannot_be_demoted_on_the_campaign_page(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "viewer",
            },
        ],
    )

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 200
    assert "A campaign must keep at least one owner." in str(reply.context["errors"])
    owner_member.refresh_from_db()
    assert owner_member.role == "owner"


def test_samples_on_the_campaign_page_are_read_only_links(staff_client, rows):
    """Samples are edited on their own page (through the service); the campaign page lists
    them with a link, so no edit there can skip the revision bump."""
    campaign = rows["campaign"]
    sample = rows["sample"]

    page = staff_client.get(_url(Campaign, "change", campaign.pk))

    assert _url(Sample, "change", sample.pk).encode() in page.content
    assert b'name="samples-0-status"' not in page.content


def test_member_admin_goes_through_the_services(
    staff_client, rows, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    announced = []
    monkeypatch.setattr(
        "fashionos.realtime.changes.membership_publish",
        lambda **change: announced.append(change),
    )
    guest = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        added = staff_client.post(
            _url(CampaignMember, "add"),
            {"campaign": str(campaign.pk), "user": str(guest.pk), "role": "viewer"},
        )
    assert added.status_code == 302
    member = CampaignMember.objects.get(campaign=campaign, user=guest)

    with django_capture_on_commit_callbacks(execute=True):
        removed = staff_client.post(_url(CampaignMember, "delete", member.pk), {"post": "yes"})
    refused = staff_client.post(
        _url(CampaignMember, "change", owner_member.pk),
        {"campaign": str(campaign.pk), "user": str(owner_member.user_id), "role": "viewer"},
    )

    assert removed.status_code == 302
    assert not CampaignMember.objects.filter(pk=member.pk).exists()
    assert announced == [
        {"user_id": str(guest.pk), "campaign_id": str(campaign.pk), "role": "viewer"},
        {"user_id": str(guest.pk), "campaign_id": str(campaign.pk), "role": None},
    ]
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors
    owner_member.refresh_from_db()
    assert owner_member.role == "owner"


def test_ownership_can_be_handed_over_on_the_campaign_page(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    heir = MemberFactory(campaign=campaign, role=CampaignRole.EDITOR)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "viewer",
            },
            {
                "id": str(heir.pk),
                "campaign": str(campaign.pk),
                "user": str(heir.user_id),
                "role": "owner",
            },
        ],
    )

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 302
    assert CampaignMember.objects.get(pk=owner_member.pk).role == "viewer"
    assert CampaignMember.objects.get(pk=heir.pk).role == "owner"


def test_last_owner_cannot_be_deleted_in_the_member_admin(staff_client, rows):
    owner_member = CampaignMember.objects.get(campaign=rows["campaign"])

    reply = staff_client.post(
        _url(CampaignMember, "delete", owner_member.pk), {"post": "yes"}, follow=True
    )

    assert reply.redirect_chain == [(_url(CampaignMember, "change", owner_member.pk), 302)]
    assert [str(m) for m in reply.context["messages"]] == [
        "A campaign must keep at least one owner."
    ]
    assert CampaignMember.objects.filter(pk=owner_member.pk).exists()


def test_campaign_deleted_in_the_admin_takes_its_rows(staff_client, rows):
    campaign = rows["campaign"]

    reply = staff_client.post(_url(Campaign, "delete", campaign.pk), {"post": "yes"})

    assert reply.status_code == 302
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not Sample.objects.filter(campaign_id=campaign.pk).exists()


# --- Campaigns added in the admin have an owner --------------------------------------------------


def _new_campaign_form(members=(), **fields) -> dict:
    form = _campaign_form(Campaign(name="Cruise 28", status="planning"), members=members)
    form.update(fields)
    return form


def test_campaign_added_in_the_admin_gets_its_owner_through_the_service(
    staff_client, django_capture_on_commit_callbacks, monkeypatch
):
    lead, stylist = UserFactory(), UserFactory()
    announced = []
    monkeypatch.setattr(
        "fashionos.realtime.changes.membership_publish",
        lambda **change: announced.append(change),
    )
    members = [
        {"id": "", "campaign": "", "user": str(stylist.pk), "role": "editor"},
        {"id": "", "campaign": "", "user": str(lead.pk), "role": "owner"},
    ]

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(_url(Campaign, "add"), _new_campaign_form(members))

    assert reply.status_code == 302, reply.context and reply.context.get("errors")
    campaign = Campaign.objects.get(name="Cruise 28")
    roles = dict(CampaignMember.objects.filter(campaign=campaign).values_list("user", "role"))
    assert roles == {lead.pk: "owner", stylist.pk: "editor"}
    assert campaign.created_by.email == "staff@example.com"  # who set it up
    assert {(change["user_id"], change["role"]) for change in announced} == {
        (str(lead.pk), "owner"),
        (str(stylist.pk), "editor"),
    }


def test_campaign_added_in_the_admin_keeps_the_chosen_creator(staff_client):
    lead = UserFactory()
    members = [{"id": "", "campaign": "", "user": str(lead.pk), "role": "owner"}]

    reply = staff_client.post(
        _url(Campaign, "add"), _new_campaign_form(members, created_by=str(lead.pk))
    )

    assert reply.status_code == 302
    assert Campaign.objects.get(name="Cruise 28").created_by == lead


@pytest.mark.parametrize("roles", [(), ("editor",), ("viewer", "editor")])
def test_campaign_without_an_owner_row_is_refused_in_the_admin(staff_client, roles):
    members = [
        {"id": "", "campaign": "", "user": str(UserFactory().pk), "role": role} for role in roles
    ]

    reply = staff_client.post(_url(Campaign, "add"), _new_campaign_form(members))

    assert reply.status_code == 200
    members = reply.context["inline_admin_formsets"][0].formset
    assert members.non_form_errors() == [MSG_FIRST_OWNER]
    assert not Campaign.objects.filter(name="Cruise 28").exists()
    assert not CampaignMember.objects.exists()


def test_last_owner_cannot_be_deleted_on_the_campaign_page(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    editor = MemberFactory(campaign=campaign, role=CampaignRole.EDITOR)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "owner",
                "DELETE": "on",
            },
            {
                "id": str(editor.pk),
                "campaign": str(campaign.pk),
                "user": str(editor.user_id),
                "role": "editor",
            },
        ],
    )

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 200
    members = reply.context["inline_admin_formsets"][0].formset
    assert members.non_form_errors() == [MSG_LAST_OWNER]
    assert CampaignMember.objects.filter(pk=owner_member.pk, role="owner").exists()


def test_campaign_saved_in_the_admin_bumps_the_revision_and_never_rewinds_it(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "owner",
            }
        ],
    )
    form["location"] = "Pier 9"
    revision = Campaign.objects.get(pk=campaign.pk).revision

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 302
    stored = Campaign.objects.get(pk=campaign.pk)
    assert stored.location == "Pier 9"
    assert stored.revision == revision + 1
