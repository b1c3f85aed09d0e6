"""Presence on the websocket, as realtime-js and realtime-py use it, in both vsn: `track` and
`untrack` under `config.presence.key`, `presence_state` on join, `presence_diff` joins and
leaves (an update is a leave and a join, as Phoenix sends it), presences leaving with their
channel or socket, the bounds, and a replica filled from another process's hub."""

from __future__ import annotations

import asyncio

import pytest

from fashionos.realtime import consumer_pushes, room_presence
from fashionos.realtime.consumer_pushes import (
    MSG_PRESENCE_EVENT,
    MSG_PRESENCE_PAYLOAD,
    MSG_PRESENCE_TOO_LARGE,
)
from fashionos.realtime.hub import Hub, hub_for_running_loop
from fashionos.realtime.room_members import RoomMember, room_group, room_key
from fashionos.realtime.room_presence import MSG_TOO_MANY_PRESENCE_KEYS

from .support import unique_name

pytestmark = pytest.mark.django_db(transaction=True)

VSNS = ["1.0.0", "2.0.0"]


async def _present(make, anon_key, topic, key, vsn="1.0.0", *, presence=True):
    """A socket on `topic` with presence on; returns it and its first presence_state."""
    client = make(apikey=anon_key, vsn=vsn)
    await client.connect()
    reply = await client.join_room(topic, presence_key=key, presence=presence)
    assert reply.payload["status"] == "ok", reply
    state = await client.receive_event("presence_state") if presence else None
    return client, state


def _metas(entry) -> list[dict]:
    return [{k: v for k, v in meta.items() if k != "phx_ref"} for meta in entry["metas"]]


@pytest.mark.parametrize("vsn", VSNS)
async def test_track_is_a_join_for_every_member_and_state_for_a_newcomer(
    vsn, anon_key, phoenix_clients
):
    topic = unique_name()
    ada, state = await _present(phoenix_clients, anon_key, topic, "ada", vsn)
    assert state.payload == {}
    bob, _ = await _present(phoenix_clients, anon_key, topic, "bob", vsn)

    reply = await ada.send_presence(topic, "track", {"page": "samples"})
    assert reply.payload == {"status": "ok", "response": {}}

    for client in (ada, bob):
        diff = await client.receive_event("presence_diff")
        assert diff.topic == f"realtime:{topic}"
        assert diff.payload["leaves"] == {}
        assert _metas(diff.payload["joins"]["ada"]) == [{"page": "samples"}]
        assert isinstance(diff.payload["joins"]["ada"]["metas"][0]["phx_ref"], str)

    _carol, state = await _present(phoenix_clients, anon_key, topic, "carol", vsn)
    assert list(state.payload) == ["ada"]
    assert _metas(state.payload["ada"]) == [{"page": "samples"}]


@pytest.mark.parametrize("vsn", VSNS)
async def test_an_update_is_a_leave_and_a_join_and_untrack_a_leave(vsn, anon_key, phoenix_clients):
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "ada", vsn)
    bob, _ = await _present(phoenix_clients, anon_key, topic, "bob", vsn)
    await ada.send_presence(topic, "track", {"page": "samples"})
    first = (await bob.receive_event("presence_diff")).payload["joins"]["ada"]["metas"][0]

    await ada.send_presence(topic, "track", {"page": "tasks"})
    update = (await bob.receive_event("presence_diff")).payload
    assert update["leaves"] == {"ada": {"metas": [first]}}
    (joined,) = update["joins"]["ada"]["metas"]
    assert joined["page"] == "tasks" and joined["phx_ref_prev"] == first["phx_ref"]

    # The same meta again changes nothing.
    await ada.send_presence(topic, "track", {"page": "tasks"})
    await ada.send_presence(topic, "untrack")
    untracked = (await bob.receive_event("presence_diff")).payload
    assert untracked["joins"] == {}
    assert untracked["leaves"]["ada"]["metas"][0]["phx_ref"] == joined["phx_ref"]


@pytest.mark.parametrize("ending", ["leave", "close"])
async def test_a_presence_leaves_with_its_channel_or_socket(ending, anon_key, phoenix_clients):
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "ada")
    bob, _ = await _present(phoenix_clients, anon_key, topic, "bob")
    await ada.send_presence(topic, "track", {"online_at": "now"})
    await bob.receive_event("presence_diff")

    if ending == "leave":
        await ada.push(f"realtime:{topic}", "phx_leave", {}, ref="99")
    else:
        await ada.close()

    diff = await bob.receive_event("presence_diff")
    assert list(diff.payload["leaves"]) == ["ada"] and diff.payload["joins"] == {}


async def test_an_empty_key_is_a_fresh_one_per_channel(anon_key, phoenix_clients):
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "")
    bob, _ = await _present(phoenix_clients, anon_key, topic, "")
    await ada.send_presence(topic, "track", {"who": "ada"})
    await bob.send_presence(topic, "track", {"who": "bob"})
    keys = set()
    for _ in range(2):
        keys |= set((await ada.receive_event("presence_diff")).payload["joins"])
    assert len(keys) == 2 and "" not in keys


async def test_tracking_turns_presence_on_for_a_channel_joined_without_it(
    anon_key, phoenix_clients
):
    """realtime-py joins without `presence.enabled`: its first track brings the state."""
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "ada")
    await ada.send_presence(topic, "track", {"n": 1})
    quiet, _ = await _present(phoenix_clients, anon_key, topic, "py", presence=False)
    assert await quiet.quiet()  # presence off: no diffs

    ref = quiet.next_ref()
    await quiet.push(
        f"realtime:{topic}",
        "presence",
        {"type": "presence", "event": "track", "payload": {"n": 2}},
        ref=ref,
        join_ref=quiet.join_refs[f"realtime:{topic}"],
    )
    state = await quiet.receive_event("presence_state")
    assert list(state.payload) == ["ada"]
    assert (await quiet.reply_to(ref)).payload["status"] == "ok"


