"""Invitations: an owner invites an address with a role; only the addressee's acceptance
creates the membership; inviting answers the same whether or not the address has an account."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fashionos.tables import table_get
from fashionos.testing.clients import access_token_for, client_with_token
from fashionos.testing.factories import UserFactory
from logistics.models import CampaignInvitation, CampaignMember, MemberJoined
from logistics.services.invitations import MSG_INVITATION_CLOSED
from logistics.services.members import MSG_ALREADY_MEMBER
from logistics.tests.factories import InvitationFactory
from logistics.views import MSG_NOT_ADDRESSEE

pytestmark = pytest.mark.django_db

INVITATIONS = "/api/v1/invitations"
INVITATION_KEYS = {
    "id",
    "campaign",
    "campaign_name",
    "email",
    "role",
    "status",
    "created_at",
    "expires_at",
    "responded_at",
}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a request leaves for after its commit (the invitation e-mail) at once."""

    def call(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return call


def _invite(cast, email, role="editor", who="owner"):
    return cast.client(who).post(
        INVITATIONS,
        {"campaign": str(cast.campaign.pk), "email": email, "role": role},
        format="json",
    )


def _member(cast, user):
    return CampaignMember.objects.filter(campaign=cast.campaign, user=user).first()


def test_the_whole_flow_from_invitation_to_membership(cast, committed, mailoutbox):
    mila = UserFactory(email="mila@example.com")
    mila_client = client_with_token(access_token_for(mila))

    sent = committed(_invite, cast, "Mila@Example.com", "editor")

    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "pending"
    assert sent.json()["email"] == "mila@example.com"
    assert [message.to for message in mailoutbox] == [["mila@example.com"]]
    assert cast.campaign.name in mailoutbox[0].body
    assert _member(cast, mila) is None
    assert mila_client.get(f"/api/v1/campaigns/{cast.campaign.pk}").status_code == 404
    assert mila_client.get(f"/api/v1/campaigns/{cast.campaign.pk}/members").status_code == 404

    pending = mila_client.get(INVITATIONS, {"status": "pending"}).json()["results"]
    assert [(row["campaign_name"], row["role"]) for row in pending] == [
        (cast.campaign.name, "editor")
    ]
    assert set(pending[0]) == INVITATION_KEYS

    accepted = mila_client.post(f"{INVITATIONS}/{pending[0]['id']}/accept")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    member = _member(cast, mila)
    assert (member.role, member.joined) == ("editor", MemberJoined.ACCEPTED)
    members = mila_client.get(f"/api/v1/campaigns/{cast.campaign.pk}/members").json()["results"]
    assert cast.owner.email in {row["email"] for row in members}
    again = mila_client.post(f"{INVITATIONS}/{pending[0]['id']}/accept")
    assert again.status_code == 400
    assert again.json()["error"] == MSG_INVITATION_CLOSED


def _comparable(reply) -> dict:
    body = reply.json()
    return {
        key: body[key] for key in body if key not in ("id", "email", "created_at", "expires_at")
    }


def test_inviting_an_unknown_address_answers_exactly_as_a_known_one(cast, committed, mailoutbox):
    UserFactory(email="known@example.com")

    known = committed(_invite, cast, "known@example.com")
    unknown = committed(_invite, cast, "unknown@example.com")

    assert known.status_code == unknown.status_code == 201
    assert set(known.json()) == set(unknown.json()) == INVITATION_KEYS
    assert _comparable(known) == _comparable(unknown)
    assert known["Content-Type"] == unknown["Content-Type"]
    assert sorted(message.to[0] for message in mailoutbox) == [
        "known@example.com",
        "unknown@example.com",
    ]
    assert mailoutbox[0].body.replace("known@", "") == mailoutbox[1].body.replace("unknown@", "")


def test_an_invitation_waits_for_its_address_to_sign_up(cast):
    sent = _invite(cast, "later@example.com", "viewer")
    newcomer = UserFactory(email="later@example.com")
    client = client_with_token(access_token_for(newcomer))

    listed = client.get(INVITATIONS).json()["results"]
    assert [row["id"] for row in listed] == [sent.json()["id"]]
    assert client.post(f"{INVITATIONS}/{listed[0]['id']}/accept").status_code == 200
    assert _member(cast, newcomer).role == "viewer"


def test_a_declined_invitation_creates_nothing_and_stays_declined(cast):
    invitation = InvitationFactory(campaign=cast.campaign, email=cast.outsider.email)
    client = cast.client("outsider")

    declined = client.post(f"{INVITATIONS}/{invitation.pk}/decline")

    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert _member(cast, cast.outsider) is None
    refused = client.post(f"{INVITATIONS}/{invitation.pk}/accept")
    assert refused.status_code == 400
    assert _member(cast, cast.outsider) is None


def test_an_expired_invitation_cannot_be_accepted(cast):
    invitation = InvitationFactory(
        campaign=cast.campaign,
        email=cast.outsider.email,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    client = cast.client("outsider")

    listed = client.get(INVITATIONS, {"status": "expired"}).json()["results"]
    refused = client.post(f"{INVITATIONS}/{invitation.pk}/accept")

    assert [(row["id"], row["status"]) for row in listed] == [(str(invitation.pk), "expired")]
    assert client.get(INVITATIONS, {"status": "pending"}).json()["results"] == []
    assert refused.status_code == 400
    assert refused.json()["error"] == MSG_INVITATION_CLOSED
    assert _member(cast, cast.outsider) is None


def test_only_the_addressee_answers(cast):
    invitation = InvitationFactory(campaign=cast.campaign, email=cast.outsider.email)

    by_owner = cast.client("owner").post(f"{INVITATIONS}/{invitation.pk}/accept")
    by_editor = cast.client("editor").post(f"{INVITATIONS}/{invitation.pk}/accept")

    assert by_owner.status_code == 403
    assert by_owner.json()["error"] == MSG_NOT_ADDRESSEE
    assert by_editor.status_code == 404
    assert _member(cast, cast.outsider) is None


def test_a_new_invitation_replaces_the_pending_one(cast):
    first = _invite(cast, "twice@example.com", "viewer").json()
    second = _invite(cast, "twice@example.com", "editor").json()

    assert list(CampaignInvitation.objects.values_list("id", "role")) == [
        (uuid.UUID(second["id"]), "editor")
    ]
    assert first["id"] != second["id"]


def test_inviting_a_current_member_is_refused(cast):
    before = CampaignInvitation.objects.count()

    reply = _invite(cast, cast.viewer.email.upper())

    assert reply.status_code == 400
    assert reply.json()["details"]["email"] == [MSG_ALREADY_MEMBER]
    assert CampaignInvitation.objects.count() == before


@pytest.mark.parametrize(
    "body",
    [
        {"email": "x@example.com"},
        {"campaign": "{campaign}", "email": "not-an-address"},
        {"campaign": "{campaign}", "email": "x@example.com", "role": "superuser"},
        {"campaign": "{other}", "email": "x@example.com"},
    ],
)
def test_bad_invitations_are_refused_and_write_nothing(cast, body, mailoutbox):
    ids = {"{campaign}": str(cast.campaign.pk), "{other}": str(cast.other_campaign.pk)}
    body = {key: ids.get(value, value) for key, value in body.items()}

    reply = cast.client("owner").post(INVITATIONS, body, format="json")

    assert reply.status_code == 400
    assert not CampaignInvitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("who", ["admin", "service"])
def test_staff_and_the_service_key_invite_too(cast, who):
    reply = _invite(cast, "crew@example.com", who=who)

    assert reply.status_code == 201
    invitation = CampaignInvitation.objects.get()
    assert invitation.invited_by_id == (cast.admin.pk if who == "admin" else None)


def test_an_owner_withdraws_an_invitation(cast):
    invitation = InvitationFactory(campaign=cast.campaign, email=cast.outsider.email)

    assert cast.client("owner").delete(f"{INVITATIONS}/{invitation.pk}").status_code == 204
    assert cast.client("outsider").post(f"{INVITATIONS}/{invitation.pk}/accept").status_code == 404


# --- Through the table registry (what /rest/v1 serves) --------------------------------------


def test_the_registry_serves_invitations_with_the_same_rules(cast):
    table = table_get("campaign_invitations")
    data = {"campaign_id": str(cast.campaign.pk), "email": "reg@example.com", "role": "viewer"}
    assert table.insertable(cast.owner, data)
    assert not table.insertable(cast.editor, data)
    invitation = table.create(actor=cast.owner, data=data)
    assert invitation.invited_by_id == cast.owner.pk
    addressee = UserFactory(email="reg@example.com")

    assert list(table.visible_to(addressee)) == [invitation]
    assert list(table.visible_to(cast.viewer)) == []
    assert not table.editable_by(cast.owner).filter(pk=invitation.pk).exists()
    with pytest.raises(ValidationError):
        table.update(actor=addressee, instance=invitation, data={"role": "owner"})
    table.update(actor=addressee, instance=invitation, data={"status": "accepted"})

    assert _member(cast, addressee).joined == MemberJoined.ACCEPTED
    assert table.deletable_by(cast.owner).filter(pk=invitation.pk).exists()
    assert not table.deletable_by(addressee).filter(pk=invitation.pk).exists()
