"""Broadcast on the websocket, as realtime-js and realtime-py use it, in both vsn: who hears a
broadcast (`self`), the `ack` reply, vsn 2.0.0's binary user broadcasts and their conversion
for vsn 1.0.0 sockets, and the bounds (payload size, pushes per second), each an error reply
with nothing sent."""

from __future__ import annotations

import json

import pytest

from fashionos.realtime import consumer_pushes
from fashionos.realtime.consumer_pushes import (
    MSG_BROADCAST_NOT_JSON,
    MSG_BROADCAST_PAYLOAD,
    MSG_BROADCAST_TOO_LARGE,
    MSG_RATE_LIMITED,
)
from fashionos.realtime.protocol import (
    ENCODING_BINARY,
    ENCODING_JSON,
    user_broadcast_decode,
    user_broadcast_push_encode,
)

from .support import unique_name

pytestmark = pytest.mark.django_db(transaction=True)

VSNS = ["1.0.0", "2.0.0"]


async def _joined(make, anon_key, topic, vsn="1.0.0", **config):
    client = make(apikey=anon_key, vsn=vsn)
    await client.connect()
    reply = await client.join_room(topic, **config)
    assert reply.payload == {"status": "ok", "response": {"postgres_changes": []}}, reply
    return client


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_broadcast_reaches_the_others_and_not_the_sender(vsn, anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, vsn)
    other = await _joined(phoenix_clients, anon_key, topic, vsn)
    elsewhere = await _joined(phoenix_clients, anon_key, unique_name(), vsn)

    await sender.send_broadcast(topic, "cursor", {"x": 3, "name": "Zoé"})

    heard = await other.receive_event("broadcast")
    assert heard.topic == f"realtime:{topic}"
    assert heard.payload == {
        "type": "broadcast",
        "event": "cursor",
        "payload": {"x": 3, "name": "Zoé"},
    }
    assert heard.ref is None and heard.join_ref is None
    assert await sender.quiet()  # no echo and, without ack, no reply
    assert await elsewhere.quiet()


@pytest.mark.parametrize("vsn", VSNS)
async def test_self_has_the_sender_hear_its_own_broadcast(vsn, anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, vsn, self_broadcast=True)
    other = await _joined(phoenix_clients, anon_key, topic, vsn)

    await sender.send_broadcast(topic, "ping", {"n": 1})

    for client in (sender, other):
        heard = await client.receive_event("broadcast")
        assert heard.payload["payload"] == {"n": 1}


@pytest.mark.parametrize("vsn", VSNS)
async def test_ack_answers_each_broadcast_once_sent(vsn, anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, vsn, ack=True)
    other = await _joined(phoenix_clients, anon_key, topic, vsn)

    ref = await sender.send_broadcast(topic, "saved", {"ok": True})

    reply = await sender.reply_to(ref)
    assert reply.payload == {"status": "ok", "response": {}}
    assert reply.topic == f"realtime:{topic}"
    assert (await other.receive_event("broadcast")).payload["event"] == "saved"


async def test_a_text_broadcast_reaches_both_vsn_in_their_own_shape(anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, "1.0.0")
    old = await _joined(phoenix_clients, anon_key, topic, "1.0.0")
    new = await _joined(phoenix_clients, anon_key, topic, "2.0.0")

    await sender.send_broadcast(topic, "e", {"a": [1, 2]})

    assert json.loads(await old.receive_raw()) == {
        "event": "broadcast",
        "payload": {"type": "broadcast", "event": "e", "payload": {"a": [1, 2]}},
        "ref": None,
        "topic": f"realtime:{topic}",
        "join_ref": None,
    }
    assert json.loads(await new.receive_raw()) == [
        None,
        None,
        f"realtime:{topic}",
        "broadcast",
        {"type": "broadcast", "event": "e", "payload": {"a": [1, 2]}},
    ]


async def test_a_binary_json_broadcast_is_binary_for_vsn_2_and_json_for_vsn_1(
    anon_key, phoenix_clients
):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, "2.0.0", ack=True)
    new = await _joined(phoenix_clients, anon_key, topic, "2.0.0")
    old = await _joined(phoenix_clients, anon_key, topic, "1.0.0")

    await sender.push_binary(
        user_broadcast_push_encode(
            topic=f"realtime:{topic}",
            event="move",
            payload=json.dumps({"x": 1, "label": "été"}).encode(),
            encoding=ENCODING_JSON,
            ref="9",
            join_ref=sender.join_refs[f"realtime:{topic}"],
        )
    )

    assert (await sender.reply_to("9")).payload == {"status": "ok", "response": {}}
    heard_topic, heard = user_broadcast_decode(await new.receive_bytes())
    assert heard_topic == f"realtime:{topic}"
    assert heard == {"type": "broadcast", "event": "move", "payload": {"x": 1, "label": "été"}}
    converted = await old.receive_event("broadcast")
    assert converted.payload == {
        "event": "move",
        "payload": {"x": 1, "label": "été"},
        "type": "broadcast",
    }


async def test_a_binary_payload_reaches_vsn_2_as_bytes_and_skips_vsn_1(anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, "2.0.0")
    new = await _joined(phoenix_clients, anon_key, topic, "2.0.0")
    old = await _joined(phoenix_clients, anon_key, topic, "1.0.0")
    blob = bytes(range(256))

    await sender.push_binary(
        user_broadcast_push_encode(
            topic=f"realtime:{topic}", event="blob", payload=blob, encoding=ENCODING_BINARY
        )
    )

    _heard_topic, heard = user_broadcast_decode(await new.receive_bytes())
    assert heard == {"type": "broadcast", "event": "blob", "payload": blob}
    assert await old.quiet()  # opaque bytes have no vsn 1.0.0 form, as in Supabase


