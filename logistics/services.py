"""Writes to campaigns, their members, samples, tasks and assets.

Each service is one transaction. Writes to a campaign's samples, tasks or assets bump the
campaign's `revision` (so cached analyses of the old data become unreachable) and announce the
change to realtime subscribers once the transaction commits. Updates and deletes work on the
row as committed, re-read under a lock (never on the instance the caller loaded earlier), so
the announced `old_record` is the real prior state and a concurrent write is never undone.
Locks are taken in one order, the campaign's row first and then the row written, so two writes
never wait on each other crosswise. Permission checks belong to the caller (views and the table
registry use the `visible_to` / `editable_by` querysets); services enforce the rules that hold
whoever calls: one owner at least, dependencies inside the campaign and without cycles,
featured samples from the same campaign.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fashionos.realtime.changes import change_announce, membership_announce
from fashionos.tables import row_record
from logistics.dependencies import dependency_cycle
from logistics.models import (
    Asset,
    Campaign,
    CampaignMember,
    CampaignRole,
    Sample,
    Task,
    TaskDependency,
)
from logistics.uploads import asset_image_read

MSG_LAST_OWNER = "A campaign must keep at least one owner."
MSG_ALREADY_MEMBER = "This user is already a member of the campaign."
MSG_OTHER_CAMPAIGN_TASK = "A task may only depend on tasks of its own campaign."
MSG_SELF_DEPENDENCY = "A task cannot depend on itself."
MSG_OTHER_CAMPAIGN_SAMPLE = "An asset may only feature samples of its own campaign."
MSG_CYCLE = "These dependencies would form a cycle: {cycle}."


def _campaign_touch(campaign_id) -> None:
    Campaign.objects.filter(pk=campaign_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )


def _row_changed(table: str, change: str, instance, old: dict[str, Any] | None = None) -> None:
    """After a write to a campaign's row: bump the campaign's revision (the insight cache key)
    and announce the change to realtime subscribers once the transaction commits."""
    _campaign_touch(instance.campaign_id)
    change_announce(
        table=table,
        type=change,
        campaign_id=instance.campaign_id,
        record=row_record(instance) if change != "DELETE" else None,
        old_record=old,
    )


def _apply(instance, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


# --- Campaigns and members -------------------------------------------------------------------


def _campaign_lock(campaign_id) -> Campaign:
    """Lock the campaign's row until the transaction ends. The rules that span several rows
    (one owner at least, no dependency cycle) are checked under this lock, so two concurrent
    writes to one campaign are checked one after the other, each seeing the other's result.
    (A FOR UPDATE on the counted rows would not do: Django drops it from aggregates, and it
    could not lock the row another writer is about to change anyway.)"""
    return Campaign.objects.select_for_update().get(pk=campaign_id)


def _row_locked(instance):
    """The row `instance` was loaded from, re-read as committed now and locked until the
    transaction ends, after its campaign's lock. Writes start from it: `instance` may be
    stale (a view loads it before the transaction starts), and building on it would announce
    a wrong `old_record` and write back fields another writer changed in between. Raises the
    model's DoesNotExist when the row was deleted since (saving it would insert it again)."""
    _campaign_lock(instance.campaign_id)
    return type(instance).objects.select_for_update().get(pk=instance.pk)


