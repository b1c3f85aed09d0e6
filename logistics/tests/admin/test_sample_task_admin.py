"""Samples and tasks in the back office: edits go through the services, and the services'
refusals are form errors."""

import pytest

from fashionos.testing.admin import admin_url as _url
from logistics.models import Campaign, Sample, Task
from logistics.services.tasks import task_create
from logistics.tests.factories import (
    CampaignFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


# --- Edits go through the services --------------------------------------------------------------


def _sample_form(sample: Sample, **changes) -> dict:
    data = {
        "name": sample.name,
        "sku": sample.sku,
        "designer": sample.designer,
        "category": sample.category,
        "status": sample.status,
        "priority": sample.priority,
        "courier": sample.courier,
        "tracking_number": sample.tracking_number,
        "eta_0": "",
        "eta_1": "",
        "arrived_at_0": "",
        "arrived_at_1": "",
        "notes": sample.notes,
    }
    if sample.is_hero:
        data["is_hero"] = "on"
    data.update(changes)
    return data


def test_staff_saves_a_sample_through_the_service(staff_client, rows):
    sample = rows["sample"]
    campaign = sample.campaign
    revision = campaign.revision

    reply = staff_client.post(
        _url(Sample, "change", sample.pk), _sample_form(sample, status="on_set", priority="1")
    )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    sample.refresh_from_db()
    assert sample.status == "on_set"
    assert sample.priority == 1
    assert sample.arrived_at is not None  # set by sample_update
    campaign.refresh_from_db()
    assert campaign.revision == revision + 1


def test_staff_adds_a_sample_through_the_service(staff_client, rows):
    campaign = rows["campaign"]
    revision = campaign.revision
    form = _sample_form(Sample(name="Raffia Tote", priority=2), campaign=str(campaign.pk))

    reply = staff_client.post(_url(Sample, "add"), form)

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    created = Sample.objects.get(name="Raffia Tote")
    assert created.campaign == campaign
    assert reply["Location"] == _url(Sample, "changelist")
    campaign.refresh_from_db()
    assert campaign.revision == revision + 1


def test_sample_admin_refuses_a_priority_outside_1_to_5(staff_client, rows):
    sample = rows["sample"]

    reply = staff_client.post(_url(Sample, "change", sample.pk), _sample_form(sample, priority="9"))

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors
    sample.refresh_from_db()
    assert sample.priority == 3


def test_sample_campaign_is_read_only_once_created(staff_client, rows):
    """A sample does not silently stay put when staff pick another campaign: the field is not
    offered for change at all."""
    sample = rows["sample"]
    elsewhere = CampaignFactory()

    page = staff_client.get(_url(Sample, "change", sample.pk))
    reply = staff_client.post(
        _url(Sample, "change", sample.pk), _sample_form(sample, campaign=str(elsewhere.pk))
    )

    assert "campaign" not in page.context["adminform"].form.fields
    assert reply.status_code == 302
    sample.refresh_from_db()
    assert sample.campaign_id == rows["campaign"].pk


def test_staff_deletes_a_sample_through_the_service(staff_client, rows):
    sample = rows["sample"]
    campaign = sample.campaign
    revision = campaign.revision

    reply = staff_client.post(_url(Sample, "delete", sample.pk), {"post": "yes"})

    assert reply.status_code == 302
    assert not Sample.objects.filter(pk=sample.pk).exists()
    campaign.refresh_from_db()
    assert campaign.revision == revision + 1


def _task_form(task: Task, dependencies=(), **changes) -> dict:
    data = {
        "title": task.title,
        "status": task.status,
        "assignee": str(task.assignee_id or ""),
        "duration_minutes": task.duration_minutes,
        "earliest_start_0": "",
        "earliest_start_1": "",
        "deadline_0": "",
        "deadline_1": "",
        "dependencies": [str(other.pk) for other in dependencies],
    }
    data.update(changes)
    return data


def test_staff_saves_a_task_and_its_dependencies_through_the_service(staff_client, rows):
    campaign = rows["campaign"]
    task = TaskFactory(campaign=campaign)
    first = TaskFactory(campaign=campaign, title="Load-in")
    revision = Campaign.objects.get(pk=campaign.pk).revision

    reply = staff_client.post(
        _url(Task, "change", task.pk), _task_form(task, [first], status="in_progress")
    )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.status == "in_progress"
    assert list(task.depends_on.all()) == [first]
    campaign.refresh_from_db()
    assert campaign.revision == revision + 1


def test_task_admin_refuses_a_dependency_cycle_with_a_form_error(staff_client):
    campaign = CampaignFactory()
    shoot = task_create(campaign=campaign, data={"title": "Shoot"})
    select = task_create(campaign=campaign, data={"title": "Select"}, depends_on=[shoot])
    retouch = task_create(campaign=campaign, data={"title": "Retouch"}, depends_on=[select])

    reply = staff_client.post(_url(Task, "change", shoot.pk), _task_form(shoot, [retouch]))

    assert reply.status_code == 200
    errors = reply.context["adminform"].form.non_field_errors()
    rotations = [
        "Shoot → Retouch → Select → Shoot",
        "Retouch → Select → Shoot → Retouch",
        "Select → Shoot → Retouch → Select",
    ]
    assert len(errors) == 1
    assert errors[0] in [f"These dependencies would form a cycle: {cycle}." for cycle in rotations]
    assert list(shoot.depends_on.all()) == []


def test_task_admin_refuses_a_deadline_before_the_start(staff_client, rows):
    task = rows["task"]

    reply = staff_client.post(
        _url(Task, "change", task.pk),
        _task_form(
            task,
            earliest_start_0="2030-01-02",
            earliest_start_1="10:00:00",
            deadline_0="2030-01-02",
            deadline_1="09:00:00",
        ),
    )

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors


def test_task_admin_refuses_a_dependency_on_another_campaign(staff_client, rows):
    foreign = TaskFactory()

    reply = staff_client.post(
        _url(Task, "add"),
        {
            **_task_form(Task(title="New", duration_minutes=30), [foreign]),
            "campaign": str(rows["campaign"].pk),
        },
    )

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors
    assert not Task.objects.filter(title="New").exists()