async def test_a_vsn_2_text_broadcast_stays_text(anon_key, phoenix_clients):
    """realtime-py and vsn 1.0.0 clients push text; a vsn 2.0.0 socket hears it as an array."""
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, "2.0.0")
    other = await _joined(phoenix_clients, anon_key, topic, "2.0.0")

    await sender.send_broadcast(topic, "t", {"k": "v"})

    assert (await other.receive_event("broadcast")).payload["payload"] == {"k": "v"}


@pytest.mark.parametrize("vsn", VSNS)
async def test_an_oversized_broadcast_is_refused_and_not_sent(
    vsn, anon_key, phoenix_clients, monkeypatch
):
    monkeypatch.setattr(consumer_pushes, "MAX_BROADCAST_BYTES", 200)
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, vsn)
    other = await _joined(phoenix_clients, anon_key, topic, vsn)

    ref = await sender.send_broadcast(topic, "big", {"pad": "x" * 300})

    reply = await sender.reply_to(ref)
    assert reply.payload == {
        "status": "error",
        "response": {"reason": MSG_BROADCAST_TOO_LARGE.format(limit=200)},
    }
    assert await other.quiet()
    # The channel still works.
    await sender.send_broadcast(topic, "small", {"pad": "x"})
    assert (await other.receive_event("broadcast")).payload["event"] == "small"


async def test_an_oversized_binary_broadcast_is_refused(anon_key, phoenix_clients, monkeypatch):
    monkeypatch.setattr(consumer_pushes, "MAX_BROADCAST_BYTES", 200)
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, "2.0.0")
    other = await _joined(phoenix_clients, anon_key, topic, "2.0.0")

    await sender.push_binary(
        user_broadcast_push_encode(
            topic=f"realtime:{topic}",
            event="big",
            payload=b"x" * 300,
            encoding=ENCODING_BINARY,
            ref="5",
        )
    )

    reply = await sender.reply_to("5")
    assert reply.payload["response"]["reason"] == MSG_BROADCAST_TOO_LARGE.format(limit=200)
    assert await other.quiet()


async def test_a_binary_broadcast_that_lies_about_json_is_refused(anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, "2.0.0")
    other = await _joined(phoenix_clients, anon_key, topic, "1.0.0")

    await sender.push_binary(
        user_broadcast_push_encode(
            topic=f"realtime:{topic}",
            event="e",
            payload=b"{not json",
            encoding=ENCODING_JSON,
            ref="6",
        )
    )

    assert (await sender.reply_to("6")).payload["response"]["reason"] == MSG_BROADCAST_NOT_JSON
    assert await other.quiet()


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_broadcast_that_is_not_an_event_object_is_refused(vsn, anon_key, phoenix_clients):
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, vsn)
    other = await _joined(phoenix_clients, anon_key, topic, vsn)
    join_ref = sender.join_refs[f"realtime:{topic}"]

    for number, payload in enumerate([[1, 2], "text", {"event": 5}, {"payload": {}}]):
        ref = f"bad{number}"
        await sender.push(f"realtime:{topic}", "broadcast", payload, ref=ref, join_ref=join_ref)
        reply = await sender.reply_to(ref)
        assert reply.payload["response"] == {"reason": MSG_BROADCAST_PAYLOAD}
    assert await other.quiet()


@pytest.mark.parametrize("vsn", VSNS)
async def test_more_pushes_a_second_than_the_bound_are_refused(
    vsn, anon_key, phoenix_clients, monkeypatch
):
    monkeypatch.setattr(consumer_pushes, "MAX_MESSAGES_PER_SECOND", 3)
    topic = unique_name()
    sender = await _joined(phoenix_clients, anon_key, topic, vsn, ack=True)
    other = await _joined(phoenix_clients, anon_key, topic, vsn)

    refs = [await sender.send_broadcast(topic, "n", {"n": n}) for n in range(5)]

    statuses = [(await sender.reply_to(ref)).payload for ref in refs]
    assert [s["status"] for s in statuses] == ["ok", "ok", "ok", "error", "error"]
    assert statuses[3]["response"] == {"reason": MSG_RATE_LIMITED}
    heard = [(await other.receive_event("broadcast")).payload["payload"]["n"] for _ in range(3)]
    assert heard == [0, 1, 2]
    assert await other.quiet()


async def test_a_broadcast_on_a_topic_never_joined_is_refused(anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn="2.0.0")
    await client.connect()
    await client.push_binary(
        user_broadcast_push_encode(
            topic="realtime:nowhere", event="e", payload=b"{}", encoding=ENCODING_JSON, ref="3"
        )
    )
    assert (await client.reply_to("3")).payload["status"] == "error"


async def test_public_and_private_rooms_of_one_name_are_apart(
    cast, tokens, anon_key, phoenix_clients
):
    topic = f"campaign:{cast.campaign.pk}"
    public = await _joined(phoenix_clients, anon_key, topic)
    private = phoenix_clients(apikey=anon_key)
    await private.connect()
    reply = await private.join_room(topic, access_token=tokens.owner, private=True)
    assert reply.payload["status"] == "ok", reply

    await public.send_broadcast(topic, "from-public", {})
    assert await private.quiet()
