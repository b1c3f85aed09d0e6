"""Private channels (`config.private: true`) on `campaign:<id>`: the campaign's members, the
service key and staff join; anyone else is refused at join with Supabase's reason; a member
whose membership is revoked, whose session ends, or whose new token may not read the room is
closed out at once and hears nothing more; the process's tables return to empty."""

from __future__ import annotations

import time

import pytest

from fashionos.accounts import services as accounts_services
from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import access_token_issue
from fashionos.realtime import consumer_channels
from fashionos.realtime.hub import MSG_SESSION_ENDED, hub_for_running_loop
from fashionos.realtime.room_members import MSG_PRIVATE_REFUSED, MSG_PRIVATE_REVOKED
from logistics.models import CampaignMember
from logistics.services.members import member_remove

from .support import run_sync
from .test_socket_end import settled

pytestmark = pytest.mark.django_db(transaction=True)

VSNS = ["1.0.0", "2.0.0"]
REVOKE_HEARD_SECONDS = 0.5


async def _private(make, apikey, topic, token, vsn="1.0.0", **config):
    client = make(apikey=apikey, vsn=vsn)
    await client.connect()
    reply = await client.join_room(topic, access_token=token, private=True, **config)
    return client, reply


def _room(cast) -> str:
    return f"campaign:{cast.campaign.pk}"


@pytest.mark.parametrize("vsn", VSNS)
async def test_members_join_and_hear_each_other(vsn, cast, tokens, anon_key, phoenix_clients):
    topic = _room(cast)
    owner, reply = await _private(phoenix_clients, anon_key, topic, tokens.owner, vsn)
    assert reply.payload == {"status": "ok", "response": {"postgres_changes": []}}
    viewer, reply = await _private(phoenix_clients, anon_key, topic, tokens.viewer, vsn)
    assert reply.payload["status"] == "ok"

    await owner.send_broadcast(topic, "note", {"text": "hi"})
    assert (await viewer.receive_event("broadcast")).payload["payload"] == {"text": "hi"}


@pytest.mark.parametrize("who", ["service", "admin"])
async def test_the_service_key_and_staff_join_any_campaign(
    who, cast, tokens, anon_key, service_key, phoenix_clients
):
    if who == "service":
        _client, reply = await _private(phoenix_clients, service_key, _room(cast), None)
    else:
        _client, reply = await _private(phoenix_clients, anon_key, _room(cast), tokens.admin)
    assert reply.payload["status"] == "ok", reply


@pytest.mark.parametrize("vsn", VSNS)
@pytest.mark.parametrize("who", ["outsider", "anon"])
async def test_anyone_else_is_refused_at_join_with_supabases_reason(
    vsn, who, cast, tokens, anon_key, phoenix_clients
):
    token = tokens.outsider if who == "outsider" else None
    topic = _room(cast)
    member, _ = await _private(phoenix_clients, anon_key, topic, tokens.owner, vsn)
    client, reply = await _private(phoenix_clients, anon_key, topic, token, vsn)

    assert reply.payload == {
        "status": "error",
        "response": {"reason": MSG_PRIVATE_REFUSED.format(topic=topic)},
    }
    assert reply.payload["response"]["reason"] == (
        "Unauthorized: You do not have permissions to read from this Channel topic: " + topic
    )
    # Not a member of the room: a broadcast there neither reaches it nor is taken from it.
    await member.send_broadcast(topic, "secret", {})
    assert await client.quiet()
    await client.send_broadcast(topic, "intrusion", {}, ref="77")
    assert (await client.reply_to("77")).payload["status"] == "error"
    assert await member.quiet()
    hub = hub_for_running_loop()
    assert hub.rooms.table_sizes()["room_members"] == 1


