"""The staff back office: every page loads for staff with data present, nobody else gets in,
the audit log stays read-only, and edits go through the services."""

import io
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assistant.models import Conversation
from fashionos.accounts import services as accounts_services
from fashionos.accounts.models import AuthSession, User
from fashionos.accounts.services import MSG_SOLE_OWNER
from fashionos.realtime import publish
from fashionos.realtime.publish import outbox
from fashionos.testing.factories import (
    AnalyticsEventFactory,
    AssetFactory,
    CampaignFactory,
    ConversationFactory,
    InsightFactory,
    MemberFactory,
    PreferencesFactory,
    SampleFactory,
    TaskFactory,
    UserFactory,
)
from fashionos.tests.realtime.test_publish import RecordingLayer
from logistics import services, uploads
from logistics.admin import MSG_FIRST_OWNER
from logistics.models import Asset, Campaign, CampaignMember, CampaignRole, Sample, Task

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(email="staff@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows() -> dict:
    """At least one row of every registered model, linked as in real life."""
    owner = UserFactory(email="owner@example.com")
    campaign = CampaignFactory(created_by=owner)
    MemberFactory(campaign=campaign, user=owner, role=CampaignRole.OWNER)
    sample = SampleFactory(campaign=campaign, status="delayed", is_hero=True)
    first = TaskFactory(campaign=campaign, assignee=owner)
    task = TaskFactory(
        campaign=campaign,
        earliest_start=timezone.now(),
        deadline=timezone.now() + timedelta(hours=3),
    )
    task.depends_on.add(first)
    asset = AssetFactory(campaign=campaign, rights_expire_at=timezone.now() + timedelta(days=9))
    asset.featured_samples.add(sample)
    ConversationFactory(user=owner)
    InsightFactory(user=owner)
    PreferencesFactory(user=owner)
    AnalyticsEventFactory(user=owner)
    AnalyticsEventFactory(user=None)
    AuthSession.objects.create(user=owner)
    Group.objects.create(name="Producers")
    return {"owner": owner, "campaign": campaign, "sample": sample, "task": task}


def test_every_model_of_the_design_is_registered():
    labels = {model._meta.label for model in REGISTERED}

    assert {
        "accounts.User",
        "accounts.AuthSession",
        "logistics.Campaign",
        "logistics.CampaignMember",
        "logistics.Sample",
        "logistics.Task",
        "logistics.Asset",
        "assistant.Conversation",
        "assistant.Insight",
        "assistant.UserPreferences",
        "analytics.AnalyticsEvent",
    } <= labels


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_loads_for_staff(staff_client, rows, model):
    reply = staff_client.get(_url(model, "changelist"))

    assert reply.status_code == 200
    assert reply.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_search_loads_for_staff(staff_client, rows, model):
    reply = staff_client.get(_url(model, "changelist"), {"q": "example"})

    assert reply.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_page_loads_for_staff(staff_client, rows, model):
    obj = model._default_manager.first()

    reply = staff_client.get(_url(model, "change", obj.pk))

    assert reply.status_code == 200
    assert str(obj).encode() in reply.content or model is Conversation


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_add_page_loads_where_adding_is_allowed(staff_client, rows, model):
    request = type("Request", (), {"user": UserFactory(is_staff=True, is_superuser=True)})()
    allowed = admin.site._registry[model].has_add_permission(request)

    reply = staff_client.get(_url(model, "add"))

    assert reply.status_code == (200 if allowed else 403)


def test_admin_index_lists_every_app(staff_client, rows):
    reply = staff_client.get(reverse("admin:index"))

    assert reply.status_code == 200
    for app in (b"Logistics", b"Assistant", b"Analytics", b"Accounts"):
        assert app in reply.content


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_non_staff_user_is_sent_to_the_login_page(rows, model):
    client = Client()
    client.force_login(UserFactory(is_staff=False))
    url = _url(model, "changelist")

    reply = client.get(url)

    assert reply.status_code == 302
    assert reply["Location"] == f"{reverse('admin:login')}?next={url}"


def test_anonymous_visitor_is_sent_to_the_login_page(rows):
    obj = rows["sample"]
    url = _url(Sample, "change", obj.pk)

    reply = Client().get(url)

    assert reply.status_code == 302
    assert reply["Location"].startswith(f"{reverse('admin:login')}?next=")


def test_staff_without_permissions_cannot_open_a_model():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=False))

    assert client.get(_url(Sample, "changelist")).status_code == 403


