"""The logistics tables as the table registry exposes them (`fashionos/tables/`): campaigns,
campaign_members, samples, tasks and assets, registered from `LogisticsConfig.ready()`.

Writes go through the same input serializers and services as `/api/v1`, so a row written
through the registry is validated, locked, revision-bumped and announced exactly as one
written through the REST API. Permissions are the models' querysets, through
`logistics.permissions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from fashionos.principals import Actor, is_user, sees_every_row
from fashionos.tables import (
    actor_context,
    data_fields,
    group_source_register,
    serializer_validated,
    table_get,
    table_register,
)
from logistics import serializers as s
from logistics.models import (
    Asset,
    Campaign,
    CampaignInvitation,
    CampaignMember,
    InvitationStatus,
    Sample,
    Task,
)
from logistics.permissions import campaign_owned, campaign_writable
from logistics.services.assets import asset_create, asset_delete, asset_update
from logistics.services.campaigns import campaign_create, campaign_delete, campaign_update
from logistics.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_withdraw,
)
from logistics.services.members import member_add, member_remove, member_update_role
from logistics.services.samples import (
    sample_create,
    sample_create_many,
    sample_delete,
    sample_update,
)
from logistics.services.tasks import task_create, task_delete, task_update

MSG_INVITATION_FIXED = "Only the invitation's status may change, to accepted or declined."
MSG_INVITATION_ANSWER = "An invitation is answered with the status accepted or declined."


def _fields(table: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return data_fields(table_get(table), data)


def campaign_row_insertable(actor: Actor, data: Mapping[str, Any]) -> bool:
    """May the actor add a row to `data["campaign_id"]` (owners, editors, admins, service)?"""
    try:
        return campaign_writable(actor, data.get("campaign_id"))
    except (ValidationError, ValueError, TypeError):  # not a campaign id at all
        return False


# --- Campaigns and members ---------------------------------------------------------------------


def campaign_create_from(*, actor: Actor, data: Mapping[str, Any]) -> Campaign:
    form = s.CampaignInputSerializer(data=_fields("campaigns", data), context=actor_context(actor))
    return campaign_create(owner=actor, **serializer_validated(form))


def campaign_update_from(*, actor: Actor, instance: Campaign, data: Mapping[str, Any]) -> Campaign:
    form = s.CampaignInputSerializer(
        data=_fields("campaigns", data), partial=True, context=actor_context(actor)
    )
    return campaign_update(campaign=instance, data=serializer_validated(form))


def campaign_delete_from(*, actor: Actor, instance: Campaign) -> None:
    campaign_delete(campaign=instance)


def member_insertable(actor: Actor, data: Mapping[str, Any]) -> bool:
    """Owners of `data["campaign_id"]`, admins and the service role."""
    try:
        return campaign_owned(actor, data.get("campaign_id"))
    except (ValidationError, ValueError, TypeError):
        return False


def member_directly_insertable(actor: Actor, data: Mapping[str, Any]) -> bool:
    """Adding a member directly is administration (admins and the service role); people
    join by accepting an invitation."""
    return sees_every_row(actor) and member_insertable(actor, data)


class _MemberRowSerializer(s.MemberAddSerializer):
    """A membership row: the campaign (one the caller sees), the user's id and the role."""

    campaign = s.VisibleCampaignField()

    def validate(self, attrs):
        return {**super().validate(attrs), "campaign": attrs["campaign"]}


def member_create_from(*, actor: Actor, data: Mapping[str, Any]) -> CampaignMember:
    form = _MemberRowSerializer(
        data=_fields("campaign_members", data), context=actor_context(actor)
    )
    return member_add(**serializer_validated(form))


def member_update_from(
    *, actor: Actor, instance: CampaignMember, data: Mapping[str, Any]
) -> CampaignMember:
    fields = _fields("campaign_members", data)
    for fixed in ("campaign", "user"):
        if fixed in fields and str(fields.pop(fixed)) != str(getattr(instance, f"{fixed}_id")):
            raise ValidationError({f"{fixed}_id": [s.MSG_CAMPAIGN_FIXED]})
    if "role" not in fields:
        return instance
    form = s.MemberRoleSerializer(data=fields)
    return member_update_role(member=instance, role=serializer_validated(form)["role"])


