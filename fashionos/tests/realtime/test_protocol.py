"""Phoenix frames in both vsn, as pure functions."""

from __future__ import annotations

import json

import pytest

from fashionos.realtime.protocol import (
    Frame,
    FrameError,
    UserBroadcastPush,
    close_frame,
    frame_decode,
    frame_encode,
    push_frame_encode,
    reply_frame,
    system_frame,
    user_broadcast_decode,
    user_broadcast_encode,
    user_broadcast_push_decode,
    user_broadcast_push_encode,
)


def test_vsn_1_frames_are_objects():
    frame = frame_decode(
        '{"topic":"realtime:a","event":"phx_join","payload":{"x":1},"ref":"1","join_ref":"1"}',
        "1.0.0",
    )
    assert frame == Frame("realtime:a", "phx_join", {"x": 1}, "1", "1")
    assert json.loads(frame_encode(frame, "1.0.0")) == {
        "topic": "realtime:a",
        "event": "phx_join",
        "payload": {"x": 1},
        "ref": "1",
        "join_ref": "1",
    }


def test_vsn_2_frames_are_arrays():
    frame = frame_decode('["3","4","realtime:a","access_token",{"access_token":"t"}]', "2.0.0")
    assert frame == Frame("realtime:a", "access_token", {"access_token": "t"}, "4", "3")
    assert json.loads(frame_encode(frame, "2.0.0")) == [
        "3",
        "4",
        "realtime:a",
        "access_token",
        {"access_token": "t"},
    ]


def test_numeric_refs_are_kept_as_text_and_missing_payload_is_empty():
    frame = frame_decode('{"topic":"phoenix","event":"heartbeat","ref":5}', "1.0.0")
    assert frame.ref == "5"
    assert frame.payload == {}


@pytest.mark.parametrize(
    ("text", "vsn"),
    [
        ("not json", "1.0.0"),
        ("[1,2,3]", "1.0.0"),
        ('{"topic":"a"}', "1.0.0"),
        ('{"topic":"a","event":"e","ref":{}}', "1.0.0"),
        ('{"topic":"a","event":"e"}', "2.0.0"),
        ('[null,null,"a","e"]', "2.0.0"),
    ],
)
def test_unreadable_frames_raise(text, vsn):
    with pytest.raises(FrameError):
        frame_decode(text, vsn)


@pytest.mark.parametrize("vsn", ["1.0.0", "2.0.0"])
def test_a_push_frame_wraps_a_preencoded_payload(vsn):
    text = push_frame_encode(vsn, 'realtime:a"b', "postgres_changes", '{"ids":[1],"data":{}}')
    frame = frame_decode(text, vsn)
    assert frame == Frame('realtime:a"b', "postgres_changes", {"ids": [1], "data": {}}, None, None)


def test_reply_system_and_close_frames():
    request = Frame("realtime:a", "phx_join", {}, "2", "2")
    assert reply_frame(request, "ok", {}).payload == {"status": "ok", "response": {}}
    assert reply_frame(request, "ok", {}).ref == "2"
    system = system_frame(
        topic="realtime:a", join_ref="2", extension="system", status="error", message="m"
    )
    assert system.payload == {
        "channel": "a",
        "extension": "system",
        "message": "m",
        "status": "error",
    }
    assert system.ref is None
    assert close_frame(topic="realtime:a", join_ref="2") == Frame(
        "realtime:a", "phx_close", {}, "2", "2"
    )


# --- vsn 2.0.0 binary broadcasts ------------------------------------------------------------


def test_a_user_broadcast_push_reads_as_realtime_js_writes_it():
    # Bytes as realtime-js's Serializer._encodeUserBroadcastPush lays them out.
    frame = bytes([3, 1, 2, 12, 4, 0, 1]) + b"5" + b"12" + b"realtime:abc" + b"move" + b'{"x":1}'
    push = user_broadcast_push_decode(frame)
    assert push == UserBroadcastPush("5", "12", "realtime:abc", "move", "", 1, b'{"x":1}')
    assert (
        user_broadcast_push_encode(
            topic="realtime:abc",
            event="move",
            payload=b'{"x":1}',
            encoding=1,
            ref="12",
            join_ref="5",
        )
        == frame
    )


def test_multibyte_fields_are_counted_in_bytes():
    frame = user_broadcast_push_encode(topic="realtime:été", event="ü", payload=b"", encoding=0)
    push = user_broadcast_push_decode(frame)
    assert (push.topic, push.event, push.join_ref, push.ref) == ("realtime:été", "ü", None, None)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        bytes([4, 0, 0, 0, 0, 0, 1]),  # a server kind
        bytes([3, 0, 0, 50, 0, 0, 1]) + b"short",  # lengths past the end
        bytes([3, 0, 0, 1, 0, 0, 7]) + b"t",  # unknown encoding
        bytes([3, 0, 0, 1, 0, 0, 1]) + b"\xff",  # not UTF-8
    ],
)
def test_a_binary_frame_that_is_not_a_user_broadcast_push_is_refused(data):
    with pytest.raises(FrameError):
        user_broadcast_push_decode(data)


def test_a_user_broadcast_is_the_kind_4_layout_realtime_js_reads():
    data = user_broadcast_encode(topic="realtime:r", event="e", payload=b'{"a":2}', encoding=1)
    assert data == bytes([4, 10, 1, 0, 1]) + b"realtime:r" + b"e" + b'{"a":2}'
    assert user_broadcast_decode(data) == (
        "realtime:r",
        {"type": "broadcast", "event": "e", "payload": {"a": 2}},
    )
    with pytest.raises(FrameError):
        user_broadcast_encode(topic="x" * 256, event="e", payload=b"", encoding=0)
