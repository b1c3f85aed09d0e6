"""Phoenix channel frames as Supabase Realtime speaks them.

- vsn 1.0.0: a JSON object `{topic, event, payload, ref, join_ref}`.
- vsn 2.0.0: a JSON array `[join_ref, ref, topic, event, payload]`.

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

MSG_FRAME_NOT_JSON = "The frame is not valid JSON."
MSG_FRAME_SHAPE = "The frame does not have the shape of a vsn {vsn} message."

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