def member_delete_from(*, actor: Actor, instance: CampaignMember) -> None:
    member_remove(member=instance)


# --- Invitations ---------------------------------------------------------------------------------


def invitation_insertable(actor: Actor, data: Mapping[str, Any]) -> bool:
    """Owners of `data["campaign_id"]` (and admins and the service role) invite."""
    return member_insertable(actor, data)


def invitation_create_from(*, actor: Actor, data: Mapping[str, Any]) -> CampaignInvitation:
    form = s.InvitationCreateSerializer(
        data=_fields("campaign_invitations", data), context=actor_context(actor)
    )
    values = serializer_validated(form)
    return invitation_create(invited_by=actor, **values)


def invitation_update_from(
    *, actor: Actor, instance: CampaignInvitation, data: Mapping[str, Any]
) -> CampaignInvitation:
    """The addressee answers by setting `status` to accepted or declined; nothing else of an
    invitation changes."""
    fields = _fields("campaign_invitations", data)
    answer = fields.pop("status", None)
    for name, value in fields.items():
        stored = getattr(instance, "campaign_id" if name == "campaign" else name)
        if str(value) != str(stored):
            raise ValidationError({name: [MSG_INVITATION_FIXED]})
    if answer == InvitationStatus.ACCEPTED:
        invitation_accept(invitation=instance, user=actor)
    elif answer == InvitationStatus.DECLINED:
        invitation_decline(invitation=instance)
    elif answer is not None and answer != instance.status:
        raise ValidationError({"status": [MSG_INVITATION_ANSWER]})
    instance.refresh_from_db()
    return instance


def invitation_delete_from(*, actor: Actor, instance: CampaignInvitation) -> None:
    invitation_withdraw(invitation=instance)


# --- Samples, tasks and assets -----------------------------------------------------------------


def sample_create_from(*, actor: Actor, data: Mapping[str, Any]) -> Sample:
    form = s.SampleCreateSerializer(data=_fields("samples", data), context=actor_context(actor))
    values = serializer_validated(form)
    return sample_create(campaign=values.pop("campaign"), data=values)


def sample_create_many_from(*, actor: Actor, rows: Sequence[Mapping[str, Any]]) -> list[Sample]:
    """Several samples at once, each validated as `sample_create_from` validates one (the
    campaign one the actor sees), in a bounded number of statements."""
    fields = [_fields("samples", row) for row in rows]
    wanted = {str(row.get("campaign")) for row in fields}
    try:
        visible = Campaign.objects.visible_to(actor).in_bulk(wanted)
    except (ValidationError, ValueError, TypeError):
        visible = {}
    visible = {str(pk): campaign for pk, campaign in visible.items()}
    pairs, errors = [], {}
    for row in fields:
        wanted_id = row.pop("campaign", None)
        campaign = visible.get(str(wanted_id))
        if campaign is None:
            message = s.MSG_CAMPAIGN_UNKNOWN.format(pk_value=wanted_id)
            errors.setdefault("campaign_id", []).append(message)
            continue
        form = s.SampleFieldsSerializer(data=row, context=actor_context(actor))
        pairs.append((campaign, serializer_validated(form)))
    if errors:
        raise ValidationError(errors)
    return sample_create_many(rows=pairs)


def sample_update_from(*, actor: Actor, instance: Sample, data: Mapping[str, Any]) -> Sample:
    form = s.SampleUpdateSerializer(
        instance, data=_fields("samples", data), partial=True, context=actor_context(actor)
    )
    values = serializer_validated(form)
    values.pop("campaign", None)
    return sample_update(sample=instance, data=values)


def sample_delete_from(*, actor: Actor, instance: Sample) -> None:
    sample_delete(sample=instance)


