"""/api/v1/assistant/preferences/me: defaults on first read, replace, patch, validation."""

from __future__ import annotations

import pytest

from assistant.models import UserPreferences
from assistant.serializers import MSG_KIT_ORDER_REPEATS
from fashionos.principals import CODE_OTHER_USER_NAMED, MSG_OTHER_USER_NAMED

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/preferences/me"


def test_first_read_creates_the_defaults(cast):
    assert not UserPreferences.objects.exists()
    body = cast.client("viewer").get(URL).json()
    assert body["user"] == str(cast.viewer.pk)
    assert body["default_kit"] is None
    assert body["auto_suggestions_enabled"] is True
    assert body["notification_preferences"] == {}
    assert body["kit_order"] == []
    assert body["conversation_history_retention_days"] == 90
    assert UserPreferences.objects.filter(user=cast.viewer).count() == 1


def test_put_replaces_and_patch_changes(cast):
    client = cast.client("owner")
    full = {
        "default_kit": "media",
        "auto_suggestions_enabled": False,
        "notification_preferences": {"email": {"digest": "daily"}},
        "kit_order": ["media", "logistics"],
        "favorite_actions": ["readiness_check"],
        "conversation_history_retention_days": 30,
    }
    replaced = client.put(URL, full, format="json").json()
    assert {key: replaced[key] for key in full} == full
    assert replaced == client.get(URL).json()
    stored = UserPreferences.objects.get(user=cast.owner)
    assert stored.kit_order == ["media", "logistics"]
    patched = client.patch(URL, {"default_kit": "events"}, format="json").json()
    assert patched["default_kit"] == "events"
    assert patched["kit_order"] == ["media", "logistics"]
    replaced = client.put(URL, {"default_kit": "general"}, format="json").json()
    assert replaced["kit_order"] == []
    assert replaced["conversation_history_retention_days"] == 90
    assert replaced["auto_suggestions_enabled"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"default_kit": "shopping"}, "default_kit"),
        ({"kit_order": ["media", "media"]}, "kit_order"),
        ({"kit_order": ["tv"]}, "kit_order"),
        ({"kit_order": "media"}, "kit_order"),
        ({"conversation_history_retention_days": 0}, "conversation_history_retention_days"),
        ({"conversation_history_retention_days": 3651}, "conversation_history_retention_days"),
        ({"conversation_history_retention_days": "forever"}, "conversation_history_retention_days"),
        ({"notification_preferences": ["email"]}, "notification_preferences"),
        ({"notification_preferences": "email"}, "notification_preferences"),
        ({"notification_preferences": {"x": "y" * 5000}}, "notification_preferences"),
        ({"favorite_actions": ["x" * 101]}, "favorite_actions"),
        ({"favorite_actions": ["a"] * 51}, "favorite_actions"),
        ({"favorite_actions": [{"a": 1}]}, "favorite_actions"),
        ({"auto_suggestions_enabled": "sometimes"}, "auto_suggestions_enabled"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(cast, body, field):
    client = cast.client("owner")
    client.patch(URL, {"default_kit": "media"}, format="json")
    for method in (client.put, client.patch):
        reply = method(URL, body, format="json")
        assert reply.status_code == 400, reply.content
        assert field in reply.json()["details"]
    assert UserPreferences.objects.get(user=cast.owner).default_kit == "media"


def test_kit_order_repeats_have_their_message(cast):
    reply = cast.client("owner").patch(URL, {"kit_order": ["media", "media"]}, format="json")
    assert reply.json()["details"]["kit_order"] == [MSG_KIT_ORDER_REPEATS]


def test_the_service_key_has_no_preferences(cast):
    reply = cast.client("service").get(URL)
    assert reply.status_code == 403
    assert reply.json()["code"] == "USER_REQUIRED"
    assert cast.client("anon").get(URL).status_code == 401


@pytest.mark.parametrize("key", ["user", "user_id", "created_by"])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_body_naming_another_user_is_refused(cast, method, key):
    client = cast.client("editor")
    client.patch(URL, {"default_kit": "events"}, format="json")

    reply = getattr(client, method)(
        URL, {key: str(cast.owner.pk), "default_kit": "media"}, format="json"
    )

    assert reply.status_code == 403, reply.content
    assert reply.json() == {"error": MSG_OTHER_USER_NAMED, "code": CODE_OTHER_USER_NAMED}
    assert UserPreferences.objects.get(user=cast.editor).default_kit == "events"
    assert not UserPreferences.objects.filter(user=cast.owner).exists()


@pytest.mark.parametrize("named", ["not-a-uuid", 7])
def test_a_malformed_user_in_the_body_is_refused_too(cast, named):
    reply = cast.client("editor").patch(URL, {"user": named}, format="json")
    assert reply.status_code == 403


def test_a_body_naming_the_caller_or_no_one_is_accepted(cast):
    client = cast.client("editor")
    mine = client.put(URL, {"user": str(cast.editor.pk), "default_kit": "media"}, format="json")
    nobody = client.patch(URL, {"user": None, "kit_order": ["media"]}, format="json")
    assert mine.status_code == 200
    assert nobody.status_code == 200
    assert nobody.json()["user"] == str(cast.editor.pk)
    assert nobody.json()["default_kit"] == "media"