@transaction.atomic
def campaign_create(*, owner, name: str, created_by=None, **fields: Any) -> Campaign:
    """Create a campaign with `owner` (a user) as its first owner. `created_by` defaults to
    the owner (the back office names the staff user who set the campaign up)."""
    campaign = Campaign.objects.create(name=name, created_by=created_by or owner, **fields)
    CampaignMember.objects.create(campaign=campaign, user=owner, role=CampaignRole.OWNER)
    membership_announce(user_id=owner.pk, campaign_id=campaign.pk, role=CampaignRole.OWNER)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    """Set the given fields and bump the revision. Only the given fields are written: a full
    save would write back the `revision` this instance was read with, undoing a bump made in
    between by a sample write and making old cache entries reachable again."""
    _apply(campaign, data)
    campaign.save(update_fields=[*data, "updated_at"])
    _campaign_touch(campaign.pk)
    campaign.refresh_from_db(fields=["revision", "updated_at"])
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    """Delete the campaign and everything in it, announcing each row's removal."""
    campaign_id = campaign.pk
    # The campaign before its rows, as every write does: the cascade below locks the rows.
    _campaign_lock(campaign_id)
    for model, table in ((Sample, "samples"), (Task, "tasks"), (Asset, "assets")):
        for row in model.objects.filter(campaign_id=campaign_id).iterator():
            change_announce(
                table=table, type="DELETE", campaign_id=campaign_id, old_record=row_record(row)
            )
    member_ids = list(campaign.members.values_list("user_id", flat=True))
    campaign.delete()
    for user_id in member_ids:
        membership_announce(user_id=user_id, campaign_id=campaign_id, role=None)


@transaction.atomic
def member_add(*, campaign: Campaign, user, role: str) -> CampaignMember:
    """Add `user` to the campaign; refuses a user who is already a member."""
    _campaign_lock(campaign.pk)
    if CampaignMember.objects.filter(campaign=campaign, user=user).exists():
        raise ValidationError({"user": [MSG_ALREADY_MEMBER]})
    member = CampaignMember.objects.create(campaign=campaign, user=user, role=role)
    membership_announce(user_id=user.pk, campaign_id=campaign.pk, role=role)
    return member


def campaign_keeps_owner(*, campaign_id, roles_after: Mapping[Any, str | None]) -> bool:
    """The one-owner rule: will the campaign have an owner once its members have the roles in
    `roles_after` (member pk, or any key for a new row → role; None = removed)? A
    `campaign_id` of None is a campaign being set up, with no members yet. The services check
    it under the campaign's lock; the back office asks it to show a form error first."""
    roles = {}
    if campaign_id is not None:
        roles = dict(
            CampaignMember.objects.filter(campaign_id=campaign_id).values_list("pk", "role")
        )
    roles.update(roles_after)
    return CampaignRole.OWNER in roles.values()


def member_change_keeps_owner(*, member: CampaignMember, role_after: str | None) -> bool:
    """Does giving `member` the role `role_after` (None = removing it), from its role as
    stored, leave its campaign an owner (`campaign_keeps_owner`)?"""
    stored = CampaignMember.objects.filter(pk=member.pk).values_list("role", flat=True).first()
    if stored != CampaignRole.OWNER or role_after == CampaignRole.OWNER:
        return True
    return campaign_keeps_owner(campaign_id=member.campaign_id, roles_after={member.pk: role_after})


def _member_locked(member: CampaignMember) -> None:
    """Lock the member's campaign, then re-read the member's role: a concurrent write may
    have changed it since `member` was loaded."""
    _campaign_lock(member.campaign_id)
    member.refresh_from_db(fields=["role"])


@transaction.atomic
def member_update_role(*, member: CampaignMember, role: str) -> CampaignMember:
    """Change a member's role; refuses to demote the last owner (ValidationError), even when
    two owners demote each other at the same time."""
    _member_locked(member)
    demoting_owner = member.role == CampaignRole.OWNER and role != CampaignRole.OWNER
    kept = {member.pk: role}
    if demoting_owner and not campaign_keeps_owner(
        campaign_id=member.campaign_id, roles_after=kept
    ):
        raise ValidationError({"role": [MSG_LAST_OWNER]})
    member.role = role
    member.save(update_fields=["role"])
    membership_announce(user_id=member.user_id, campaign_id=member.campaign_id, role=role)
    return member


@transaction.atomic
def member_remove(*, member: CampaignMember) -> None:
    """Remove a member; refuses to remove the last owner (ValidationError), even when two
    owners remove each other at the same time."""
    _member_locked(member)
    removed = {member.pk: None}
    if member.role == CampaignRole.OWNER and not campaign_keeps_owner(
        campaign_id=member.campaign_id, roles_after=removed
    ):
        raise ValidationError({"role": [MSG_LAST_OWNER]})
    member.delete()
    membership_announce(user_id=member.user_id, campaign_id=member.campaign_id, role=None)