@pytest.mark.parametrize("vsn", VSNS)
async def test_bad_presence_pushes_are_refused(vsn, anon_key, phoenix_clients, monkeypatch):
    monkeypatch.setattr(consumer_pushes, "MAX_PRESENCE_BYTES", 100)
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "ada", vsn)
    bob, _ = await _present(phoenix_clients, anon_key, topic, "bob", vsn)

    for payload, reason in [
        ([1, 2], MSG_PRESENCE_PAYLOAD),
        ({"pad": "x" * 200}, MSG_PRESENCE_TOO_LARGE),
    ]:
        reply = await ada.send_presence(topic, "track", payload)
        assert reply.payload == {"status": "error", "response": {"reason": reason}}
    reply = await ada.send_presence(topic, "wave")
    assert reply.payload["response"] == {"reason": MSG_PRESENCE_EVENT.format(event="wave")}
    assert await bob.quiet()


async def test_a_room_holds_at_most_the_bound_of_presence_keys(
    anon_key, phoenix_clients, monkeypatch
):
    monkeypatch.setattr(room_presence, "MAX_PRESENCE_KEYS_PER_ROOM", 2)
    topic = unique_name()
    clients = [(await _present(phoenix_clients, anon_key, topic, k))[0] for k in "abc"]
    for client in clients[:2]:
        assert (await client.send_presence(topic, "track", {})).payload["status"] == "ok"
    for client in clients:
        for _ in range(2):
            await client.receive_event("presence_diff")

    reply = await clients[2].send_presence(topic, "track", {})
    assert reply.payload == {
        "status": "error",
        "response": {"reason": MSG_TOO_MANY_PRESENCE_KEYS.format(limit=2)},
    }
    assert await clients[0].quiet()
    # A key already present may still update.
    assert (await clients[0].send_presence(topic, "track", {"v": 2})).payload["status"] == "ok"


class _Sink:
    """A socket stand-in for a second hub: records what it is written."""

    def __init__(self) -> None:
        self.frames: list = []

    async def frame_write(self, frame) -> None:
        self.frames.append(frame.data)

    async def member_end(self, member, reason) -> None:
        self.frames.append(("end", reason))


async def test_a_process_opening_a_room_learns_the_presences_others_own(anon_key, phoenix_clients):
    """Two hubs on one channel layer stand for two server processes: the second opens the
    room after a presence was tracked on the first, asks, and hears it as a join."""
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "ada")
    await ada.send_presence(topic, "track", {"from": "first"})
    await ada.receive_event("presence_diff")

    first = hub_for_running_loop()
    second = Hub(asyncio.get_running_loop())
    sink = _Sink()
    member = RoomMember(
        sink=sink,
        vsn="1.0.0",
        topic=f"realtime:{topic}",
        room=room_key(topic, private=False),
        self_broadcast=False,
        presence_key="remote",
        presence_enabled=True,
    )
    await second.rooms.member_add(member, None)
    member.active = True
    for _ in range(50):
        if sink.frames:
            break
        await asyncio.sleep(0.05)
    assert len(sink.frames) == 1 and '"presence_diff"' in sink.frames[0]
    assert '"from":"first"' in sink.frames[0]

    # And the first hears the second's presence through the room's group.
    await second.rooms.presence_track(member, {"from": "second"})
    diff = await ada.receive_event("presence_diff")
    assert _metas(diff.payload["joins"]["remote"]) == [{"from": "second"}]

    second.rooms.member_remove(member)
    diff = await ada.receive_event("presence_diff")
    assert list(diff.payload["leaves"]) == ["remote"]
    while second._tasks:
        await asyncio.gather(*list(second._tasks), return_exceptions=True)
    assert not any(second.rooms.table_sizes().values())
    assert first.rooms.table_sizes()["rooms"] == 1


async def test_the_presences_of_a_process_that_died_leave_the_others(
    anon_key, phoenix_clients, monkeypatch
):
    """A hub that stops saying its presences are alive (its process died without leaving) is
    dropped from the other replicas; this process's own presences stay."""
    monkeypatch.setattr(room_presence, "PRESENCE_ALIVE_SECONDS", 0.1)
    monkeypatch.setattr(room_presence, "PRESENCE_OWNER_TIMEOUT_SECONDS", 0.5)
    topic = unique_name()
    ada, _ = await _present(phoenix_clients, anon_key, topic, "ada")
    await ada.send_presence(topic, "track", {"alive": True})
    await ada.receive_event("presence_diff")
    hub = hub_for_running_loop()
    room = room_key(topic, private=False)
    await hub.layer.group_send(
        room_group(room),
        {"type": "rt.presence", "room": room, "owner": "rt.hub.ghost",
         "joins": {"ghost": [{"phx_ref": "g1", "alive": False}]}, "leaves": {}},
    )  # fmt: skip
    joined = await ada.receive_event("presence_diff")
    assert list(joined.payload["joins"]) == ["ghost"]

    left = await ada.receive_event("presence_diff", timeout=5)
    ghost = {"phx_ref": "g1", "alive": False}
    assert left.payload == {"joins": {}, "leaves": {"ghost": {"metas": [ghost]}}}
    await asyncio.sleep(0.7)  # ada's presence is this process's own: it stays
    assert await ada.quiet()
    assert hub.rooms.table_sizes()["room_timers"] == 1
    await ada.close()
    assert hub.rooms.table_sizes()["room_timers"] == 0
