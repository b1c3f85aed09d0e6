"""Every way a socket ends frees what its broadcast and presence held too: room members, the
user index of private members, presence replicas and the room groups (issue 14; the same
endings as `test_socket_end`)."""

from __future__ import annotations

import gc
import json

import pytest

from fashionos.realtime.consumer import sockets_stats
from fashionos.realtime.hub import hub_for_running_loop

from .test_socket_end import ENDINGS, all_zero, push, settled, socket

pytestmark = pytest.mark.django_db(transaction=True)


async def _reply(communicator, ref: str) -> dict:
    while True:
        frame = json.loads(await communicator.receive_from(5))
        if frame["event"] == "phx_reply" and frame["ref"] == ref:
            return frame


async def _room_socket(anon_key, token, campaign_id):
    """A socket with a private campaign room and a public room, presence tracked in both."""
    communicator = socket(anon_key)
    assert (await communicator.connect())[0]
    for ref, topic, private in (
        ("1", f"realtime:campaign:{campaign_id}", True),
        ("2", "realtime:lobby", False),
    ):
        config = {
            "broadcast": {"ack": True, "self": True},
            "presence": {"key": f"k{ref}", "enabled": True},
            "postgres_changes": [],
            "private": private,
        }
        await push(communicator, topic, "phx_join", {"config": config, "access_token": token}, ref)
        assert (await _reply(communicator, ref))["payload"]["status"] == "ok"
        track = {"type": "presence", "event": "track", "payload": {"ref": ref}}
        await push(communicator, topic, "presence", track, f"t{ref}")
        assert (await _reply(communicator, f"t{ref}"))["payload"]["status"] == "ok"
        broadcast = {"type": "broadcast", "event": "hi", "payload": {}}
        await push(communicator, topic, "broadcast", broadcast, f"b{ref}")
        assert (await _reply(communicator, f"b{ref}"))["payload"]["status"] == "ok"
    return communicator


@pytest.mark.parametrize("ending", sorted(ENDINGS))
async def test_every_way_a_socket_ends_frees_its_rooms(ending, cast, tokens, anon_key, monkeypatch):
    communicator = await _room_socket(anon_key, tokens.owner, cast.campaign.pk)
    hub = hub_for_running_loop()
    sizes = hub.rooms.table_sizes()
    assert sizes["rooms"] == 2 and sizes["room_users"] == 1 and sizes["room_replicas"] == 2
    assert sockets_stats()["channels"] == 2

    end = ENDINGS[ending]
    if "monkeypatch" in end.__code__.co_varnames[: end.__code__.co_argcount]:
        await end(communicator, monkeypatch)
    else:
        await end(communicator)

    state = await settled(hub)
    assert all_zero(state), state
    del communicator
    gc.collect()
