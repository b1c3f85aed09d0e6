"""Rows every API test shares: the `cast` (people.py) plus one of each kind of row in the
cast's campaign, a conversation and an insight per person, and a user with no campaign; and
`snapshot()`, the stored state of every table an API call can write, to prove a refused call
changed nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from analytics.models import AnalyticsEvent
from assistant.models import Conversation, Insight, UserPreferences
from assistant.tests.factories import ConversationFactory, InsightFactory
from fashionos.accounts.models import User
from fashionos.testing.factories import UserFactory
from logistics.models import (
    Asset,
    Campaign,
    CampaignInvitation,
    CampaignMember,
    CampaignRole,
    Sample,
    Task,
    TaskDependency,
)
from logistics.tests.factories import (
    AssetFactory,
    CampaignFactory,
    InvitationFactory,
    MemberFactory,
    SampleFactory,
    TaskFactory,
)
from logistics.tests.people import Cast

ROLES = ("owner", "editor", "viewer", "outsider", "anon", "service", "admin")
PEOPLE = ("owner", "editor", "viewer", "outsider", "admin")


@dataclass
class World:
    cast: Cast
    role: str
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def me(self):
        return getattr(self.cast, self.role) if self.role in PEOPLE else None

    def url(self, template: str) -> str:
        return template.format(**self.ids)

    def body(self, template):
        if isinstance(template, dict):
            return {key: self.body(value) for key, value in template.items()}
        if isinstance(template, list):
            return [self.body(value) for value in template]
        if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
            value = self.ids[template[1:-1]]
            return None if value == "null" else value
        return template


def world_create(cast: Cast, role: str) -> World:
    """Rows in the cast's campaign, and `my_*` ids of the acting person's own rows (a random id
    for anon and the service role, who own none)."""
    campaign = cast.campaign
    conversations = {who: ConversationFactory(user=getattr(cast, who)) for who in PEOPLE}
    insights = {who: InsightFactory(user=getattr(cast, who)) for who in PEOPLE}
    members = {m.user_id: m for m in CampaignMember.objects.filter(campaign=campaign)}
    ids = {
        "campaign": campaign.pk,
        "other_campaign": cast.other_campaign.pk,
        "sample": SampleFactory(campaign=campaign).pk,
        "task": TaskFactory(campaign=campaign).pk,
        "asset": AssetFactory(campaign=campaign).pk,
        "editor_member": members[cast.editor.pk].pk,
        "viewer_member": members[cast.viewer.pk].pk,
        "newcomer": UserFactory().pk,
        "owner_user": cast.owner.pk,
        "owner_conversation": conversations["owner"].pk,
        "owner_insight": insights["owner"].pk,
    }
    # An invitation to the cast's campaign for someone outside the cast, and one to another
    # person's campaign for the acting person.
    ids["invitation"] = InvitationFactory(campaign=campaign, email="invitee@example.com").pk
    host = UserFactory()
    open_call = CampaignFactory(name="Open call", created_by=host)
    MemberFactory(campaign=open_call, user=host, role=CampaignRole.OWNER)
    if role in PEOPLE:
        ids.update(
            my_conversation=conversations[role].pk,
            my_insight=insights[role].pk,
            me=getattr(cast, role).pk,
            my_invitation=InvitationFactory(campaign=open_call, email=getattr(cast, role).email).pk,
        )
    else:
        ids.update(
            my_conversation=uuid.uuid4(),
            my_insight=uuid.uuid4(),
            me="null",
            my_invitation=uuid.uuid4(),
        )
    return World(cast=cast, role=role, ids={key: str(value) for key, value in ids.items()})


# Every table the API writes (the users table too: no call may change a person).
WRITABLE = (
    Campaign,
    CampaignMember,
    CampaignInvitation,
    Sample,
    Task,
    TaskDependency,
    Asset,
    Asset.featured_samples.through,
    Conversation,
    Insight,
    UserPreferences,
    AnalyticsEvent,
    User,
)
# Written by signing in and by each authenticated request, not by the call under test.
UNTRACKED_COLUMNS = {User: {"last_login"}}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every writable table, each column's value (updated_at and revision
    included), by table, in a stable order: equal snapshots mean nothing was added, removed
    or changed."""
    state = {}
    for model in WRITABLE:
        skip = UNTRACKED_COLUMNS.get(model, set())
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        state[model._meta.db_table] = [tuple(map(str, row)) for row in rows]
    return state
