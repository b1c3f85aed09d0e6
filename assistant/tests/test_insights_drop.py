"""Dropping a cached analysis: decided by `Insight.objects.editable_by` after the row was found
through `visible_to`, so an entry the caller cannot see is a 404 and one they see but may not
drop a 403 with the service-only message."""

from __future__ import annotations

import pytest

from assistant.models import Insight
from assistant.tests.factories import InsightFactory
from fashionos.api.permissions import MSG_SERVICE_ONLY

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/insights/{pk}"


def test_a_user_sees_their_entry_but_may_not_drop_it(cast):
    insight = InsightFactory(user=cast.owner)

    reply = cast.client("owner").delete(URL.format(pk=insight.pk))

    assert reply.status_code == 403
    assert reply.json()["error"] == MSG_SERVICE_ONLY
    assert Insight.objects.filter(pk=insight.pk).exists()


@pytest.mark.parametrize("role", ["editor", "outsider", "admin"])
def test_someone_elses_entry_is_not_found(cast, role):
    insight = InsightFactory(user=cast.owner)

    reply = cast.client(role).delete(URL.format(pk=insight.pk))

    assert reply.status_code == 404
    assert Insight.objects.filter(pk=insight.pk).exists()


def test_the_service_role_drops_any_entry(cast):
    insight = InsightFactory(user=cast.owner)

    assert cast.client("service").delete(URL.format(pk=insight.pk)).status_code == 204
    assert not Insight.objects.filter(pk=insight.pk).exists()
