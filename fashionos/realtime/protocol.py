"""Phoenix channel frames as Supabase Realtime speaks them.

- vsn 1.0.0: a JSON object `{topic, event, payload, ref, join_ref}`.
- vsn 2.0.0: a JSON array `[join_ref, ref, topic, event, payload]`, and, for broadcasts only,
  binary frames (RealtimeWeb.Socket.V2Serializer): the client pushes a *user broadcast push*
  (kind 3) and hears a *user broadcast* (kind 4), each a byte header of field lengths followed by
  the UTF-8 fields and the user payload, JSON (encoding 1) or opaque bytes (encoding 0).

Frames are pure data: no Django, no I/O. The hub builds one `postgres_changes` frame per
distinct (vsn, topic, binding ids) from a payload encoded once per change, so a frame for 1,000
subscribers costs one `json.dumps` and a few string concatenations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

VSN_1 = "1.0.0"
VSN_2 = "2.0.0"
SUPPORTED_VSNS = (VSN_1, VSN_2)
DEFAULT_VSN = VSN_1

PHOENIX_TOPIC = "phoenix"
TOPIC_PREFIX = "realtime:"

EVENT_HEARTBEAT = "heartbeat"
EVENT_JOIN = "phx_join"
EVENT_LEAVE = "phx_leave"
EVENT_REPLY = "phx_reply"
EVENT_CLOSE = "phx_close"
EVENT_ERROR = "phx_error"
EVENT_ACCESS_TOKEN = "access_token"
EVENT_SYSTEM = "system"
EVENT_POSTGRES_CHANGES = "postgres_changes"
EVENT_BROADCAST = "broadcast"
EVENT_PRESENCE = "presence"
EVENT_PRESENCE_STATE = "presence_state"
EVENT_PRESENCE_DIFF = "presence_diff"

# Binary frames of vsn 2.0.0 (the kinds and encodings realtime-js's serializer uses).
KIND_USER_BROADCAST_PUSH = 3
KIND_USER_BROADCAST = 4
ENCODING_BINARY = 0
ENCODING_JSON = 1
_PUSH_HEADER = 7  # kind + 5 field lengths + the payload encoding
_FIELD_MAX_BYTES = 255

MSG_FRAME_NOT_JSON = "The frame is not valid JSON."
MSG_FRAME_SHAPE = "The frame does not have the shape of a vsn {vsn} message."
MSG_BINARY_FRAME = "The binary frame is not a user broadcast push."

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class FrameError(ValueError):
    """A frame the client sent cannot be read."""


@dataclass(frozen=True, slots=True)
class Frame:
    topic: str
    event: str
    payload: Any
    ref: str | None = None
    join_ref: str | None = None


class EncodedFrame:
    """A frame encoded once for every socket it goes to: text, or bytes for a vsn 2.0.0 binary
    broadcast. A server that can also frame it once for the wire keeps that form in `wire`
    (see the consumer's daphne fast path)."""

    __slots__ = ("data", "wire")

    def __init__(self, text: str) -> None:
        self.data: str | bytes = text
        self.wire: Any = None

    @classmethod
    def binary(cls, data: bytes) -> EncodedFrame:
        frame = cls("")
        frame.data = data
        return frame

    @property
    def text(self) -> str:
        assert isinstance(self.data, str)
        return self.data


def _ref(value: Any) -> str | None:
    # Phoenix refs are strings; some clients send numbers. Keep them as the client wrote them
    # so the reply carries the same ref back.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise FrameError(MSG_FRAME_SHAPE)


def frame_decode(text: str, vsn: str) -> Frame:
    """Read one client frame; raise FrameError when it is not JSON or not a message."""
    try:
        data = json.loads(text)
    except ValueError:
        raise FrameError(MSG_FRAME_NOT_JSON) from None
    if vsn == VSN_2:
        if not isinstance(data, list) or len(data) != 5:
            raise FrameError(MSG_FRAME_SHAPE.format(vsn=vsn))
        join_ref, ref, topic, event, payload = data
    else:
        if not isinstance(data, dict):
            raise FrameError(MSG_FRAME_SHAPE.format(vsn=vsn))
        topic, event = data.get("topic"), data.get("event")
        payload, ref, join_ref = data.get("payload"), data.get("ref"), data.get("join_ref")
    if not isinstance(topic, str) or not isinstance(event, str):
        raise FrameError(MSG_FRAME_SHAPE.format(vsn=vsn))
    try:
        return Frame(topic, event, {} if payload is None else payload, _ref(ref), _ref(join_ref))
    except FrameError:
        raise FrameError(MSG_FRAME_SHAPE.format(vsn=vsn)) from None


def frame_encode(frame: Frame, vsn: str) -> str:
    """One server frame as text, in the socket's vsn."""
    if vsn == VSN_2:
        return _dumps([frame.join_ref, frame.ref, frame.topic, frame.event, frame.payload])
    return _dumps(
        {
            "event": frame.event,
            "payload": frame.payload,
            "ref": frame.ref,
            "topic": frame.topic,
            "join_ref": frame.join_ref,
        }
    )


def json_encode(value: Any) -> str:
    """Compact JSON, the encoding every frame uses."""
    return _dumps(value)


def push_frame_encode(vsn: str, topic: str, event: str, payload_json: str) -> str:
    """A server push (ref and join_ref null, as Phoenix's fastlane sends broadcasts) around a
    payload that is already JSON text, so one encoding serves every subscriber."""
    topic_json = _dumps(topic)
    event_json = _dumps(event)
    if vsn == VSN_2:
        return f"[null,null,{topic_json},{event_json},{payload_json}]"
    return (
        f'{{"event":{event_json},"payload":{payload_json},"ref":null,'
        f'"topic":{topic_json},"join_ref":null}}'
    )


def reply_frame(request: Frame, status: str, response: dict[str, Any]) -> Frame:
    """`phx_reply` to a client push: same topic, ref and join_ref."""
    return Frame(
        topic=request.topic,
        event=EVENT_REPLY,
        payload={"status": status, "response": response},
        ref=request.ref,
        join_ref=request.join_ref,
    )


def system_frame(
    *, topic: str, join_ref: str | None, extension: str, status: str, message: str
) -> Frame:
    """A `system` message as Supabase Realtime pushes them (`channel` is the topic without its
    `realtime:` prefix)."""
    return Frame(
        topic=topic,
        event=EVENT_SYSTEM,
        payload={
            "channel": topic.removeprefix(TOPIC_PREFIX),
            "extension": extension,
            "message": message,
            "status": status,
        },
        ref=None,
        join_ref=join_ref,
    )


def close_frame(*, topic: str, join_ref: str | None) -> Frame:
    """`phx_close` for a channel the server ends; Phoenix sends it with ref = join_ref."""
    return Frame(topic=topic, event=EVENT_CLOSE, payload={}, ref=join_ref, join_ref=join_ref)


@dataclass(frozen=True, slots=True)
class UserBroadcastPush:
    """A vsn 2.0.0 binary broadcast from a client: `payload` is the user payload's bytes, JSON
    text when `encoding` is ENCODING_JSON."""

    join_ref: str | None
    ref: str | None
    topic: str
    event: str
    metadata: str
    encoding: int
    payload: bytes


def user_broadcast_push_decode(data: bytes) -> UserBroadcastPush:
    """Read a kind 3 frame; raise FrameError for any other kind or a truncated frame."""
    if len(data) < _PUSH_HEADER or data[0] != KIND_USER_BROADCAST_PUSH:
        raise FrameError(MSG_BINARY_FRAME)
    sizes = data[1:6]
    encoding = data[6]
    if encoding not in (ENCODING_BINARY, ENCODING_JSON) or _PUSH_HEADER + sum(sizes) > len(data):
        raise FrameError(MSG_BINARY_FRAME)
    fields: list[str] = []
    offset = _PUSH_HEADER
    try:
        for size in sizes:
            fields.append(data[offset : offset + size].decode())
            offset += size
    except UnicodeDecodeError:
        raise FrameError(MSG_BINARY_FRAME) from None
    join_ref, ref, topic, event, metadata = fields
    return UserBroadcastPush(
        join_ref or None, ref or None, topic, event, metadata, encoding, data[offset:]
    )


def user_broadcast_push_encode(
    *, topic: str, event: str, payload: bytes, encoding: int, ref: str = "", join_ref: str = ""
) -> bytes:
    """A kind 3 frame, as realtime-js's serializer writes one (tests and benchmarks)."""
    fields = [join_ref.encode(), ref.encode(), topic.encode(), event.encode(), b""]
    return (
        bytes([KIND_USER_BROADCAST_PUSH, *map(len, fields), encoding]) + b"".join(fields) + payload
    )


def user_broadcast_encode(*, topic: str, event: str, payload: bytes, encoding: int) -> bytes:
    """A kind 4 frame, what a vsn 2.0.0 socket hears for a broadcast pushed in binary. Raises
    FrameError when the topic or event is longer than one length byte can say."""
    topic_bytes, event_bytes = topic.encode(), event.encode()
    if len(topic_bytes) > _FIELD_MAX_BYTES or len(event_bytes) > _FIELD_MAX_BYTES:
        raise FrameError(MSG_BINARY_FRAME)
    header = bytes([KIND_USER_BROADCAST, len(topic_bytes), len(event_bytes), 0, encoding])
    return header + topic_bytes + event_bytes + payload


def user_broadcast_decode(data: bytes) -> tuple[str, dict[str, Any]]:
    """A kind 4 frame as realtime-js reads it: (topic, `{type, event, payload}`), the payload
    parsed when it is JSON (tests)."""
    if len(data) < 5 or data[0] != KIND_USER_BROADCAST:
        raise FrameError(MSG_BINARY_FRAME)
    topic_size, event_size, metadata_size, encoding = data[1], data[2], data[3], data[4]
    offset = 5
    topic = data[offset : offset + topic_size].decode()
    offset += topic_size
    event = data[offset : offset + event_size].decode()
    offset += event_size + metadata_size
    body = data[offset:]
    payload: Any = json.loads(body) if encoding == ENCODING_JSON else body
    return topic, {"type": EVENT_BROADCAST, "event": event, "payload": payload}
