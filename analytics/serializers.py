"""Serializers for analytics events: the body of one event, the list rows, the summary."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from rest_framework import serializers

from analytics.models import AnalyticsEvent
from fashionos.api.fields import JSONObjectField, StrictUUIDField
from fashionos.kits import KIT_CHOICES

EVENT_DATA_MAX_BYTES = 16 * 1024
SUMMARY_MAX_DAYS = 366
SUMMARY_DEFAULT_DAYS = 30

# Days the summary accepts: room on both sides for the default range and the end of day.
DAY_MIN = date(1970, 1, 1)
DAY_MAX = date(9999, 12, 30)

MSG_DAY_OUT_OF_RANGE = f"Days must be between {DAY_MIN} and {DAY_MAX}."
MSG_RANGE_ORDER = "since must not be after until."
MSG_RANGE_TOO_LONG = f"The range may cover at most {SUMMARY_MAX_DAYS} days."


class EventInputSerializer(serializers.Serializer):
    event_type = serializers.CharField(max_length=100)
    event_data = JSONObjectField(max_bytes=EVENT_DATA_MAX_BYTES, required=False, default=dict)
    page_route = serializers.CharField(
        max_length=500, required=False, allow_null=True, allow_blank=True
    )
    kit_context = serializers.ChoiceField(choices=KIT_CHOICES, required=False, allow_null=True)
    session_id = StrictUUIDField(required=False, allow_null=True)
    user_id = StrictUUIDField(
        required=False,
        allow_null=True,
        help_text=(
            "Whose event: leave out (the caller's own, or none for anonymous callers). "
            "Users may only name themselves; the service role may name anyone."
        ),
    )


class EventOutputSerializer(serializers.ModelSerializer):
    event_data = serializers.JSONField()

    class Meta:
        model = AnalyticsEvent
        fields = [
            "id",
            "user",
            "event_type",
            "event_data",
            "page_route",
            "kit_context",
            "session_id",
            "created_at",
        ]
        read_only_fields = fields


class IngestResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.UUIDField())


class SummaryQuerySerializer(serializers.Serializer):
    since = serializers.DateField(required=False, help_text="First day (default: 29 days ago).")
    until = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")

    def _in_range(self, value: date) -> date:
        if not DAY_MIN <= value <= DAY_MAX:
            raise serializers.ValidationError(MSG_DAY_OUT_OF_RANGE)
        return value

    validate_since = _in_range
    validate_until = _in_range

    def validate(self, attrs):
        until = attrs.get("until") or timezone.localdate()
        since = attrs.get("since") or until - timedelta(days=SUMMARY_DEFAULT_DAYS - 1)
        if since > until:
            raise serializers.ValidationError({"since": [MSG_RANGE_ORDER]})
        if (until - since).days + 1 > SUMMARY_MAX_DAYS:
            raise serializers.ValidationError({"until": [MSG_RANGE_TOO_LONG]})
        return {"since": since, "until": until}


class _TypeCount(serializers.Serializer):
    event_type = serializers.CharField()
    count = serializers.IntegerField()


class _KitCount(serializers.Serializer):
    kit_context = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()


class _DayCount(serializers.Serializer):
    day = serializers.DateField()
    count = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    total = serializers.IntegerField()
    by_event_type = _TypeCount(many=True)
    by_kit_context = _KitCount(many=True)
    by_day = _DayCount(many=True)