@pytest.mark.parametrize("subtopic", ["lobby", "campaign:", "campaign:not-a-campaign"])
async def test_a_private_topic_that_is_not_a_members_campaign_is_refused(
    subtopic, cast, tokens, anon_key, phoenix_clients
):
    _client, reply = await _private(phoenix_clients, anon_key, subtopic, tokens.owner)
    assert reply.payload == {
        "status": "error",
        "response": {"reason": MSG_PRIVATE_REFUSED.format(topic=subtopic)},
    }


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_revoked_member_is_closed_out_at_once(vsn, cast, tokens, anon_key, phoenix_clients):
    topic = _room(cast)
    owner, _ = await _private(phoenix_clients, anon_key, topic, tokens.owner, vsn)
    viewer, _ = await _private(
        phoenix_clients, anon_key, topic, tokens.viewer, vsn, presence=True, presence_key="v"
    )
    await viewer.receive_event("presence_state")
    await viewer.send_presence(topic, "track", {"here": True})
    await viewer.receive_event("presence_diff")

    membership = await run_sync(
        CampaignMember.objects.get, campaign=cast.campaign, user=cast.viewer
    )
    await run_sync(member_remove, member=membership)

    system = await viewer.receive_event("system")
    assert system.payload == {
        "channel": topic,
        "extension": "system",
        "message": MSG_PRIVATE_REVOKED.format(topic=topic),
        "status": "error",
    }
    closed = await viewer.receive_event("phx_close")
    assert closed.topic == f"realtime:{topic}"
    await owner.send_broadcast(topic, "after", {})
    assert await viewer.quiet()
    state = await settled(hub_for_running_loop())
    assert state["room_members"] == 1
    assert state["room_users"] == 1  # the owner's


async def test_a_revoke_while_the_join_loads_refuses_it(
    cast, tokens, anon_key, phoenix_clients, monkeypatch
):
    """The revoke lands after the member's reader was read and before it is admitted."""
    real = consumer_channels.reader_load
    membership = await run_sync(
        CampaignMember.objects.get, campaign=cast.campaign, user=cast.viewer
    )

    hub = hub_for_running_loop()

    def reader_load_then_revoke(claims):
        reader = real(claims)  # still a member here
        if hub.rooms._by_user.get(str(cast.viewer.pk)):  # the room's own load, not the token's
            member_remove(member=membership)
            time.sleep(REVOKE_HEARD_SECONDS)  # the hub hears the revoke meanwhile
        return reader

    monkeypatch.setattr(consumer_channels, "reader_load", reader_load_then_revoke)
    _client, reply = await _private(phoenix_clients, anon_key, _room(cast), tokens.viewer)
    assert reply.payload["response"] == {"reason": MSG_PRIVATE_REFUSED.format(topic=_room(cast))}
    state = await settled(hub)
    assert state["room_members"] == 0 and state["room_users"] == 0


def _signed_in(user) -> tuple[str, AuthSession]:
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.id)
    return token, session


async def test_signing_out_closes_the_private_channel(cast, anon_key, phoenix_clients):
    token, session = await run_sync(_signed_in, cast.editor)
    client, reply = await _private(phoenix_clients, anon_key, _room(cast), token)
    assert reply.payload["status"] == "ok"

    await run_sync(
        accounts_services.session_sign_out, session_id=session.pk, user=cast.editor, scope="local"
    )

    system = await client.receive_event("system")
    assert system.payload["message"] == MSG_SESSION_ENDED
    await client.receive_event("phx_close")


async def test_a_new_token_of_someone_else_closes_the_private_channel(
    cast, tokens, anon_key, phoenix_clients
):
    topic = _room(cast)
    client, _ = await _private(phoenix_clients, anon_key, topic, tokens.owner)
    join_ref = client.join_refs[f"realtime:{topic}"]
    await client.push(
        f"realtime:{topic}",
        "access_token",
        {"access_token": tokens.outsider},
        ref="50",
        join_ref=join_ref,
    )
    system = await client.receive_event("system")
    assert system.payload["message"] == MSG_PRIVATE_REVOKED.format(topic=topic)
    await client.receive_event("phx_close")
    state = await settled(hub_for_running_loop())
    assert state["room_members"] == 0


async def test_every_private_member_leaving_empties_the_tables(
    cast, tokens, anon_key, phoenix_clients
):
    topic = _room(cast)
    clients = []
    for token in (tokens.owner, tokens.editor, tokens.viewer):
        client, _ = await _private(
            phoenix_clients, anon_key, topic, token, presence=True, presence_key=token[-8:]
        )
        await client.receive_event("presence_state")
        await client.send_presence(topic, "track", {})
        clients.append(client)
    for client in clients:
        await client.close()
    state = await settled(hub_for_running_loop())
    assert not any(state.values()), state
