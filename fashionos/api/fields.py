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