# --- Samples ---------------------------------------------------------------------------------


@transaction.atomic
def sample_create(*, campaign: Campaign, data: Mapping[str, Any]) -> Sample:
    sample = Sample(campaign=campaign)
    _apply(sample, data)
    if sample.status in ("arrived", "on_set") and sample.arrived_at is None:
        sample.arrived_at = timezone.now()
    sample.save()
    _row_changed("samples", "INSERT", sample)
    return sample


@transaction.atomic
def sample_update(*, sample: Sample, data: Mapping[str, Any]) -> Sample:
    """Set the given fields on the sample as committed now (see `_row_locked`) and return it;
    the first arrival stamps `arrived_at`. Raises Sample.DoesNotExist for a deleted sample."""
    sample = _row_locked(sample)
    old = row_record(sample)
    _apply(sample, data)
    if (
        sample.status in ("arrived", "on_set", "shot")
        and sample.arrived_at is None
        and old["status"] not in ("arrived", "on_set", "shot")
    ):
        sample.arrived_at = timezone.now()
    sample.save()
    _row_changed("samples", "UPDATE", sample, old)
    return sample


@transaction.atomic
def sample_delete(*, sample: Sample) -> None:
    """Delete the sample, announcing its row as committed last; raises Sample.DoesNotExist
    when it is already gone (its removal was announced then)."""
    sample = _row_locked(sample)
    old = row_record(sample)
    sample.delete()
    _row_changed("samples", "DELETE", sample, old)


# --- Tasks -----------------------------------------------------------------------------------


def task_dependencies_validate(*, task: Task, depends_on: Iterable[Task]) -> list[Task]:
    """Refuse dependencies on tasks of another campaign, on the task itself, or that would
    close a cycle (the cycle is named by task titles). Returns the dependencies as a list."""
    depends_on = list(depends_on)
    for other in depends_on:
        if other.campaign_id != task.campaign_id:
            raise ValidationError({"depends_on": [MSG_OTHER_CAMPAIGN_TASK]})
        if task.pk is not None and other.pk == task.pk:
            raise ValidationError({"depends_on": [MSG_SELF_DEPENDENCY]})
    if task.pk is not None:
        edges = list(
            TaskDependency.objects.filter(task__campaign_id=task.campaign_id)
            .exclude(task_id=task.pk)
            .values_list("task_id", "depends_on_id")
        )
        edges.extend((task.pk, other.pk) for other in depends_on)
        cycle = dependency_cycle(edges)
        if cycle:
            titles = dict(Task.objects.filter(pk__in=cycle).values_list("pk", "title"))
            named = " → ".join(f"{titles.get(pk, pk)}" for pk in cycle)
            raise ValidationError(
                {"depends_on": [MSG_CYCLE.format(cycle=named)]},
                code="cycle",
            )
    return depends_on


def _dependencies_set(task: Task, depends_on: list[Task]) -> None:
    TaskDependency.objects.filter(task=task).delete()
    TaskDependency.objects.bulk_create(
        [TaskDependency(task=task, depends_on=other) for other in depends_on]
    )


@transaction.atomic
def task_create(
    *, campaign: Campaign, data: Mapping[str, Any], depends_on: Iterable[Task] = ()
) -> Task:
    task = Task(campaign=campaign)
    _apply(task, data)
    depends_on = list(depends_on)
    if depends_on:
        _campaign_lock(campaign.pk)
    depends_on = task_dependencies_validate(task=task, depends_on=depends_on)
    task.save()
    _dependencies_set(task, depends_on)
    _row_changed("tasks", "INSERT", task)
    return task