# --- The conversation log is read-only --------------------------------------------------------


def test_conversation_change_page_is_read_only(staff_client):
    conversation = ConversationFactory(message="Are we ready?", helpful=None)
    url = _url(Conversation, "change", conversation.pk)

    page = staff_client.get(url)
    posted = staff_client.post(url, {"message": "rewritten", "helpful": "true"})

    assert page.status_code == 200
    assert b"Are we ready?" in page.content
    assert b'name="_save"' not in page.content
    assert posted.status_code == 403
    conversation.refresh_from_db()
    assert conversation.message == "Are we ready?"
    assert conversation.helpful is None


def test_conversations_cannot_be_added_or_deleted(staff_client):
    conversation = ConversationFactory()

    assert staff_client.get(_url(Conversation, "add")).status_code == 403
    assert staff_client.post(_url(Conversation, "delete", conversation.pk)).status_code == 403
    bulk = staff_client.post(
        _url(Conversation, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(conversation.pk)], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert Conversation.objects.filter(pk=conversation.pk).exists()


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
    shoot = services.task_create(campaign=campaign, data={"title": "Shoot"})
    select = services.task_create(campaign=campaign, data={"title": "Select"}, depends_on=[shoot])
    retouch = services.task_create(
        campaign=campaign, data={"title": "Retouch"}, depends_on=[select]
    )

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


# --- The campaign page and its inlines -----------------------------------------------------------


def _campaign_form(campaign: Campaign, members=(), samples=()) -> dict:
    data = {
        "name": campaign.name,
        "shoot_date": campaign.shoot_date.isoformat() if campaign.shoot_date else "",
        "location": campaign.location,
        "status": campaign.status,
        "created_by": str(campaign.created_by_id or ""),
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(sum(1 for m in members if m.get("id"))),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "samples-TOTAL_FORMS": str(len(samples)),
        "samples-INITIAL_FORMS": str(len(samples)),
        "samples-MIN_NUM_FORMS": "0",
        "samples-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        for name, value in member.items():
            data[f"members-{index}-{name}"] = value
    for index, sample in enumerate(samples):
        for name, value in sample.items():
            data[f"samples-{index}-{name}"] = value
    return data


def test_campaign_page_shows_members_and_samples(staff_client, rows):
    reply = staff_client.get(_url(Campaign, "change", rows["campaign"].pk))

    assert reply.status_code == 200
    assert rows["owner"].email.encode() in reply.content
    assert rows["sample"].name.encode() in reply.content


def test_member_added_on_the_campaign_page_goes_through_the_service(
    staff_client, rows, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    newcomer = UserFactory(email="newcomer@example.com")
    announced = []
    monkeypatch.setattr(
        "fashionos.realtime.changes.membership_publish",
        lambda **change: announced.append(change),
    )
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "owner",
            },
            {"id": "", "campaign": str(campaign.pk), "user": str(newcomer.pk), "role": "editor"},
        ],
    )

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 302, reply.context and reply.context.get("errors")
    assert CampaignMember.objects.get(campaign=campaign, user=newcomer).role == "editor"
    assert announced == [
        {"user_id": str(newcomer.pk), "campaign_id": str(campaign.pk), "role": "editor"}
    ]


def test_last_owner_cannot_be_demoted_on_the_campaign_page(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "viewer",
            },
        ],
    )

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 200
    assert "A campaign must keep at least one owner." in str(reply.context["errors"])
    owner_member.refresh_from_db()
    assert owner_member.role == "owner"


def test_samples_on_the_campaign_page_are_read_only_links(staff_client, rows):
    """Samples are edited on their own page (through the service); the campaign page lists
    them with a link, so no edit there can skip the revision bump."""
    campaign = rows["campaign"]
    sample = rows["sample"]

    page = staff_client.get(_url(Campaign, "change", campaign.pk))

    assert _url(Sample, "change", sample.pk).encode() in page.content
    assert b'name="samples-0-status"' not in page.content