def _task_values(values: dict[str, Any]) -> dict[str, Any]:
    values.pop("campaign", None)
    if "assignee" in values:
        values["assignee_id"] = values.pop("assignee")
    return values


def task_create_from(*, actor: Actor, data: Mapping[str, Any]) -> Task:
    form = s.TaskCreateSerializer(data=_fields("tasks", data), context=actor_context(actor))
    values = serializer_validated(form)
    campaign = values["campaign"]
    return task_create(campaign=campaign, data=_task_values(values))


def task_update_from(*, actor: Actor, instance: Task, data: Mapping[str, Any]) -> Task:
    form = s.TaskUpdateSerializer(
        instance, data=_fields("tasks", data), partial=True, context=actor_context(actor)
    )
    return task_update(task=instance, data=_task_values(serializer_validated(form)))


def task_delete_from(*, actor: Actor, instance: Task) -> None:
    task_delete(task=instance)


def asset_create_from(*, actor: Actor, data: Mapping[str, Any]) -> Asset:
    form = s.AssetCreateSerializer(data=_fields("assets", data), context=actor_context(actor))
    values = serializer_validated(form)
    return asset_create(campaign=values.pop("campaign"), data=values)


def asset_update_from(*, actor: Actor, instance: Asset, data: Mapping[str, Any]) -> Asset:
    form = s.AssetUpdateSerializer(
        instance, data=_fields("assets", data), partial=True, context=actor_context(actor)
    )
    values = serializer_validated(form)
    values.pop("campaign", None)
    return asset_update(asset=instance, data=values)


def asset_delete_from(*, actor: Actor, instance: Asset) -> None:
    asset_delete(asset=instance)


def _campaign_ids_visible_to(actor: Actor):
    return Campaign.objects.visible_to(actor).values_list("pk", flat=True)


def tables_register() -> None:
    """Register the logistics tables and the realtime groups (one per campaign)."""
    table_register(
        Campaign,
        visible_to=Campaign.objects.visible_to,
        editable_by=Campaign.objects.editable_by,
        deletable_by=Campaign.objects.owned_by,
        insertable=lambda actor, data: is_user(actor),
        create=campaign_create_from,
        update=campaign_update_from,
        delete=campaign_delete_from,
        read_only=("created_by_id",),
        group_column="id",
        insertable_columns=(),
    )
    table_register(
        CampaignMember,
        visible_to=CampaignMember.objects.visible_to,
        editable_by=CampaignMember.objects.editable_by,
        insertable=member_directly_insertable,
        create=member_create_from,
        update=member_update_from,
        delete=member_delete_from,
        group_column="campaign_id",
        insertable_columns=("campaign_id",),
    )
    table_register(
        CampaignInvitation,
        visible_to=CampaignInvitation.objects.visible_to,
        editable_by=CampaignInvitation.objects.addressed_to,
        deletable_by=CampaignInvitation.objects.withdrawable_by,
        insertable=invitation_insertable,
        create=invitation_create_from,
        update=invitation_update_from,
        delete=invitation_delete_from,
        read_only=("invited_by_id", "expires_at", "responded_at"),
        group_column="campaign_id",
    )
    rows = (
        (
            Sample,
            sample_create_from,
            sample_update_from,
            sample_delete_from,
            (),
            sample_create_many_from,
        ),
        (Task, task_create_from, task_update_from, task_delete_from, (), None),
        (Asset, asset_create_from, asset_update_from, asset_delete_from, ("file",), None),
    )
    for model, create, update, delete, read_only, create_many in rows:
        table_register(
            model,
            visible_to=model.objects.visible_to,
            editable_by=model.objects.editable_by,
            insertable=campaign_row_insertable,
            create=create,
            update=update,
            delete=delete,
            read_only=read_only,
            group_column="campaign_id",
            realtime=True,
            create_many=create_many,
            insertable_columns=("campaign_id",),
        )
    group_source_register(_campaign_ids_visible_to)
