"""Tasks through the REST API: dependencies (same campaign, no cycles), assignees, dates."""

from __future__ import annotations

import uuid

import pytest

from logistics.models import Task, TaskDependency
from logistics.serializers import MSG_ASSIGNEE_NOT_MEMBER, MSG_DEADLINE_ORDER
from logistics.services.tasks import MSG_OTHER_CAMPAIGN_TASK
from logistics.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _create(client, cast, **fields):
    return client.post(
        "/api/v1/tasks", {"campaign": str(cast.campaign.pk), "title": "Steam", **fields},
        format="json",
    )  # fmt: skip


def test_create_with_dependencies_and_assignee(cast):
    first, second = TaskFactory(campaign=cast.campaign), TaskFactory(campaign=cast.campaign)
    reply = _create(
        cast.client("editor"),
        cast,
        depends_on=[str(first.pk), str(second.pk), str(first.pk)],
        assignee=str(cast.viewer.pk),
        duration_minutes=45,
        earliest_start="2030-01-01T09:00:00Z",
        deadline="2030-01-01T12:00:00Z",
    )
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["depends_on"] == [str(first.pk), str(second.pk)]
    assert body["assignee"] == str(cast.viewer.pk)
    assert TaskDependency.objects.filter(task_id=body["id"]).count() == 2


def test_a_cycle_is_refused_and_named(cast):
    client = cast.client("owner")
    first = TaskFactory(campaign=cast.campaign, title="Press")
    second = _create(client, cast, title="Shoot", depends_on=[str(first.pk)]).json()
    reply = client.patch(f"/api/v1/tasks/{first.pk}", {"depends_on": [second["id"]]}, format="json")
    assert reply.status_code == 400
    message = reply.json()["details"]["depends_on"][0]
    assert "cycle" in message and "Press" in message and "Shoot" in message
    assert not TaskDependency.objects.filter(task=first).exists()


def test_a_task_cannot_depend_on_itself(cast):
    task = TaskFactory(campaign=cast.campaign)
    reply = cast.client("owner").patch(
        f"/api/v1/tasks/{task.pk}", {"depends_on": [str(task.pk)]}, format="json"
    )
    assert reply.status_code == 400
    assert "depends_on" in reply.json()["details"]


def test_a_dependency_in_another_campaign_is_refused(cast):
    theirs = TaskFactory(campaign=cast.other_campaign)
    # The admin sees both campaigns: the service refuses the cross-campaign link.
    reply = _create(cast.client("admin"), cast, depends_on=[str(theirs.pk)])
    assert reply.status_code == 400
    assert reply.json()["details"]["depends_on"] == [MSG_OTHER_CAMPAIGN_TASK]
    # The owner cannot even see it: it does not exist for them.
    reply = _create(cast.client("owner"), cast, depends_on=[str(theirs.pk)])
    assert reply.status_code == 400
    assert str(theirs.pk) in reply.json()["details"]["depends_on"][0]
    assert not Task.objects.filter(campaign=cast.campaign).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"depends_on": ["not-a-uuid"]}, "depends_on"),
        ({"depends_on": "not-a-list"}, "depends_on"),
        ({"depends_on": [str(uuid.uuid4())]}, "depends_on"),
        ({"depends_on": [str(uuid.uuid4()) for _ in range(201)]}, "depends_on"),
        ({"status": "someday"}, "status"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 10**12}, "duration_minutes"),
        ({"duration_minutes": "an hour"}, "duration_minutes"),
        ({"assignee": "bob"}, "assignee"),
        ({"title": ""}, "title"),
        (
            {"earliest_start": "2030-01-02T00:00:00Z", "deadline": "2030-01-01T00:00:00Z"},
            "deadline",
        ),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(cast, fields, field):
    reply = _create(cast.client("owner"), cast, **fields)
    assert reply.status_code == 400, reply.content
    assert field in reply.json()["details"]
    assert not Task.objects.exists()


def test_the_deadline_is_checked_against_the_stored_start(cast):
    task = TaskFactory(campaign=cast.campaign, earliest_start="2030-01-02T00:00:00Z")
    reply = cast.client("owner").patch(
        f"/api/v1/tasks/{task.pk}", {"deadline": "2030-01-01T00:00:00Z"}, format="json"
    )
    assert reply.status_code == 400
    assert reply.json()["details"]["deadline"] == [MSG_DEADLINE_ORDER]


def test_the_assignee_must_be_a_member(cast):
    reply = _create(cast.client("owner"), cast, assignee=str(cast.outsider.pk))
    assert reply.status_code == 400
    assert reply.json()["details"]["assignee"] == [MSG_ASSIGNEE_NOT_MEMBER]


def test_patch_without_depends_on_keeps_the_dependencies(cast):
    first = TaskFactory(campaign=cast.campaign)
    second = TaskFactory(campaign=cast.campaign)
    TaskDependency.objects.create(task=second, depends_on=first)
    reply = cast.client("owner").patch(
        f"/api/v1/tasks/{second.pk}", {"status": "in_progress"}, format="json"
    )
    assert reply.json()["depends_on"] == [str(first.pk)]
    cleared = cast.client("owner").patch(
        f"/api/v1/tasks/{second.pk}", {"depends_on": []}, format="json"
    )
    assert cleared.json()["depends_on"] == []


def test_filters(cast):
    TaskFactory(campaign=cast.campaign, title="Late", deadline="2030-01-01T00:00:00Z")
    TaskFactory(campaign=cast.campaign, title="Mine", assignee=cast.editor, status="blocked")
    client = cast.client("editor")

    def titles(query: str) -> list[str]:
        reply = client.get(f"/api/v1/tasks?{query}")
        assert reply.status_code == 200, reply.content
        return [row["title"] for row in reply.json()["results"]]

    assert titles(f"assignee={cast.editor.pk}") == ["Mine"]
    assert titles("status=blocked") == ["Mine"]
    assert titles("deadline_before=2030-06-01T00:00:00Z") == ["Late"]
    assert client.get("/api/v1/tasks?assignee=me").status_code == 400
    assert client.get("/api/v1/tasks?status=someday").status_code == 400