@transaction.atomic
def task_update(
    *, task: Task, data: Mapping[str, Any], depends_on: Iterable[Task] | None = None
) -> Task:
    """Update the task as committed now (see `_row_locked`) and return it; `depends_on=None`
    leaves its dependencies as they are. A new dependency set that would close a cycle is
    refused, naming the cycle; the check runs under the campaign's lock, so two concurrent
    updates cannot each add half of a cycle. Raises Task.DoesNotExist for a deleted task."""
    task = _row_locked(task)
    old = row_record(task)
    _apply(task, data)
    if depends_on is not None:
        depends_on = task_dependencies_validate(task=task, depends_on=depends_on)
    task.save()
    if depends_on is not None:
        _dependencies_set(task, depends_on)
    _row_changed("tasks", "UPDATE", task, old)
    return task


@transaction.atomic
def task_delete(*, task: Task) -> None:
    """Delete the task, announcing its row as committed last; raises Task.DoesNotExist when
    it is already gone."""
    task = _row_locked(task)
    old = row_record(task)
    task.delete()
    _row_changed("tasks", "DELETE", task, old)


# --- Assets ----------------------------------------------------------------------------------


def _image_measure(asset: Asset, measured=None) -> None:
    """Store an uploaded image's size, sharpness and exposure on the asset (`measured`, as
    `asset_image_read` returns it, when already read), so analyses never open the file
    again. A file Pillow cannot read is refused."""
    width, height, metrics = measured or asset_image_read(upload=asset.file)
    asset.kind = "image"
    asset.width, asset.height = width, height
    asset.image_sharpness = metrics.sharpness if metrics is not None else None
    asset.image_exposure = metrics.exposure if metrics is not None else None


def asset_featured_validate(*, campaign_id, samples: Iterable[Sample]) -> list[Sample]:
    """The samples as a list; raises ValidationError on `featured_samples` when one belongs
    to another campaign than `campaign_id`."""
    samples = list(samples)
    if any(sample.campaign_id != campaign_id for sample in samples):
        raise ValidationError({"featured_samples": [MSG_OTHER_CAMPAIGN_SAMPLE]})
    return samples


@transaction.atomic
def asset_create(
    *, campaign: Campaign, data: Mapping[str, Any], featured_samples: Iterable[Sample] = ()
) -> Asset:
    asset = Asset(campaign=campaign)
    _apply(asset, data)
    if data.get("file"):
        _image_measure(asset)
    featured = asset_featured_validate(campaign_id=asset.campaign_id, samples=featured_samples)
    asset.save()
    asset.featured_samples.set(featured)
    _row_changed("assets", "INSERT", asset)
    return asset


@transaction.atomic
def asset_update(
    *, asset: Asset, data: Mapping[str, Any], featured_samples: Iterable[Sample] | None = None
) -> Asset:
    """Update the asset as committed now (see `_row_locked`) and return it; a new file is
    measured and the one it replaces is deleted once the transaction commits. Refuses an
    unreadable image and featured samples of another campaign (ValidationError); raises
    Asset.DoesNotExist for a deleted asset."""
    # Measured before the locks are taken: reading the pixels is the slow part.
    measured = asset_image_read(upload=data["file"]) if data.get("file") else None
    asset = _row_locked(asset)
    old = row_record(asset)
    replaced = asset.file.name if asset.file and "file" in data else None
    _apply(asset, data)
    if measured:
        _image_measure(asset, measured)
    if replaced:
        storage = asset.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    if featured_samples is not None:
        featured_samples = asset_featured_validate(
            campaign_id=asset.campaign_id, samples=featured_samples
        )
    asset.save()
    if featured_samples is not None:
        asset.featured_samples.set(featured_samples)
    _row_changed("assets", "UPDATE", asset, old)
    return asset


@transaction.atomic
def asset_delete(*, asset: Asset) -> None:
    """Delete the asset (its file once the transaction commits), announcing its row as
    committed last; raises Asset.DoesNotExist when it is already gone."""
    asset = _row_locked(asset)
    old = row_record(asset)
    if asset.file:
        name = asset.file.name
        storage = asset.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    asset.delete()
    _row_changed("assets", "DELETE", asset, old)
