"""The assistant's tables through the table registry: own rows only, the conversation log
immutable, preferences validated as `/api/v1/assistant/preferences/me` validates them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from assistant.models import Insight, UserPreferences
from assistant.tests.factories import ConversationFactory, InsightFactory
from fashionos.principals import ServicePrincipal
from fashionos.tables import table_get
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_conversations_are_read_by_their_owner_and_never_written():
    mine = ConversationFactory()
    ConversationFactory()
    table = table_get("assistant_conversations")
    assert list(table.visible_to(mine.user)) == [mine]
    assert table.visible_to(ServicePrincipal()).count() == 2
    assert None in (table.create, table.update, table.delete)


def test_only_the_service_role_drops_an_insight():
    insight = InsightFactory()
    table = table_get("assistant_insights")
    assert not table.deletable_by(insight.user).exists()
    assert table.deletable_by(ServicePrincipal()).filter(pk=insight.pk).exists()
    table.delete(actor=ServicePrincipal(), instance=insight)
    assert not Insight.objects.exists()


def test_preferences_are_patched_with_the_api_validation():
    user = UserFactory()
    preferences = UserPreferences.objects.create(user=user)
    table = table_get("user_preferences")
    saved = table.update(actor=user, instance=preferences, data={"default_kit": "media"})
    assert saved.default_kit == "media"
    with pytest.raises(ValidationError) as refused:
        table.update(actor=user, instance=preferences, data={"kit_order": ["media", "media"]})
    assert "kit_order" in refused.value.message_dict
    assert UserPreferences.objects.get(user=user).kit_order == []
