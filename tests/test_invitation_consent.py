"""What an invitation does not do before it is accepted, across the apps: the invitee's chat
never answers from the campaign (nor from one they were only added to by an administrator),
and their realtime sockets hear nothing of it until they accept."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fashionos.testing.clients import access_token_for, client_with_token
from fashionos.testing.factories import UserFactory
from logistics.models import Campaign, CampaignRole
from logistics.services.invitations import invitation_accept, invitation_create
from logistics.services.members import member_add
from logistics.services.samples import sample_create

pytestmark = pytest.mark.django_db

CHAT = "/api/v1/assistant/chat"


def _ask(client) -> dict:
    reply = client.post(
        CHAT, {"message": "are we ready?", "currentKit": "logistics"}, format="json"
    )
    assert reply.status_code == 200, reply.content
    return reply.json()


def _touch(campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())


def test_the_chat_answers_only_from_a_campaign_the_user_chose(cast):
    sample_create(campaign=cast.campaign, data={"name": "Silk gown", "status": "shot"})
    invitee = cast.outsider
    client = client_with_token(access_token_for(invitee))
    invitation = invitation_create(
        campaign=cast.campaign, email=invitee.email, role=CampaignRole.VIEWER, invited_by=cast.owner
    )
    _touch(cast.campaign)

    before = _ask(client)

    # Pending: their own campaign, never the one they are invited to.
    assert before.get("campaignId") == str(cast.other_campaign.pk)
    invitation_accept(invitation=invitation, user=invitee)
    _touch(cast.campaign)
    assert _ask(client)["campaignId"] == str(cast.campaign.pk)


def test_a_campaign_one_was_only_added_to_is_never_the_chat_s_fallback(cast):
    added = UserFactory()
    member_add(campaign=cast.campaign, user=added, role=CampaignRole.EDITOR)
    client = client_with_token(access_token_for(added))

    reply = _ask(client)

    assert reply.get("campaignId") is None
    # Named explicitly, the campaign answers as for any member.
    named = client.post(
        CHAT,
        {
            "message": "are we ready?",
            "currentKit": "logistics",
            "userContext": {"campaignId": str(cast.campaign.pk)},
        },
        format="json",
    )
    assert named.json()["campaignId"] == str(cast.campaign.pk)
