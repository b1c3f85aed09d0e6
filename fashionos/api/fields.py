"""Serializer fields shared by several endpoints."""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.JSONField):
    """A JSON object (never a list or a scalar) whose encoding stays under `max_bytes`."""

    default_error_messages = {
        "not_object": "Must be a JSON object.",
        "too_large": "Must encode to at most {max_bytes} bytes of JSON.",
    }

    def __init__(self, *, max_bytes: int = 16 * 1024, **kwargs) -> None:
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_object")
        if len(json.dumps(value, ensure_ascii=False).encode("utf-8")) > self.max_bytes:
            self.fail("too_large", max_bytes=self.max_bytes)
        return value


MSG_NOT_A_STRING = "Must be a string."
MSG_UUID_STRING = "Must be a valid UUID string."


class StringOnlyMixin:
    """Refuse any JSON value but a string before the field converts it (DRF turns numbers
    into text and integers into UUIDs), with the field's `not_a_string` message."""

    default_error_messages = {"not_a_string": MSG_NOT_A_STRING}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictCharField(StringOnlyMixin, serializers.CharField):
    """A CharField that refuses numbers instead of turning them into text."""


class StrictChoiceField(StringOnlyMixin, serializers.ChoiceField):
    """A ChoiceField whose value must be a string (`1` is not `"1"`)."""


class StrictUUIDField(StringOnlyMixin, serializers.UUIDField):
    """A UUID given as a string (DRF's UUIDField also takes an integer)."""

    default_error_messages = {"not_a_string": MSG_UUID_STRING}
