"""Who hears what: row-level security for changes, decided from memberships held in memory,
kept current on open sockets as memberships change, after commit only."""

from __future__ import annotations

import asyncio

import pytest
from django.db import transaction

from fashionos.accounts.services import user_delete
from fashionos.realtime import hub as realtime_hub
from fashionos.realtime import protocol
from fashionos.realtime.groups import user_group
from fashionos.realtime.hub import hub_for_running_loop
from logistics.models import CampaignMember, CampaignRole, Sample
from logistics.services.campaigns import campaign_create
from logistics.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
)
from logistics.services.members import member_add, member_remove
from logistics.services.samples import sample_create, sample_delete, sample_update
from logistics.tests.factories import SampleFactory, TaskFactory

from .support import SAMPLES_ALL, run_sync

pytestmark = pytest.mark.django_db(transaction=True)


async def _update(sample: Sample, **data) -> None:
    fresh = await run_sync(Sample.objects.get, pk=sample.pk)
    await run_sync(sample_update, sample=fresh, data=data)


async def _membership_settled(user) -> None:
    """Wait until this process's hub has applied every membership message sent so far."""
    await hub_for_running_loop().caught_up(user_group(str(user.pk)))


async def _subscribed(make, apikey, token, bindings=None, vsn="1.0.0"):
    client = make(apikey=apikey, vsn=vsn)
    await client.connect()
    await client.subscribe("samples", bindings or [SAMPLES_ALL], access_token=token)
    return client


async def test_an_outsider_hears_only_their_own_campaign(cast, tokens, anon_key, phoenix_clients):
    outsider = await _subscribed(phoenix_clients, anon_key, tokens.outsider)
    theirs = await run_sync(SampleFactory, campaign=cast.other_campaign)
    ours = await run_sync(SampleFactory, campaign=cast.campaign)

    await _update(ours, status="arrived")
    assert await outsider.quiet()
    await _update(theirs, status="arrived")
    change = await outsider.change()
    assert change.payload["data"]["record"]["id"] == str(theirs.pk)


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
async def test_every_member_role_hears_its_campaign(role, cast, tokens, anon_key, phoenix_clients):
    client = await _subscribed(phoenix_clients, anon_key, getattr(tokens, role))
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    await client.change()


async def test_a_delete_is_not_sent_to_non_members(cast, tokens, anon_key, phoenix_clients):
    deletes = [{"event": "DELETE", "schema": "public", "table": "samples"}]
    outsider = await _subscribed(phoenix_clients, anon_key, tokens.outsider, deletes)
    member = await _subscribed(phoenix_clients, anon_key, tokens.viewer, deletes)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await run_sync(sample_delete, sample=sample)
    change = await member.change()
    assert change.payload["data"]["type"] == "DELETE"
    assert await outsider.quiet()


async def test_a_revoked_member_stops_hearing_without_reconnecting(
    cast, tokens, anon_key, phoenix_clients
):
    viewer = await _subscribed(phoenix_clients, anon_key, tokens.viewer)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    await viewer.change()

    membership = await run_sync(
        CampaignMember.objects.get, campaign=cast.campaign, user=cast.viewer
    )
    await run_sync(member_remove, member=membership)
    # No wait needed: the membership message is published (and handled) before the change.
    await _update(sample, status="on_set")
    assert await viewer.quiet()


async def test_a_new_member_starts_hearing_without_reconnecting(
    cast, tokens, anon_key, phoenix_clients
):
    outsider = await _subscribed(phoenix_clients, anon_key, tokens.outsider)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    assert await outsider.quiet()

    await run_sync(member_add, campaign=cast.campaign, user=cast.outsider, role=CampaignRole.VIEWER)
    await _membership_settled(cast.outsider)
    await _update(sample, status="on_set")
    change = await outsider.change()
    assert change.payload["data"]["record"]["status"] == "on_set"


