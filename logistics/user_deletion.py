"""What deleting a user means for campaigns, connected to the accounts' deletion signals
(`fashionos.accounts.signals`) from `LogisticsConfig.ready()`:

- the only owner of a campaign is not deleted (a campaign must keep an owner, so staff first
  hand ownership over or delete the campaign);
- otherwise each membership is removed through `member_remove` (the user's open sockets stop
  hearing the campaign at once) and each task assigned to them is unassigned through
  `task_update` (an UPDATE is announced and the campaign's revision bumped, so cached
  schedules are not reused).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from fashionos.accounts.models import User
from fashionos.accounts.signals import user_delete_checked, user_deleting
from logistics.models import Campaign, CampaignMember, CampaignRole, Task
from logistics.services.members import member_remove
from logistics.services.tasks import task_update

MSG_SOLE_OWNER = (
    "{user} is the only owner of {campaigns}. Make another member an owner, or delete the "
    "campaign, before deleting this user."
)


def _sole_owned(user: User) -> list[str]:
    """Names of the campaigns in which `user` is the only owner, sorted."""
    owned = CampaignMember.objects.filter(user=user, role=CampaignRole.OWNER).values("campaign_id")
    others = CampaignMember.objects.filter(role=CampaignRole.OWNER).exclude(user=user)
    return sorted(
        Campaign.objects.filter(pk__in=owned)
        .exclude(pk__in=others.values("campaign_id"))
        .values_list("name", flat=True)
    )


def user_sole_owner_refuse(*, user: User) -> None:
    """Refuse (ValidationError, code `sole_owner`, naming the campaigns) deleting a user who
    is the only owner of a campaign."""
    names = _sole_owned(user)
    if names:
        campaigns = ", ".join(f'"{name}"' for name in names)
        raise ValidationError(
            MSG_SOLE_OWNER.format(user=user, campaigns=campaigns), code="sole_owner"
        )


def user_campaigns_release(*, user: User) -> None:
    """Inside the deletion's transaction: lock the campaigns the user is part of (first, in
    one order, as every logistics write locks them), then the user's row (so no membership
    or assignment of theirs can be added until the deletion commits), refuse the only owner
    of a campaign, then remove their memberships and unassign their tasks."""
    referenced = (
        set(CampaignMember.objects.filter(user=user).values_list("campaign_id", flat=True))
        | set(Task.objects.filter(assignee=user).values_list("campaign_id", flat=True))
        | set(Campaign.objects.filter(created_by=user).values_list("pk", flat=True))
    )
    list(Campaign.objects.select_for_update().filter(pk__in=referenced).order_by("pk"))
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    user_sole_owner_refuse(user=user)
    for member in CampaignMember.objects.filter(user=user).order_by("campaign_id"):
        member_remove(member=member)
    for task in Task.objects.filter(assignee=user).order_by("campaign_id", "pk"):
        task_update(task=task, data={"assignee_id": None})


def _on_delete_checked(sender, *, user: User, **kwargs) -> None:
    user_sole_owner_refuse(user=user)


def _on_deleting(sender, *, user: User, **kwargs) -> None:
    user_campaigns_release(user=user)


def receivers_connect() -> None:
    """Connect to the accounts' deletion signals (once; the uid makes it idempotent)."""
    user_delete_checked.connect(_on_delete_checked, dispatch_uid="logistics.user_delete_checked")
    user_deleting.connect(_on_deleting, dispatch_uid="logistics.user_deleting")
