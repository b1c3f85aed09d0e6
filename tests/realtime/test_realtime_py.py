"""realtime-py (supabase-py's realtime client, vsn 1.0.0), unchanged, against a live server on
a campaign's private channel: two members see each other in `presence_state()`, a broadcast
reaches the other member and, with `self`, the sender; an outsider's join is refused with
Supabase's reason; a member removed from the campaign is closed out and hears nothing more.

Needs PostgreSQL and Redis like the other live tests."""

from __future__ import annotations

import asyncio

import pytest
from realtime import AsyncRealtimeClient, RealtimeSubscribeStates

from fashionos.accounts.tokens import api_key_issue
from fashionos.realtime.room_members import MSG_PRIVATE_REFUSED
from fashionos.testing.clients import access_token_for
from logistics.models import CampaignMember
from logistics.services.members import member_remove

from .servers import live_unavailable_reason, server_start
from .support import run_sync

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 10.0


@pytest.fixture
def server(django_db_setup):
    reason = live_unavailable_reason()
    if reason:
        pytest.skip(reason)
    started = server_start()
    yield started
    started.stop()


async def _until(check) -> None:
    async with asyncio.timeout(WAIT_SECONDS):
        while not check():
            await asyncio.sleep(0.05)


class Member:
    """One realtime-py client on the campaign's private channel, recording what it hears."""

    def __init__(self, server, token: str, key: str, topic: str) -> None:
        self.client = AsyncRealtimeClient(f"{server.url}/realtime/v1", api_key_issue(role="anon"))
        self.token, self.key, self.topic = token, key, topic
        self.heard: list[str] = []
        self.states: list[tuple[RealtimeSubscribeStates, Exception | None]] = []

    async def join(self):
        await self.client.set_auth(self.token)
        await self.client.connect()
        config = {
            "broadcast": {"self": self.key == "owner", "ack": True},
            "presence": {"key": self.key, "enabled": True},
            "private": True,
        }
        self.channel = self.client.channel(self.topic, {"config": config})
        self.channel.on_broadcast("note", lambda m: self.heard.append(m["payload"]["text"]))
        self.channel.on_presence_sync(lambda: None)
        await self.channel.subscribe(lambda state, error: self.states.append((state, error)))
        return self.states[-1]


async def test_realtime_py_presence_broadcast_and_private_channels(server, cast):
    topic = f"campaign:{cast.campaign.pk}"
    owner = Member(server, await run_sync(access_token_for, cast.owner), "owner", topic)
    viewer = Member(server, await run_sync(access_token_for, cast.viewer), "viewer", topic)
    outsider = Member(server, await run_sync(access_token_for, cast.outsider), "outsider", topic)
    try:
        for member in (owner, viewer):
            state, error = await member.join()
            assert state == RealtimeSubscribeStates.SUBSCRIBED, error
        await owner.channel.track({"name": "Olive"})
        await viewer.channel.track({"name": "Victor"})
        both = {"owner", "viewer"}
        await _until(
            lambda: (
                set(owner.channel.presence_state()) == both
                and set(viewer.channel.presence_state()) == both
            )
        )
        assert viewer.channel.presence_state()["owner"][0]["name"] == "Olive"

        await owner.channel.send_broadcast("note", {"text": "hi"})
        await _until(lambda: "hi" in owner.heard and "hi" in viewer.heard)

        state, error = await outsider.join()
        assert state == RealtimeSubscribeStates.CHANNEL_ERROR
        assert MSG_PRIVATE_REFUSED.format(topic=topic) in str(error)

        membership = await run_sync(
            CampaignMember.objects.get, campaign=cast.campaign, user=cast.viewer
        )
        await run_sync(member_remove, member=membership)
        await _until(lambda: "viewer" not in owner.channel.presence_state())
        await owner.channel.send_broadcast("note", {"text": "after"})
        await _until(lambda: "after" in owner.heard)
        await asyncio.sleep(1.0)
        assert viewer.heard == ["hi"]
    finally:
        for member in (owner, viewer, outsider):
            await member.client.close()
