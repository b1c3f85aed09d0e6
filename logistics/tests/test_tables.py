"""The logistics tables through the table registry: the same permissions as `/api/v1`, and
writes through the same validation and services (revision bump, realtime announcement, the
one-owner rule)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from fashionos.principals import ServicePrincipal
from fashionos.tables import ColumnNotWritable, table_get
from logistics.models import Campaign, CampaignMember, CampaignRole, Sample
from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db


def _revision(campaign) -> int:
    return Campaign.objects.get(pk=campaign.pk).revision


def test_each_role_reads_and_changes_what_the_api_lets_it(cast):
    samples = table_get("samples")
    sample = SampleFactory(campaign=cast.campaign)
    SampleFactory(campaign=cast.other_campaign)
    assert list(samples.visible_to(cast.viewer)) == [sample]
    assert list(samples.visible_to(cast.outsider).filter(pk=sample.pk)) == []
    assert samples.editable_by(cast.editor).filter(pk=sample.pk).exists()
    assert not samples.editable_by(cast.viewer).filter(pk=sample.pk).exists()
    data = {"campaign_id": str(cast.campaign.pk), "name": "Coat"}
    assert samples.insertable(cast.editor, data)
    assert samples.insertable(ServicePrincipal(), data)
    assert not samples.insertable(cast.viewer, data)
    assert not samples.insertable(cast.outsider, data)
    assert not samples.insertable(cast.editor, {"campaign_id": "not-a-uuid"})
    campaigns = table_get("campaigns")
    assert campaigns.editable_by(cast.editor).filter(pk=cast.campaign.pk).exists()
    assert not campaigns.deletable_by(cast.editor).filter(pk=cast.campaign.pk).exists()
    assert campaigns.deletable_by(cast.owner).filter(pk=cast.campaign.pk).exists()


def test_a_sample_written_through_the_registry_is_validated_bumped_and_announced(cast):
    samples = table_get("samples")
    before = _revision(cast.campaign)
    with mock.patch("logistics.services.rows.change_announce") as announce:
        sample = samples.create(
            actor=cast.editor,
            data={"campaign_id": str(cast.campaign.pk), "name": "Silk coat", "is_hero": True},
        )
        assert sample.is_hero and sample.campaign_id == cast.campaign.pk
        sample = samples.update(actor=cast.editor, instance=sample, data={"status": "arrived"})
        assert sample.arrived_at is not None  # the service's rule, not the caller's
        samples.delete(actor=cast.editor, instance=sample)
    assert [call.kwargs["type"] for call in announce.call_args_list] == [
        "INSERT",
        "UPDATE",
        "DELETE",
    ]
    assert _revision(cast.campaign) == before + 3
    assert not Sample.objects.exists()


def test_bad_values_are_refused_per_column_and_write_nothing(cast):
    samples = table_get("samples")
    with pytest.raises(ValidationError) as refused:
        samples.create(
            actor=cast.editor,
            data={"campaign_id": str(cast.campaign.pk), "name": "Coat", "priority": 9},
        )
    assert "priority" in refused.value.message_dict
    with pytest.raises(ColumnNotWritable):
        samples.create(actor=cast.editor, data={"campaign_id": str(cast.campaign.pk), "id": "x"})
    with pytest.raises(ValidationError) as unknown:
        samples.create(actor=cast.editor, data={"campaign": str(cast.campaign.pk)})
    assert "campaign" in unknown.value.message_dict
    sample = SampleFactory(campaign=cast.campaign)
    with pytest.raises(ValidationError):  # a row cannot move to another campaign
        samples.update(
            actor=cast.admin, instance=sample, data={"campaign_id": str(cast.other_campaign.pk)}
        )
    assert Sample.objects.count() == 1


def test_the_last_owner_rule_holds_through_the_registry(cast):
    members = table_get("campaign_members")
    owner = CampaignMember.objects.get(campaign=cast.campaign, user=cast.owner)
    with pytest.raises(ValidationError):
        members.update(actor=cast.owner, instance=owner, data={"role": "viewer"})
    with pytest.raises(ValidationError):
        members.delete(actor=cast.owner, instance=owner)
    added = members.create(
        actor=cast.admin,
        data={"campaign_id": str(cast.campaign.pk), "user_id": str(cast.outsider.pk)},
    )
    assert added.role == CampaignRole.VIEWER
    # Owners invite; adding directly is administration.
    assert members.insertable(cast.admin, {"campaign_id": str(cast.campaign.pk)})
    assert not members.insertable(cast.owner, {"campaign_id": str(cast.campaign.pk)})
    assert not members.insertable(cast.editor, {"campaign_id": str(cast.campaign.pk)})


def test_tasks_and_assets_and_campaigns_write_through_their_services(cast):
    task = table_get("tasks").create(
        actor=cast.owner,
        data={
            "campaign_id": str(cast.campaign.pk),
            "title": "Steam",
            "assignee_id": str(cast.editor.pk),
        },
    )
    assert task.assignee_id == cast.editor.pk
    with pytest.raises(ValidationError):  # the assignee must be a member
        table_get("tasks").update(
            actor=cast.owner, instance=task, data={"assignee_id": str(cast.outsider.pk)}
        )
    asset = table_get("assets").create(
        actor=cast.owner, data={"campaign_id": str(cast.campaign.pk), "title": "Look 1"}
    )
    assert asset.kind == "image"
    with pytest.raises(ColumnNotWritable):
        table_get("assets").update(actor=cast.owner, instance=asset, data={"file": "x.jpg"})
    campaign = table_get("campaigns").create(actor=cast.editor, data={"name": "Pre-fall"})
    assert CampaignMember.objects.get(campaign=campaign).user == cast.editor
    with pytest.raises(ColumnNotWritable):
        table_get("campaigns").update(
            actor=cast.editor, instance=campaign, data={"created_by_id": str(cast.owner.pk)}
        )
