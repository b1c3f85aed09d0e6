"""The staff back office as a whole: every registered model's pages load for staff with data
present, and nobody else gets in."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from analytics.tests.factories import AnalyticsEventFactory
from assistant.models import Conversation
from assistant.tests.factories import (
    ConversationFactory,
    InsightFactory,
    IntentLabelFactory,
    PreferencesFactory,
)
from fashionos.accounts.models import AuthSession
from fashionos.testing.admin import admin_url as _url
from fashionos.testing.factories import UserFactory
from logistics.models import CampaignRole, Sample
from logistics.tests.factories import (
    AssetFactory,
    CampaignFactory,
    InvitationFactory,
    MemberFactory,
    SampleFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def rows() -> dict:
    """At least one row of every registered model, linked as in real life."""
    owner = UserFactory(email="owner@example.com")
    campaign = CampaignFactory(created_by=owner)
    MemberFactory(campaign=campaign, user=owner, role=CampaignRole.OWNER)
    InvitationFactory(campaign=campaign, email="invitee@example.com")
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
    IntentLabelFactory(conversation=ConversationFactory(user=owner, helpful=False))
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
        "logistics.CampaignInvitation",
        "logistics.Sample",
        "logistics.Task",
        "logistics.Asset",
        "assistant.Conversation",
        "assistant.Insight",
        "assistant.UserPreferences",
        "assistant.IntentLabel",
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
