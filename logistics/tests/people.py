"""The cast of every permission test: a campaign with its owner, an editor and a viewer, an
outsider who belongs to another campaign, a staff admin, and the anon and service keys."""

from dataclasses import dataclass

from rest_framework.test import APIClient

from fashionos.accounts.models import User
from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.clients import access_token_for, client_with_token
from fashionos.testing.factories import UserFactory
from logistics.models import Campaign, CampaignRole
from logistics.tests.factories import CampaignFactory, MemberFactory


@dataclass
class Cast:
    campaign: Campaign
    other_campaign: Campaign
    owner: User
    editor: User
    viewer: User
    outsider: User
    admin: User

    def client(self, role: str) -> APIClient:
        """An API client for one of: owner, editor, viewer, outsider, admin, anon, service."""
        if role == "anon":
            return client_with_token(api_key_issue(role="anon"))
        if role == "service":
            return client_with_token(api_key_issue(role="service_role"))
        return client_with_token(access_token_for(getattr(self, role)))


def cast_create() -> Cast:
    owner = UserFactory(email="owner@example.com")
    editor = UserFactory(email="editor@example.com")
    viewer = UserFactory(email="viewer@example.com")
    outsider = UserFactory(email="outsider@example.com")
    admin = UserFactory(email="admin@example.com", is_staff=True)
    campaign = CampaignFactory(name="Resort 27", created_by=owner)
    MemberFactory(campaign=campaign, user=owner, role=CampaignRole.OWNER)
    MemberFactory(campaign=campaign, user=editor, role=CampaignRole.EDITOR)
    MemberFactory(campaign=campaign, user=viewer, role=CampaignRole.VIEWER)
    other_campaign = CampaignFactory(name="Outsider's campaign", created_by=outsider)
    MemberFactory(campaign=other_campaign, user=outsider, role=CampaignRole.OWNER)
    return Cast(campaign, other_campaign, owner, editor, viewer, outsider, admin)