def test_member_admin_goes_through_the_services(
    staff_client, rows, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    announced = []
    monkeypatch.setattr(
        "fashionos.realtime.changes.membership_publish",
        lambda **change: announced.append(change),
    )
    guest = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        added = staff_client.post(
            _url(CampaignMember, "add"),
            {"campaign": str(campaign.pk), "user": str(guest.pk), "role": "viewer"},
        )
    assert added.status_code == 302
    member = CampaignMember.objects.get(campaign=campaign, user=guest)

    with django_capture_on_commit_callbacks(execute=True):
        removed = staff_client.post(_url(CampaignMember, "delete", member.pk), {"post": "yes"})
    refused = staff_client.post(
        _url(CampaignMember, "change", owner_member.pk),
        {"campaign": str(campaign.pk), "user": str(owner_member.user_id), "role": "viewer"},
    )

    assert removed.status_code == 302
    assert not CampaignMember.objects.filter(pk=member.pk).exists()
    assert announced == [
        {"user_id": str(guest.pk), "campaign_id": str(campaign.pk), "role": "viewer"},
        {"user_id": str(guest.pk), "campaign_id": str(campaign.pk), "role": None},
    ]
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors
    owner_member.refresh_from_db()
    assert owner_member.role == "owner"


def test_ownership_can_be_handed_over_on_the_campaign_page(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    heir = MemberFactory(campaign=campaign, role=CampaignRole.EDITOR)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "viewer",
            },
            {
                "id": str(heir.pk),
                "campaign": str(campaign.pk),
                "user": str(heir.user_id),
                "role": "owner",
            },
        ],
    )

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 302
    assert CampaignMember.objects.get(pk=owner_member.pk).role == "viewer"
    assert CampaignMember.objects.get(pk=heir.pk).role == "owner"


def test_last_owner_cannot_be_deleted_in_the_member_admin(staff_client, rows):
    owner_member = CampaignMember.objects.get(campaign=rows["campaign"])

    reply = staff_client.post(
        _url(CampaignMember, "delete", owner_member.pk), {"post": "yes"}, follow=True
    )

    assert reply.redirect_chain == [(_url(CampaignMember, "change", owner_member.pk), 302)]
    assert [str(m) for m in reply.context["messages"]] == [
        "A campaign must keep at least one owner."
    ]
    assert CampaignMember.objects.filter(pk=owner_member.pk).exists()


def test_campaign_deleted_in_the_admin_takes_its_rows(staff_client, rows):
    campaign = rows["campaign"]

    reply = staff_client.post(_url(Campaign, "delete", campaign.pk), {"post": "yes"})

    assert reply.status_code == 302
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not Sample.objects.filter(campaign_id=campaign.pk).exists()


# --- People -----------------------------------------------------------------------------------


def test_staff_adds_a_user_who_can_then_sign_in(staff_client):
    reply = staff_client.post(
        _url(UserFactory._meta.model, "add"),
        {
            "email": "new.stylist@example.com",
            "full_name": "New Stylist",
            "password1": "a-long-enough-passphrase-9",
            "password2": "a-long-enough-passphrase-9",
        },
    )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    signed_in = Client().post(
        "/auth/v1/token?grant_type=password",
        {"email": "new.stylist@example.com", "password": "a-long-enough-passphrase-9"},
        content_type="application/json",
    )
    assert signed_in.status_code == 200


def test_user_admin_refuses_an_email_that_differs_only_in_case(staff_client):
    UserFactory(email="mila@example.com")

    reply = staff_client.post(
        _url(UserFactory._meta.model, "add"),
        {
            "email": "Mila@Example.com",
            "full_name": "Impostor",
            "password1": "a-long-enough-passphrase-9",
            "password2": "a-long-enough-passphrase-9",
        },
    )

    assert reply.status_code == 200
    assert "email" in reply.context["adminform"].form.errors
    assert UserFactory._meta.model.objects.filter(email__iexact="mila@example.com").count() == 1


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


