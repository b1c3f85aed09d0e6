"""Deleting users in the back office: through `user_delete`, so what the deletion changes in
campaigns is announced, and a campaign's only owner is refused with a message."""

import pytest
from django.core.exceptions import ValidationError

from fashionos.accounts import services as accounts_services
from fashionos.accounts.models import User
from fashionos.realtime import publish
from fashionos.realtime.publish import outbox
from fashionos.testing.admin import admin_url as _url
from fashionos.testing.factories import UserFactory
from logistics.models import Campaign, CampaignMember, CampaignRole, Task
from logistics.tests.factories import (
    MemberFactory,
    TaskFactory,
)
from logistics.user_deletion import MSG_SOLE_OWNER
from tests.realtime.test_publish import RecordingLayer

pytestmark = pytest.mark.django_db


# Users are deleted through accounts.services.user_delete: what their deletion changes is
# announced, and a campaign's only owner is refused with a message, never a 500.


@pytest.fixture
def published(monkeypatch) -> RecordingLayer:
    outbox.reset()
    recording = RecordingLayer()
    monkeypatch.setattr(publish, "get_channel_layer", lambda: recording)
    yield recording
    outbox.reset()


def _a_member_with_a_task(campaign):
    """A user who edits `campaign` and is assigned one of its tasks."""
    user = UserFactory(email="stylist@example.com")
    MemberFactory(campaign=campaign, user=user, role=CampaignRole.EDITOR)
    return user, TaskFactory(campaign=campaign, assignee=user)


def _announced(layer, user_id) -> tuple[list, list]:
    """The membership messages to the user's group, and the task changes to a campaign's."""
    revokes = [
        (message["campaign_id"], message["role"])
        for group, message, _ in layer.sent
        if group == f"rt.user.{user_id}"
    ]
    tasks = [
        (message["change_type"], message["old_record"]["assignee_id"])
        for group, message, _ in layer.sent
        if group.startswith("rt.campaign.") and message["table"] == "tasks"
    ]
    return revokes, tasks


def test_user_deleted_in_the_admin_is_revoked_and_unassigned_with_announcements(
    staff_client, rows, published, django_capture_on_commit_callbacks
):
    campaign = rows["campaign"]
    user, task = _a_member_with_a_task(campaign)
    revision = Campaign.objects.get(pk=campaign.pk).revision

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(_url(User, "delete", user.pk), {"post": "yes"})

    assert reply.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert Task.objects.get(pk=task.pk).assignee_id is None
    assert Campaign.objects.get(pk=campaign.pk).revision > revision
    assert _announced(published, user.pk) == (
        [(str(campaign.pk), None)],
        [("UPDATE", str(user.pk))],
    )


def test_the_only_owner_cannot_be_deleted_in_the_user_admin(staff_client, rows):
    owner = rows["owner"]
    change = _url(User, "change", owner.pk)
    refusal = MSG_SOLE_OWNER.format(user=owner, campaigns=f'"{rows["campaign"].name}"')

    for reply in (
        staff_client.get(_url(User, "delete", owner.pk), follow=True),
        staff_client.post(_url(User, "delete", owner.pk), {"post": "yes"}, follow=True),
    ):
        assert reply.redirect_chain == [(change, 302)]
        assert [str(m) for m in reply.context["messages"]] == [refusal]

    assert User.objects.filter(pk=owner.pk).exists()
    assert CampaignMember.objects.filter(user=owner, role=CampaignRole.OWNER).exists()


def test_a_refusal_from_the_service_itself_is_a_message_and_rolls_back(
    staff_client, rows, monkeypatch
):
    """Made a sole owner between the page's check and the service's (which runs under its
    locks): the service refuses, the view's transaction is rolled back, staff see why."""
    user, task = _a_member_with_a_task(rows["campaign"])
    real = accounts_services.user_delete

    def refused_midway(**kwargs):
        real(**kwargs)  # deletes, then is refused: all of it must be rolled back
        raise ValidationError("Refused under the lock.", code="sole_owner")

    monkeypatch.setattr(accounts_services, "user_delete", refused_midway)

    reply = staff_client.post(_url(User, "delete", user.pk), {"post": "yes"}, follow=True)

    assert reply.redirect_chain == [(_url(User, "change", user.pk), 302)]
    assert [str(m) for m in reply.context["messages"]] == ["Refused under the lock."]
    assert User.objects.filter(pk=user.pk).exists()
    assert Task.objects.get(pk=task.pk).assignee_id == user.pk
    assert CampaignMember.objects.filter(user=user).exists()


def test_bulk_user_deletion_goes_through_the_service_and_names_the_refused(
    staff_client, rows, published, django_capture_on_commit_callbacks
):
    owner, campaign = rows["owner"], rows["campaign"]
    user, task = _a_member_with_a_task(campaign)

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(
            _url(User, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [str(owner.pk), str(user.pk)],
                "post": "yes",
            },
            follow=True,
        )

    assert reply.status_code == 200
    assert [str(m) for m in reply.context["messages"]] == [
        MSG_SOLE_OWNER.format(user=owner, campaigns=f'"{campaign.name}"'),
        "Successfully deleted 1 user.",
    ]
    assert User.objects.filter(pk=owner.pk).exists()
    assert not User.objects.filter(pk=user.pk).exists()
    assert Task.objects.get(pk=task.pk).assignee_id is None
    assert _announced(published, user.pk) == (
        [(str(campaign.pk), None)],
        [("UPDATE", str(user.pk))],
    )


def test_bulk_deletion_reports_a_refusal_from_the_service_instead_of_failing(
    staff_client, rows, monkeypatch
):
    user, _ = _a_member_with_a_task(rows["campaign"])

    def refused(**kwargs):
        raise ValidationError("Refused under the lock.", code="sole_owner")

    monkeypatch.setattr(accounts_services, "user_delete", refused)

    reply = staff_client.post(
        _url(User, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(user.pk)], "post": "yes"},
        follow=True,
    )

    assert reply.status_code == 200
    assert "Refused under the lock." in [str(m) for m in reply.context["messages"]]
    assert User.objects.filter(pk=user.pk).exists()
