"""`POST /api/v1/assistant/chat` and `POST /functions/v1/chat-orchestrator`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from assistant.chat.orchestrator import chat_turn
from assistant.chat.request import ChatRequestSerializer, UserContextSerializer, chat_request_parse
from fashionos.accounts.models import User
from fashionos.api.schema import ApiAutoSchema, error
from fashionos.errors import NotAllowed
from fashionos.kits import KITS

MSG_USER_REQUIRED = "The assistant answers a signed-in user: use a user's access token."


class ChatRequestDocSerializer(ChatRequestSerializer):
    userContext = UserContextSerializer(required=False, allow_null=True)

    class Meta:
        ref_name = "ChatRequest"


class ActionSerializer(serializers.Serializer):
    label = serializers.CharField()
    target = serializers.CharField(
        help_text="A frontend target, e.g. sample-tracker:delayed; chat:<intent> for an option "
        "of a clarifying question, whose `message` the frontend sends back to the chat."
    )
    primary = serializers.BooleanField()
    message = serializers.CharField(
        required=False,
        help_text="Only on chat:<intent> actions: the message to send back, in the same session.",
    )


class ChatReplySerializer(serializers.Serializer):
    content = serializers.CharField()
    type = serializers.CharField()
    severity = serializers.ChoiceField(choices=["info", "success", "warning", "critical"])
    actions = ActionSerializer(many=True)
    followUp = serializers.ListField(child=serializers.CharField())
    intent = serializers.CharField(
        help_text="The intent answered; `clarify` when the reply asks which of "
        "`data.options` is meant; for a two-part question, the first part's (each part's "
        "intent, skill and data are in `data.parts`)."
    )
    skill = serializers.ChoiceField(
        choices=KITS, help_text="The kit whose skill answered (the first part's, for two)."
    )
    responseTime = serializers.IntegerField(help_text="Milliseconds spent answering.")
    conversationId = serializers.UUIDField(allow_null=True)
    sessionId = serializers.UUIDField()
    campaignId = serializers.UUIDField(allow_null=True)
    data = serializers.DictField(help_text="The facts behind the answer (ids, figures).")

    class Meta:
        ref_name = "ChatReply"


class ChatView(APIView):
    """Ask the assistant. The answer is computed from the campaign's real data and the turn is
    logged to the caller's conversations."""

    schema = ApiAutoSchema()  # documents the envelope of 400, 401, 403, 413
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "chat"

    @extend_schema(
        tags=["assistant"],
        request=ChatRequestDocSerializer,
        responses={
            200: ChatReplySerializer,
            404: error("userContext.campaignId names a campaign the caller cannot see."),
            429: error("Too many chat requests; see Retry-After."),
        },
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.user, User):
            raise NotAllowed(MSG_USER_REQUIRED, code="USER_REQUIRED")
        chat = chat_request_parse(request.data)
        turn = chat_turn(actor=request.user, request=chat)
        headers = {} if turn.logged else {"X-Conversation-Logged": "false"}
        return Response(turn.body, headers=headers)