# --- Assets: the services' checks are form errors, never a failed save -----------------------


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png(name="look.png", size=(40, 50)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _asset_form(campaign=None, featured=(), **changes) -> dict:
    data = {
        "title": "Look 1",
        "kind": "image",
        "width": "",
        "height": "",
        "duration_seconds": "",
        "status": "draft",
        "target_channels": "[]",
        "featured_samples": [str(sample.pk) for sample in featured],
        "rights_expire_at_0": "",
        "rights_expire_at_1": "",
    }
    if campaign is not None:
        data["campaign"] = str(campaign.pk)
    data.update(changes)
    return data


def test_asset_admin_refuses_a_sample_of_another_campaign_with_a_form_error(staff_client, rows):
    foreign = SampleFactory()

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], [foreign]))

    assert reply.status_code == 200
    errors = reply.context["adminform"].form.errors
    assert errors["featured_samples"] == [services.MSG_OTHER_CAMPAIGN_SAMPLE]
    assert not Asset.objects.filter(title="Look 1").exists()


def test_asset_admin_refuses_a_foreign_sample_on_change_too(staff_client, rows):
    asset = AssetFactory(campaign=rows["campaign"], title="Look 2")

    reply = staff_client.post(
        _url(Asset, "change", asset.pk), _asset_form(None, [SampleFactory()], title="Look 2")
    )

    assert reply.status_code == 200
    assert "featured_samples" in reply.context["adminform"].form.errors
    assert not asset.featured_samples.exists()


def test_asset_admin_refuses_a_file_that_is_not_an_image_with_a_form_error(
    staff_client, rows, media_root
):
    text = SimpleUploadedFile("look.png", b"not an image at all", content_type="image/png")

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=text))

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors["file"] == [uploads.MSG_NOT_AN_IMAGE]
    assert not Asset.objects.filter(title="Look 1").exists()
    assert not any(media_root.rglob("*.png"))


def test_asset_admin_takes_only_the_api_image_types(staff_client, rows, media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50)).save(buffer, format="GIF")
    gif = SimpleUploadedFile("look.gif", buffer.getvalue(), content_type="image/gif")

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=gif))

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors["file"] == [uploads.MSG_NOT_AN_IMAGE]
    assert not Asset.objects.filter(title="Look 1").exists()


def test_asset_admin_bounds_the_upload_size_as_the_api_does(
    staff_client, rows, media_root, settings
):
    settings.ASSET_UPLOAD_MAX_BYTES = 100

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=_png()))

    assert reply.status_code == 200
    message = uploads.MSG_UPLOAD_TOO_LARGE.format(limit=100)
    assert reply.context["adminform"].form.errors["file"] == [message]
    assert not Asset.objects.filter(title="Look 1").exists()


def test_asset_admin_stores_an_upload_under_a_fresh_name(staff_client, rows, media_root):
    upload = _png(name="../../client chosen name.png")

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=upload))

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    stored = Asset.objects.get(title="Look 1").file.name
    assert "client" not in stored
    assert stored.endswith(".png")


def test_asset_admin_adds_an_image_through_the_service(staff_client, rows, media_root):
    campaign, sample = rows["campaign"], rows["sample"]
    revision = Campaign.objects.get(pk=campaign.pk).revision

    reply = staff_client.post(
        _url(Asset, "add"), _asset_form(campaign, [sample], file=_png(size=(40, 50)))
    )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    asset = Asset.objects.get(title="Look 1")
    assert (asset.width, asset.height) == (40, 50)  # measured by asset_create
    assert asset.image_sharpness is not None
    assert list(asset.featured_samples.all()) == [sample]
    assert Campaign.objects.get(pk=campaign.pk).revision == revision + 1


def test_saving_an_asset_without_a_new_file_keeps_its_stored_image(
    staff_client, rows, media_root, django_capture_on_commit_callbacks
):
    asset = services.asset_create(
        campaign=rows["campaign"], data={"title": "Look 3", "file": _png()}
    )
    stored = asset.file.name

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(
            _url(Asset, "change", asset.pk),
            _asset_form(None, title="Look 3", status="approved", width="40", height="50"),
        )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    asset.refresh_from_db()
    assert asset.status == "approved"
    assert asset.file.name == stored
    assert asset.file.storage.exists(stored)


