"""`campaign_with_samples_get_for_actor` reads in one statement exactly what
`campaign_get_for_actor` and `samples_load` read in two: the same campaign (every column and
`caller_role`), the same samples in the same order, and nothing for a campaign the caller
may not see."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fashionos.principals import ServicePrincipal
from logistics.loaders import samples_load
from logistics.models import Campaign
from logistics.selectors import campaign_get_for_actor, campaign_with_samples_get_for_actor
from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db


def _columns(campaign: Campaign) -> dict:
    names = [field.attname for field in Campaign._meta.concrete_fields]
    return {name: getattr(campaign, name) for name in names} | {"caller_role": campaign.caller_role}


def _fill(campaign: Campaign) -> None:
    start = timezone.now()
    for index, status in enumerate(("requested", "on_set", "delayed", "shot")):
        SampleFactory(
            campaign=campaign,
            name=f"Look {index}",
            status=status,
            is_hero=index % 2 == 0,
            category="" if index == 1 else "Dresses",
            eta=start + timedelta(days=index) if index != 2 else None,
            created_at=start - timedelta(minutes=index % 2),
        )


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "admin", "service"])
def test_one_query_reads_the_campaign_and_samples_the_two_queries_read(cast, role):
    cast.campaign.shoot_date = date(2027, 3, 1)
    cast.campaign.location = "Nice"
    cast.campaign.save()
    _fill(cast.campaign)
    actor = ServicePrincipal() if role == "service" else getattr(cast, role)

    with CaptureQueriesContext(connection) as queries:
        campaign, samples = campaign_with_samples_get_for_actor(
            actor=actor, campaign_id=cast.campaign.pk
        )

    assert len(queries) == 1
    expected = campaign_get_for_actor(actor=actor, campaign_id=cast.campaign.pk)
    assert _columns(campaign) == _columns(expected)
    assert campaign._state.db == expected._state.db
    assert not campaign._state.adding
    assert samples == samples_load(campaign_id=cast.campaign.pk)
    assert len(samples) == 4


def test_a_campaign_without_samples_is_read_with_none(cast):
    campaign, samples = campaign_with_samples_get_for_actor(
        actor=cast.owner, campaign_id=cast.campaign.pk
    )

    assert campaign.pk == cast.campaign.pk
    assert campaign.caller_role == "owner"
    assert samples == []


@pytest.mark.parametrize("campaign_id", ["other", "missing"])
def test_a_campaign_the_caller_cannot_see_is_none(cast, campaign_id):
    _fill(cast.other_campaign)
    wanted = cast.other_campaign.pk if campaign_id == "other" else uuid.uuid4()

    assert campaign_with_samples_get_for_actor(actor=cast.owner, campaign_id=wanted) is None
    assert campaign_with_samples_get_for_actor(actor=None, campaign_id=cast.campaign.pk) is None
