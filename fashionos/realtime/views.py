"""`/realtime/v1/api/broadcast`: Supabase Realtime's HTTP broadcast, as supabase-js calls it.

- `POST /realtime/v1/api/broadcast` with `{messages: [{topic, event, payload, private?, id?}]}`:
  what `channel.send({type: 'broadcast'})` falls back to before the channel is subscribed.
- `POST /realtime/v1/api/broadcast/<topic>/events/<event>[?private=true]` with the payload as
  the body: `channel.httpSend(event, payload)`.

Both answer 202 with an empty body, as Supabase does, once the messages are handed to the
rooms (`broadcasts.py` says who may send where). The caller is its bearer token (a user's, or
a project key) or, without one, the `apikey` header's project key; neither is a 401. Bounded:
MAX_MESSAGES per request, each payload at most the websocket's MAX_BROADCAST_BYTES; throttled
per caller (`REALTIME_BROADCAST_THROTTLE_RATE`).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from fashionos.accounts.authentication import bearer_token
from fashionos.accounts.tokens import TokenClaims, TokenError
from fashionos.api.schema import ApiAutoSchema
from fashionos.errors import InvalidInput, NotAuthenticated
from fashionos.realtime.access import Reader, api_key_check, reader_load
from fashionos.realtime.broadcasts import BroadcastMessage, broadcasts_send
from fashionos.realtime.consumer_pushes import MAX_BROADCAST_BYTES
from fashionos.realtime.protocol import json_encode

MAX_MESSAGES = 100
MAX_NAME_CHARS = 255

MSG_PAYLOAD_TOO_LARGE = "Payload size exceeds the limit of {limit} bytes."
MSG_PAYLOAD_OBJECT = "The body must be a JSON object (the broadcast's payload)."


def _payload_checked(value: dict) -> dict:
    if len(json_encode(value).encode()) > MAX_BROADCAST_BYTES:
        raise serializers.ValidationError(MSG_PAYLOAD_TOO_LARGE.format(limit=MAX_BROADCAST_BYTES))
    return value


class BroadcastMessageSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=MAX_NAME_CHARS)
    event = serializers.CharField(max_length=MAX_NAME_CHARS)
    payload = serializers.DictField()
    private = serializers.BooleanField(default=False)
    id = serializers.CharField(required=False, max_length=MAX_NAME_CHARS)

    def validate_payload(self, value: dict) -> dict:
        return _payload_checked(value)


class BroadcastRequestSerializer(serializers.Serializer):
    messages = serializers.ListField(
        child=BroadcastMessageSerializer(), min_length=1, max_length=MAX_MESSAGES
    )


def broadcast_reader(request: Request) -> Reader:
    """Who is sending: the bearer token's reader, or the `apikey` header's project key."""
    claims = request.auth if isinstance(request.auth, TokenClaims) else None
    try:
        if claims is None:
            claims = api_key_check(bearer_token(request) or request.headers.get("apikey"))
        return reader_load(claims)
    except TokenError as exc:
        raise NotAuthenticated(exc.message, code=exc.code) from None


class BroadcastApiView(APIView):
    schema = ApiAutoSchema()
    permission_classes = [AllowAny]  # the caller is checked by `broadcast_reader`
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "realtime_broadcast"


class BroadcastView(BroadcastApiView):
    @extend_schema(
        tags=["realtime"],
        request=BroadcastRequestSerializer,
        responses={202: OpenApiResponse(description="Handed to the rooms.")},
    )
    def post(self, request: Request) -> Response:
        reader = broadcast_reader(request)
        serializer = BroadcastRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        messages = [BroadcastMessage(**m) for m in serializer.validated_data["messages"]]
        broadcasts_send(reader=reader, messages=messages)
        return Response(status=202)


class BroadcastEventView(BroadcastApiView):
    @extend_schema(
        tags=["realtime"],
        parameters=[OpenApiParameter("private", bool, required=False)],
        request={"application/json": {"type": "object"}},
        responses={202: OpenApiResponse(description="Handed to the room.")},
    )
    def post(self, request: Request, topic: str, event: str) -> Response:
        reader = broadcast_reader(request)
        if not isinstance(request.data, dict):
            raise InvalidInput(MSG_PAYLOAD_OBJECT)
        try:
            payload = _payload_checked(request.data)
        except serializers.ValidationError as exc:
            raise InvalidInput(str(exc.detail[0])) from None
        if len(topic) > MAX_NAME_CHARS or len(event) > MAX_NAME_CHARS:
            raise InvalidInput(f"The topic and event are at most {MAX_NAME_CHARS} characters.")
        private = request.query_params.get("private") == "true"
        message = BroadcastMessage(topic=topic, event=event, payload=payload, private=private)
        broadcasts_send(reader=reader, messages=[message])
        return Response(status=202)
