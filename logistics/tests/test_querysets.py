"""The permission querysets at their edges (issue 11, item 7: mutation testing of
`visible_to` / `editable_by`): callers that are not signed in, objects that are not users at
all, and the see-all callers, who read every table without a membership subquery."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from fashionos.principals import ServicePrincipal
from logistics.models import Asset, Campaign, CampaignMember, Sample, Task

pytestmark = pytest.mark.django_db

NOT_SIGNED_IN = [None, AnonymousUser(), SimpleNamespace(), SimpleNamespace(pk=None)]


@pytest.mark.parametrize("caller", NOT_SIGNED_IN, ids=["none", "anonymous", "bare", "no-pk"])
def test_a_caller_not_signed_in_sees_and_edits_no_campaign(cast, caller):
    assert Campaign.objects.exists()
    assert list(Campaign.objects.visible_to(caller)) == []
    assert list(Campaign.objects.editable_by(caller)) == []


@pytest.mark.parametrize("who", ["service", "admin"])
def test_see_all_callers_read_every_table_without_a_membership_subquery(cast, who):
    caller = ServicePrincipal() if who == "service" else cast.admin
    querysets = [
        Campaign.objects.visible_to(caller),
        Campaign.objects.editable_by(caller),
        CampaignMember.objects.visible_to(caller),
        CampaignMember.objects.editable_by(caller),
    ]
    for model in (Sample, Task, Asset):
        querysets += [model.objects.visible_to(caller), model.objects.editable_by(caller)]
    for queryset in querysets:
        assert not queryset.query.where, (queryset.model.__name__, str(queryset.query))
    assert set(querysets[0]) == set(Campaign.objects.all())