# --- Campaigns added in the admin have an owner --------------------------------------------------


def _new_campaign_form(members=(), **fields) -> dict:
    form = _campaign_form(Campaign(name="Cruise 28", status="planning"), members=members)
    form.update(fields)
    return form


def test_campaign_added_in_the_admin_gets_its_owner_through_the_service(
    staff_client, django_capture_on_commit_callbacks, monkeypatch
):
    lead, stylist = UserFactory(), UserFactory()
    announced = []
    monkeypatch.setattr(
        "fashionos.realtime.changes.membership_publish",
        lambda **change: announced.append(change),
    )
    members = [
        {"id": "", "campaign": "", "user": str(stylist.pk), "role": "editor"},
        {"id": "", "campaign": "", "user": str(lead.pk), "role": "owner"},
    ]

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(_url(Campaign, "add"), _new_campaign_form(members))

    assert reply.status_code == 302, reply.context and reply.context.get("errors")
    campaign = Campaign.objects.get(name="Cruise 28")
    roles = dict(CampaignMember.objects.filter(campaign=campaign).values_list("user", "role"))
    assert roles == {lead.pk: "owner", stylist.pk: "editor"}
    assert campaign.created_by.email == "staff@example.com"  # who set it up
    assert {(change["user_id"], change["role"]) for change in announced} == {
        (str(lead.pk), "owner"),
        (str(stylist.pk), "editor"),
    }


def test_campaign_added_in_the_admin_keeps_the_chosen_creator(staff_client):
    lead = UserFactory()
    members = [{"id": "", "campaign": "", "user": str(lead.pk), "role": "owner"}]

    reply = staff_client.post(
        _url(Campaign, "add"), _new_campaign_form(members, created_by=str(lead.pk))
    )

    assert reply.status_code == 302
    assert Campaign.objects.get(name="Cruise 28").created_by == lead


@pytest.mark.parametrize("roles", [(), ("editor",), ("viewer", "editor")])
def test_campaign_without_an_owner_row_is_refused_in_the_admin(staff_client, roles):
    members = [
        {"id": "", "campaign": "", "user": str(UserFactory().pk), "role": role} for role in roles
    ]

    reply = staff_client.post(_url(Campaign, "add"), _new_campaign_form(members))

    assert reply.status_code == 200
    members = reply.context["inline_admin_formsets"][0].formset
    assert members.non_form_errors() == [MSG_FIRST_OWNER]
    assert not Campaign.objects.filter(name="Cruise 28").exists()
    assert not CampaignMember.objects.exists()


def test_last_owner_cannot_be_deleted_on_the_campaign_page(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    editor = MemberFactory(campaign=campaign, role=CampaignRole.EDITOR)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "owner",
                "DELETE": "on",
            },
            {
                "id": str(editor.pk),
                "campaign": str(campaign.pk),
                "user": str(editor.user_id),
                "role": "editor",
            },
        ],
    )

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 200
    members = reply.context["inline_admin_formsets"][0].formset
    assert members.non_form_errors() == [services.MSG_LAST_OWNER]
    assert CampaignMember.objects.filter(pk=owner_member.pk, role="owner").exists()


def test_campaign_saved_in_the_admin_bumps_the_revision_and_never_rewinds_it(staff_client, rows):
    campaign = rows["campaign"]
    owner_member = CampaignMember.objects.get(campaign=campaign)
    form = _campaign_form(
        campaign,
        members=[
            {
                "id": str(owner_member.pk),
                "campaign": str(campaign.pk),
                "user": str(owner_member.user_id),
                "role": "owner",
            }
        ],
    )
    form["location"] = "Pier 9"
    revision = Campaign.objects.get(pk=campaign.pk).revision

    reply = staff_client.post(_url(Campaign, "change", campaign.pk), form)

    assert reply.status_code == 302
    stored = Campaign.objects.get(pk=campaign.pk)
    assert stored.location == "Pier 9"
    assert stored.revision == revision + 1