async def test_an_invitee_hears_nothing_until_they_accept(cast, tokens, anon_key, phoenix_clients):
    outsider = await _subscribed(phoenix_clients, anon_key, tokens.outsider)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    invitation = await run_sync(
        invitation_create,
        campaign=cast.campaign,
        email=cast.outsider.email,
        role=CampaignRole.VIEWER,
        invited_by=cast.owner,
    )
    await _membership_settled(cast.outsider)
    await _update(sample, status="arrived")
    assert await outsider.quiet()
    declined_elsewhere = await run_sync(
        invitation_create,
        campaign=cast.campaign,
        email="someone.else@example.com",
        role=CampaignRole.VIEWER,
        invited_by=cast.owner,
    )
    await run_sync(invitation_decline, invitation=declined_elsewhere)
    await _update(sample, status="in_transit")
    assert await outsider.quiet()

    await run_sync(invitation_accept, invitation=invitation, user=cast.outsider)
    await _membership_settled(cast.outsider)
    await _update(sample, status="on_set")
    change = await outsider.change()
    assert change.payload["data"]["record"]["status"] == "on_set"


async def test_membership_changes_reach_every_socket_of_the_user(
    cast, tokens, anon_key, phoenix_clients
):
    first = await _subscribed(phoenix_clients, anon_key, tokens.viewer)
    second = await _subscribed(phoenix_clients, anon_key, tokens.viewer, vsn="2.0.0")
    membership = await run_sync(
        CampaignMember.objects.get, campaign=cast.campaign, user=cast.viewer
    )
    await run_sync(member_remove, member=membership)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    assert await first.quiet()
    assert await second.quiet()


async def test_a_new_campaign_is_heard_by_its_creator_at_once(
    cast, tokens, anon_key, phoenix_clients
):
    owner = await _subscribed(phoenix_clients, anon_key, tokens.owner)
    campaign = await run_sync(campaign_create, owner=cast.owner, name="Pre-fall")
    await _membership_settled(cast.owner)
    await run_sync(sample_create, campaign=campaign, data={"name": "Cape"})
    change = await owner.change()
    assert change.payload["data"]["record"]["campaign_id"] == str(campaign.pk)


async def test_a_rolled_back_write_is_never_announced(cast, tokens, anon_key, phoenix_clients):
    owner = await _subscribed(phoenix_clients, anon_key, tokens.owner)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)

    class Abandon(Exception):
        pass

    def rolled_back():
        with transaction.atomic():
            sample_update(sample=Sample.objects.get(pk=sample.pk), data={"notes": "no"})
            raise Abandon

    with pytest.raises(Abandon):
        await run_sync(rolled_back)
    await _update(sample, notes="yes")
    change = await owner.change()
    assert change.payload["data"]["record"]["notes"] == "yes"
    assert await owner.quiet()


async def test_a_change_inside_an_outer_transaction_waits_for_its_commit(
    cast, tokens, anon_key, phoenix_clients
):
    owner = await _subscribed(phoenix_clients, anon_key, tokens.owner)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)

    def two_writes_one_transaction():
        with transaction.atomic():
            sample_update(sample=Sample.objects.get(pk=sample.pk), data={"priority": 1})
            sample_update(sample=Sample.objects.get(pk=sample.pk), data={"priority": 2})

    await run_sync(two_writes_one_transaction)
    first, second = await owner.change(), await owner.change()
    assert first.payload["data"]["record"]["priority"] == 1
    assert second.payload["data"]["record"]["priority"] == 2


@pytest.mark.parametrize("reader", ["admin", "service"])
async def test_staff_and_the_service_key_hear_every_campaign(
    reader, cast, tokens, anon_key, service_key, phoenix_clients
):
    token = tokens.admin if reader == "admin" else service_key
    client = await _subscribed(phoenix_clients, anon_key, token)
    for campaign in (cast.campaign, cast.other_campaign):
        sample = await run_sync(SampleFactory, campaign=campaign)
        await _update(sample, status="arrived")
        change = await client.change()
        assert change.payload["data"]["record"]["campaign_id"] == str(campaign.pk)
    assert await client.quiet()  # once each, not once per group


async def test_a_see_all_reader_and_a_member_on_one_socket_each_hear_once(
    cast, tokens, anon_key, service_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key)
    await client.connect()
    await client.subscribe("as-service", [SAMPLES_ALL], access_token=service_key)
    await client.subscribe("as-owner", [SAMPLES_ALL], access_token=tokens.owner)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    topics = sorted([(await client.change()).topic, (await client.change()).topic])
    assert topics == ["realtime:as-owner", "realtime:as-service"]
    assert await client.quiet()


