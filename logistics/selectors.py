"""Reads of campaigns, members, samples, tasks and assets, always for an acting user.

Every selector starts from the model's `visible_to(actor)`, so what a caller may not see is
never returned, and loads what the API renders in a fixed number of queries whatever the
number of rows (select_related / prefetch_related).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.fields import CharField

from fashionos.principals import Actor, is_user
from logistics.analysis.inputs import SampleInput
from logistics.loaders import campaign_with_samples_load
from logistics.models import (
    CHOSEN_MEMBERSHIPS,
    Asset,
    Campaign,
    CampaignInvitation,
    CampaignMember,
    Sample,
    Task,
    TaskDependency,
)


def campaign_list(*, actor: Actor) -> QuerySet[Campaign]:
    """Campaigns the actor may see, each annotated with `caller_role` (the actor's role in
    it, or None for admins and the service role when they are not members)."""
    if is_user(actor):
        role = Subquery(
            CampaignMember.objects.filter(campaign=OuterRef("pk"), user=actor).values("role")[:1]
        )
    else:
        role = Value(None, output_field=CharField())
    return Campaign.objects.visible_to(actor).annotate(caller_role=role)


def campaign_get_for_actor(*, actor: Actor, campaign_id: UUID | None = None) -> Campaign | None:
    """The campaign `campaign_id` if the actor may see it, else None (also for one that does
    not exist: the caller answers 404 either way). Without an id, the most recently updated
    campaign the actor chose: one a user created or joined by accepting an invitation, never
    one they were only added to (for admins and the service role, any). None when there is
    none. One query, with `caller_role` annotated."""
    campaigns = campaign_list(actor=actor)
    if campaign_id is None:
        if is_user(actor):
            chosen = CampaignMember.objects.filter(user=actor, joined__in=CHOSEN_MEMBERSHIPS)
            campaigns = campaigns.filter(pk__in=chosen.values("campaign_id"))
        return campaigns.order_by("-updated_at", "id").first()
    return campaigns.filter(pk=campaign_id).first()


def campaign_with_samples_get_for_actor(
    *, actor: Actor, campaign_id: UUID
) -> tuple[Campaign, list[SampleInput]] | None:
    """`campaign_get_for_actor(campaign_id=...)` and that campaign's samples as analyzer
    inputs, in one query; None when the actor may not see it."""
    return campaign_with_samples_load(campaign_list(actor=actor), campaign_id=campaign_id)


def invitation_list(*, actor: Actor) -> QuerySet[CampaignInvitation]:
    """Invitations the actor sees: those addressed to them and those of the campaigns they
    own (all, for admins and the service role), with the campaign's name."""
    return CampaignInvitation.objects.visible_to(actor).select_related("campaign")


def member_list(*, actor: Actor, campaign: Campaign) -> QuerySet[CampaignMember]:
    """Members of the campaign, if the actor may see it (else none), with their users."""
    return CampaignMember.objects.visible_to(actor).filter(campaign=campaign).select_related("user")


def sample_list(*, actor: Actor) -> QuerySet[Sample]:
    return Sample.objects.visible_to(actor)


def task_list(*, actor: Actor) -> QuerySet[Task]:
    """Tasks with their dependency links prefetched (one query for any number of tasks)."""
    links = TaskDependency.objects.only("id", "task_id", "depends_on_id").order_by("id")
    return Task.objects.visible_to(actor).prefetch_related(
        Prefetch("dependency_links", queryset=links)
    )


def asset_list(*, actor: Actor) -> QuerySet[Asset]:
    """Assets with the ids of their featured samples prefetched."""
    featured = Sample.objects.only("id", "campaign_id").order_by("id")
    return Asset.objects.visible_to(actor).prefetch_related(
        Prefetch("featured_samples", queryset=featured)
    )


def tasks_by_ids(*, actor: Actor, ids: Iterable[UUID]) -> dict[UUID, Task]:
    """The tasks among `ids` that the actor may see, by id."""
    return {task.pk: task for task in Task.objects.visible_to(actor).filter(pk__in=list(ids))}


def samples_by_ids(*, actor: Actor, ids: Iterable[UUID]) -> dict[UUID, Sample]:
    """The samples among `ids` that the actor may see, by id."""
    return {row.pk: row for row in Sample.objects.visible_to(actor).filter(pk__in=list(ids))}
