"""Phoenix frames in both vsn, as pure functions."""

from __future__ import annotations

import json

import pytest

from fashionos.realtime.protocol import (
    Frame,
    FrameError,
    close_frame,
    frame_decode,
    frame_encode,
    push_frame_encode,
    reply_frame,
    system_frame,
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
