"""Serializers for the assistant's REST endpoints: conversations (read, feedback), insights
(read) and preferences (read, replace, patch)."""

from __future__ import annotations

from rest_framework import serializers

from assistant.models import (
    RETENTION_DAYS_MAX,
    RETENTION_DAYS_MIN,
    Conversation,
    Insight,
    UserPreferences,
)
from fashionos.api.fields import JSONObjectField
from fashionos.kits import KIT_CHOICES
from fashionos.principals import CallerOnlyBodyMixin

MAX_FAVORITE_ACTIONS = 50
MAX_ACTION_LENGTH = 100
NOTIFICATION_PREFERENCES_MAX_BYTES = 4096

MSG_KIT_ORDER_REPEATS = "Each kit may appear only once."


class ConversationOutputSerializer(serializers.ModelSerializer):
    response = serializers.JSONField(help_text="The reply as the chat endpoint gave it.")

    class Meta:
        model = Conversation
        fields = [
            "id",
            "user",
            "session_id",
            "message",
            "response",
            "kit_context",
            "page_route",
            "intent_detected",
            "skill_used",
            "response_time_ms",
            "helpful",
            "created_at",
        ]
        read_only_fields = fields


class FeedbackSerializer(CallerOnlyBodyMixin, serializers.Serializer):
    """The owner's feedback; a body naming another user is a 403."""

    helpful = serializers.BooleanField(help_text="Was the answer helpful?")


class InsightOutputSerializer(serializers.ModelSerializer):
    data = serializers.JSONField(help_text="The cached analysis.")

    class Meta:
        model = Insight
        fields = [
            "id",
            "user",
            "insight_type",
            "context_id",
            "data",
            "calculated_at",
            "expires_at",
            "cache_hit_count",
        ]
        read_only_fields = fields


class PreferencesSerializer(CallerOnlyBodyMixin, serializers.Serializer):
    """Every field has its default, so a PUT that leaves one out resets it (a replace). The
    preferences are the caller's: a body naming another user is a 403."""

    user = serializers.UUIDField(source="user_id", read_only=True)
    default_kit = serializers.ChoiceField(choices=KIT_CHOICES, allow_null=True, default=None)
    auto_suggestions_enabled = serializers.BooleanField(default=True)
    notification_preferences = JSONObjectField(
        max_bytes=NOTIFICATION_PREFERENCES_MAX_BYTES,
        default=dict,
        help_text="A JSON object of notification settings.",
    )
    kit_order = serializers.ListField(
        child=serializers.ChoiceField(choices=KIT_CHOICES),
        max_length=len(KIT_CHOICES),
        default=list,
        help_text="Kit names in the order the user wants them, each at most once.",
    )
    favorite_actions = serializers.ListField(
        child=serializers.CharField(max_length=MAX_ACTION_LENGTH),
        max_length=MAX_FAVORITE_ACTIONS,
        default=list,
    )
    conversation_history_retention_days = serializers.IntegerField(
        min_value=RETENTION_DAYS_MIN,
        max_value=RETENTION_DAYS_MAX,
        default=UserPreferences._meta.get_field("conversation_history_retention_days").default,
    )
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_kit_order(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(MSG_KIT_ORDER_REPEATS)
        return value
