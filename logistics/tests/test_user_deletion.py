"""Deleting a user through `user_delete`: every membership removed is announced, every task
assigned to them is unassigned with an UPDATE announced and the campaign's revision bumped,
and a campaign's only owner is refused with nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fashionos.accounts import services
from fashionos.accounts.models import AuthSession, User
from fashionos.realtime import publish
from fashionos.realtime.publish import outbox
from fashionos.testing.factories import UserFactory
from logistics.models import Campaign, CampaignMember, CampaignRole, Task
from logistics.tests.factories import CampaignFactory, MemberFactory, TaskFactory
from logistics.user_deletion import MSG_SOLE_OWNER
from tests.realtime.test_publish import RecordingLayer

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer(monkeypatch) -> RecordingLayer:
    """The channel layer the committed announcements reach."""
    outbox.reset()
    recording = RecordingLayer()
    monkeypatch.setattr(publish, "get_channel_layer", lambda: recording)
    yield recording
    outbox.reset()


def _memberships(layer, user_id) -> list[tuple[str, str | None]]:
    """(campaign id, role) of the membership messages sent to the user's group."""
    return [
        (message["campaign_id"], message["role"])
        for group, message, _ in layer.sent
        if group == f"rt.user.{user_id}" and message["type"] == "rt.membership"
    ]


def _task_changes(layer) -> list[dict]:
    """The task changes sent to their campaign's group (each is also sent to the see-all
    group, left out here)."""
    return [
        message
        for group, message, _ in layer.sent
        if group.startswith("rt.campaign.") and message.get("table") == "tasks"
    ]


def test_deleting_a_member_announces_each_revoke(cast, layer, django_capture_on_commit_callbacks):
    MemberFactory(campaign=cast.other_campaign, user=cast.editor, role=CampaignRole.VIEWER)
    editor_id = cast.editor.pk  # the deleted instance's pk is None afterwards

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(user=cast.editor)

    assert not User.objects.filter(pk=editor_id).exists()
    assert not CampaignMember.objects.filter(user_id=editor_id).exists()
    assert sorted(_memberships(layer, editor_id)) == sorted(
        [(str(cast.campaign.pk), None), (str(cast.other_campaign.pk), None)]
    )


def test_their_tasks_are_unassigned_announced_and_the_revisions_bumped(
    cast, layer, django_capture_on_commit_callbacks
):
    ours = TaskFactory(campaign=cast.campaign, assignee=cast.viewer)
    # Assigned in a campaign they do not belong to: unassigned all the same.
    theirs = TaskFactory(campaign=cast.other_campaign, assignee=cast.viewer)
    untouched = TaskFactory(campaign=cast.campaign, assignee=cast.editor)
    viewer_id = cast.viewer.pk
    revisions = dict(Campaign.objects.values_list("pk", "revision"))

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(user=cast.viewer)

    assert Task.objects.get(pk=ours.pk).assignee_id is None
    assert Task.objects.get(pk=theirs.pk).assignee_id is None
    assert Task.objects.get(pk=untouched.pk).assignee_id == cast.editor.pk
    for campaign in (cast.campaign, cast.other_campaign):
        assert Campaign.objects.get(pk=campaign.pk).revision > revisions[campaign.pk]
    changes = {change["record"]["id"]: change for change in _task_changes(layer)}
    assert set(changes) == {str(ours.pk), str(theirs.pk)}
    for change in changes.values():
        assert change["change_type"] == "UPDATE"
        assert change["old_record"]["assignee_id"] == str(viewer_id)
        assert change["record"]["assignee_id"] is None


def test_the_revokes_are_announced_before_the_unassignments(
    cast, layer, django_capture_on_commit_callbacks
):
    """The deleted user's open sockets have left the campaign before its tasks change."""
    TaskFactory(campaign=cast.campaign, assignee=cast.viewer)

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(user=cast.viewer)

    kinds = [message["type"] for group, message, _ in layer.sent if group != "rt.all"]
    assert kinds == ["rt.membership", "rt.change"]


def test_the_only_owner_of_campaigns_is_refused_naming_them_and_nothing_changes(
    cast, layer, django_capture_on_commit_callbacks
):
    solo = CampaignFactory(name="Solo lookbook")
    MemberFactory(campaign=solo, user=cast.owner, role=CampaignRole.OWNER)
    task = TaskFactory(campaign=cast.campaign, assignee=cast.owner)
    AuthSession.objects.create(user=cast.owner)
    memberships = CampaignMember.objects.filter(user=cast.owner).count()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.user_delete(user=cast.owner)

    assert refused.value.code == "sole_owner"
    assert refused.value.messages == [
        MSG_SOLE_OWNER.format(user=cast.owner, campaigns='"Resort 27", "Solo lookbook"')
    ]
    assert User.objects.filter(pk=cast.owner.pk).exists()
    assert CampaignMember.objects.filter(user=cast.owner).count() == memberships
    assert Task.objects.get(pk=task.pk).assignee_id == cast.owner.pk
    assert AuthSession.objects.filter(user=cast.owner).exists()
    assert layer.sent == []


def test_an_owner_who_shares_ownership_may_be_deleted(cast):
    owner_id = cast.owner.pk
    CampaignMember.objects.filter(campaign=cast.campaign, user=cast.editor).update(
        role=CampaignRole.OWNER
    )

    services.user_delete(user=cast.owner)

    assert not User.objects.filter(pk=owner_id).exists()
    owners = CampaignMember.objects.filter(campaign=cast.campaign, role=CampaignRole.OWNER)
    assert list(owners.values_list("user_id", flat=True)) == [cast.editor.pk]
    # The campaign they created stays, with no creator.
    assert Campaign.objects.get(pk=cast.campaign.pk).created_by_id is None


def test_a_user_with_no_campaign_is_simply_deleted():
    user = UserFactory()
    user_id = user.pk

    services.user_delete(user=user)

    assert not User.objects.filter(pk=user_id).exists()
