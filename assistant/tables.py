"""The assistant's tables as the table registry exposes them (`fashionos/tables/`):
assistant_conversations, assistant_insights and user_preferences, registered from
`AssistantConfig.ready()`.

- Conversations are an immutable audit log written by the chat: readable by their owner
  (every one by the service role); no insert, update or delete through the registry (the
  owner's one-time feedback has its own endpoint).
- Insights are the analysis cache, written by the server itself: readable by their owner;
  the service role may delete an entry (the next request computes it afresh).
- Preferences: a user reads and changes their own row (the service role every row).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant import services
from assistant.models import Conversation, Insight, UserPreferences
from assistant.serializers import PreferencesSerializer
from fashionos.principals import Actor
from fashionos.tables import (
    actor_context,
    data_fields,
    serializer_validated,
    table_get,
    table_register,
)


def insight_delete_from(*, actor: Actor, instance: Insight) -> None:
    services.insight_delete(insight=instance)


def preferences_update_from(
    *, actor: Actor, instance: UserPreferences, data: Mapping[str, Any]
) -> UserPreferences:
    """Patch the row's owner's preferences with the same validation as
    `/api/v1/assistant/preferences/me`."""
    fields = data_fields(table_get("user_preferences"), data)
    form = PreferencesSerializer(data=fields, partial=True, context=actor_context(actor))
    return services.preferences_update(user=instance.user, data=serializer_validated(form))


def tables_register() -> None:
    """Register the assistant's tables."""
    table_register(
        Conversation,
        visible_to=Conversation.objects.visible_to,
        read_only=("user_id", "created_at"),
    )
    table_register(
        Insight,
        visible_to=Insight.objects.visible_to,
        editable_by=Insight.objects.editable_by,
        delete=insight_delete_from,
        read_only=("user_id",),
    )
    table_register(
        UserPreferences,
        visible_to=UserPreferences.objects.visible_to,
        editable_by=UserPreferences.objects.editable_by,
        update=preferences_update_from,
    )
