"""The chat request body, in the original camelCase shape:

`message` (1..4,000 characters), `currentKit` (logistics, events, media, general),
`currentRoute`, `sessionId` (UUID), `conversationHistory` (a list), and `userContext` with a
`campaignId` or inline `sampleList`, `tasks`, `assets`.

Every field is taken only in its own JSON type: a number is not a message, a route or a
UUID (DRF's fields would turn `123` into "123" and an integer into a UUID), so a client bug
is a 400 naming the field rather than an answer to a question nobody asked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

from assistant.inline_inputs import assets_parse, samples_parse, tasks_parse
from fashionos.api.fields import (
    MSG_UUID_STRING,
    StrictCharField,
    StrictChoiceField,
    StrictUUIDField,
)
from fashionos.errors import InvalidInput
from fashionos.kits import KIT_CHOICES
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput

MAX_MESSAGE = 4_000
MAX_HISTORY = 50
MAX_ROUTE = 500

MSG_HISTORY_ITEM = "Must be an object."
MSG_HISTORY_TEXT = "{name} must be a string."
MSG_CONTEXT_OBJECT = "Must be an object."
# The keys of a conversationHistory item that hold text, as the frontend sends them.
HISTORY_TEXT_KEYS = ("role", "content")


class HistoryItemField(serializers.DictField):
    """A turn of the client's history: an object whose `role` and `content` are text. The
    server reads the previous turn from its own log, so nothing else of it is used."""

    default_error_messages = {"not_a_dict": MSG_HISTORY_ITEM, "not_text": MSG_HISTORY_TEXT}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        for key in HISTORY_TEXT_KEYS:
            if value.get(key) is not None and not isinstance(value[key], str):
                self.fail("not_text", name=key)
        return value


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

    message = StrictCharField(max_length=MAX_MESSAGE, trim_whitespace=True)
    currentKit = StrictChoiceField(choices=KIT_CHOICES)
    currentRoute = StrictCharField(
        max_length=MAX_ROUTE, required=False, allow_blank=True, allow_null=True
    )
    sessionId = StrictUUIDField(required=False, allow_null=True)
    conversationHistory = serializers.ListField(
        child=HistoryItemField(), required=False, allow_null=True, max_length=MAX_HISTORY
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
    """The validated request; InvalidInput (400) naming the field on anything wrong, a value of
    the wrong JSON type included."""
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.")
    form = ChatRequestSerializer(data=data)
    form.is_valid(raise_exception=True)
    valid = form.validated_data
    context = valid.get("userContext")
    if context is None:
        context = {}
    elif not isinstance(context, dict):  # [], "", 0 and false are not objects either
        raise InvalidInput(
            f"userContext: {MSG_CONTEXT_OBJECT}",
            details={"userContext": [MSG_CONTEXT_OBJECT]},
        )
    campaign_id = context.get("campaignId")
    if campaign_id is not None:
        try:
            if not isinstance(campaign_id, str):  # uuid.UUID(str(n)) would take a 32-digit n
                raise ValueError
            campaign_id = uuid.UUID(campaign_id)
        except ValueError:
            raise InvalidInput(
                f"userContext.campaignId: {MSG_UUID_STRING}",
                details={"userContext.campaignId": [MSG_UUID_STRING]},
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
