"""The chat request body, in the original camelCase shape:

`message` (1..4,000 characters), `currentKit` (logistics, events, media, general),
`currentRoute`, `sessionId` (UUID), `conversationHistory` (a list), and `userContext` with a
`campaignId` or inline `sampleList`, `tasks`, `assets`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

from assistant.analysis_requests import assets_parse, samples_parse, tasks_parse
from assistant.models import Kit
from fashionos.api.errors import ApiError
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput

MAX_MESSAGE = 4_000
MAX_HISTORY = 50
MAX_ROUTE = 500


class UserContextSerializer(serializers.Serializer):
    campaignId = serializers.UUIDField(required=False, allow_null=True)
    sampleList = serializers.ListField(
        child=serializers.DictField(), required=False, allow_null=True, max_length=10_000
    )
    tasks = serializers.ListField(
        child=serializers.DictField(), required=False, allow_null=True, max_length=2_000
    )
    assets = serializers.ListField(
        child=serializers.DictField(), required=False, allow_null=True, max_length=2_000
    )


class ChatRequestSerializer(serializers.Serializer):
    """Documents and validates the small fields; inline lists are parsed by the analyzers'
    fast parser."""

    message = serializers.CharField(max_length=MAX_MESSAGE, trim_whitespace=True)
    currentKit = serializers.ChoiceField(choices=Kit.choices)
    currentRoute = serializers.CharField(
        max_length=MAX_ROUTE, required=False, allow_blank=True, allow_null=True
    )
    sessionId = serializers.UUIDField(required=False, allow_null=True)
    conversationHistory = serializers.ListField(
        child=serializers.JSONField(), required=False, allow_null=True, max_length=MAX_HISTORY
    )
    userContext = serializers.JSONField(required=False, allow_null=True)


@dataclass(frozen=True, slots=True)
class ChatRequest:
    message: str
    kit: str
    route: str | None
    session_id: uuid.UUID | None
    campaign_id: uuid.UUID | None
    samples: list[SampleInput] | None
    tasks: list[TaskInput] | None
    assets: list[AssetInput] | None

    @property
    def has_inline_data(self) -> bool:
        return any(items is not None for items in (self.samples, self.tasks, self.assets))


def chat_request_parse(data: Any) -> ChatRequest:
    """Validate the body; ApiError (400) naming the field on anything wrong."""
    if not isinstance(data, dict):
        raise ApiError("The body must be a JSON object.", code="VALIDATION_ERROR")
    if data.get("sessionId") is not None and not isinstance(data["sessionId"], str):
        raise ApiError(
            "sessionId: Must be a valid UUID string.",
            code="VALIDATION_ERROR",
            details={"sessionId": ["Must be a valid UUID string."]},
        )
    form = ChatRequestSerializer(data=data)
    form.is_valid(raise_exception=True)
    valid = form.validated_data
    context = valid.get("userContext")
    if context is None:
        context = {}
    elif not isinstance(context, dict):  # [], "", 0 and false are not objects either
        raise ApiError(
            "userContext: Must be an object.",
            code="VALIDATION_ERROR",
            details={"userContext": ["Must be an object."]},
        )
    campaign_id = context.get("campaignId")
    if campaign_id is not None:
        try:
            campaign_id = uuid.UUID(str(campaign_id))
        except ValueError:
            raise ApiError(
                "userContext.campaignId: Must be a valid UUID.",
                code="VALIDATION_ERROR",
                details={"userContext.campaignId": ["Must be a valid UUID."]},
            ) from None

    def inline(name: str, parse):
        raw = context.get(name)
        return None if raw is None else parse(raw, name=f"userContext.{name}")

    return ChatRequest(
        message=valid["message"],
        kit=valid["currentKit"],
        route=valid.get("currentRoute") or None,
        session_id=valid.get("sessionId"),
        campaign_id=campaign_id,
        samples=inline("sampleList", samples_parse),
        tasks=inline("tasks", tasks_parse),
        assets=inline("assets", assets_parse),
    )