async def test_one_channel_layer_message_and_one_encoding_per_change(
    cast, tokens, anon_key, phoenix_clients, monkeypatch
):
    """The fan-out of DESIGN.md section 7: whatever the number of subscribers, a change is one
    message to the campaign group (plus one to the see-all group) and one frame encoding per
    distinct (vsn, topic, ids)."""
    clients = [await _subscribed(phoenix_clients, anon_key, tokens.viewer) for _ in range(20)]
    hub = hub_for_running_loop()
    sent: list[str] = []
    original_group_send = hub.layer.group_send

    async def counting_group_send(group, message):
        if message.get("type") == "rt.change":
            sent.append(group)
        await original_group_send(group, message)

    monkeypatch.setattr(hub.layer, "group_send", counting_group_send, raising=False)
    encodings = []
    original_encode = protocol.push_frame_encode

    def counting_encode(*args):
        encodings.append(args[:2])
        return original_encode(*args)

    monkeypatch.setattr(realtime_hub, "push_frame_encode", counting_encode)

    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    frames = {(await client.receive_raw()) for client in clients}
    assert len(frames) == 1  # the same bytes for every subscriber
    assert sorted(sent) == sorted([f"rt.campaign.{cast.campaign.pk}", "rt.all"])
    assert encodings == [("1.0.0", "realtime:samples")]


async def test_the_hub_leaves_every_group_once_its_sockets_are_gone(
    cast, tokens, anon_key, service_key, phoenix_clients
):
    owner = await _subscribed(phoenix_clients, anon_key, tokens.owner)
    outsider = await _subscribed(phoenix_clients, anon_key, tokens.outsider)
    service = await _subscribed(phoenix_clients, anon_key, service_key)
    hub = hub_for_running_loop()
    # owner's user group + outsider's + both campaigns + the see-all group + the room of the
    # topic all three joined (broadcast and presence)
    assert hub.stats()["groups"] == 6

    # A grant and a revoke back to back leave the counts as they were.
    await run_sync(member_add, campaign=cast.campaign, user=cast.outsider, role=CampaignRole.VIEWER)
    membership = await run_sync(
        CampaignMember.objects.get, campaign=cast.campaign, user=cast.outsider
    )
    await run_sync(member_remove, member=membership)
    await _membership_settled(cast.outsider)
    assert hub.stats()["groups"] == 6

    for client in (owner, outsider, service):
        await client.close()
    while hub._tasks:  # the leaves run in the background
        await asyncio.gather(*list(hub._tasks))
    assert hub.stats() == {"campaigns": 0, "sees_all": 0, "users": 0, "groups": 0}


TASKS_ALL = {"event": "*", "schema": "public", "table": "tasks"}


async def test_a_deleted_user_stops_hearing_and_the_others_hear_their_tasks_unassigned(
    cast, tokens, anon_key, phoenix_clients
):
    """Deleting a user (the back office deletes through `user_delete`) revokes their
    memberships on open sockets at once, as a member's removal does, and announces the
    unassignment of their tasks to everyone else."""
    viewer = await _subscribed(phoenix_clients, anon_key, tokens.viewer)
    owner = phoenix_clients(apikey=anon_key)
    await owner.connect()
    await owner.subscribe("tasks", [TASKS_ALL], access_token=tokens.owner)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    task = await run_sync(TaskFactory, campaign=cast.campaign, assignee=cast.viewer)
    await _update(sample, status="arrived")
    await viewer.change()

    await run_sync(user_delete, user=cast.viewer)
    change = await owner.change()
    assert change.payload["data"]["type"] == "UPDATE"
    assert change.payload["data"]["record"]["id"] == str(task.pk)
    assert change.payload["data"]["record"]["assignee_id"] is None
    # Their sessions went with them: the channel is closed, as for a signed-out session.
    assert (await viewer.receive_event("system")).payload["status"] == "error"
    await viewer.receive_event("phx_close")
    await _update(sample, status="on_set")
    assert await viewer.quiet()
