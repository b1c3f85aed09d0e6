"""The hub when the channel layer hangs (a Redis that accepts and never answers) rather than
refuses: every call into the layer is bounded, so a socket or a join hears a refusal within
seconds instead of waiting forever, and the hub recovers by itself once the layer answers."""

from __future__ import annotations

import asyncio
import time

import pytest

from fashionos.realtime import consumer as realtime_consumer
from fashionos.realtime import hub_groups
from fashionos.realtime.consumer import CLOSE_TRY_AGAIN_LATER
from fashionos.realtime.groups import MESSAGE_BARRIER
from fashionos.realtime.hub import hub_for_running_loop
from logistics.models import Sample
from logistics.services.samples import sample_update
from logistics.tests.factories import SampleFactory

from .support import SAMPLES_ALL, PhoenixClient, run_sync

pytestmark = pytest.mark.django_db(transaction=True)

LAYER_TIMEOUT = 0.3  # the hub's bound on one layer call, shortened for the test
BOUND = 3.0  # what a client may wait for a refusal here


class Hang:
    """Makes one method of the hub's channel layer hang while `on`."""

    def __init__(self, monkeypatch, layer, method: str) -> None:
        self.on = True
        real = getattr(layer, method)

        async def maybe_hang(*args, **kwargs):
            if self.on:
                await asyncio.sleep(3600)
            return await real(*args, **kwargs)

        monkeypatch.setattr(layer, method, maybe_hang, raising=False)


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch):
    monkeypatch.setattr(hub_groups, "LAYER_CALL_TIMEOUT_SECONDS", LAYER_TIMEOUT)
    monkeypatch.setattr(hub_groups, "GROUP_JOIN_TIMEOUT_SECONDS", 2 * LAYER_TIMEOUT)


async def _update(sample: Sample, **data) -> None:
    fresh = await run_sync(Sample.objects.get, pk=sample.pk)
    await run_sync(sample_update, sample=fresh, data=data)


async def test_a_socket_that_gave_up_on_a_hung_start_does_not_wedge_the_hub(
    cast, anon_key, monkeypatch
):
    """The socket's own wait is shorter than the hub's: it gives up first. The hub's opening
    must still end (and be retried) rather than stay pending for every later socket."""
    monkeypatch.setattr(realtime_consumer, "HUB_START_TIMEOUT_SECONDS", LAYER_TIMEOUT / 3)
    hang = Hang(monkeypatch, hub_for_running_loop().layer, "new_channel")

    first = PhoenixClient(apikey=anon_key)
    started = time.monotonic()
    await first.connect()
    closed = await first.receive_close(timeout=BOUND)
    assert closed["code"] == CLOSE_TRY_AGAIN_LATER
    assert time.monotonic() - started < BOUND
    await first.close()

    hang.on = False  # Redis answers again
    await asyncio.sleep(LAYER_TIMEOUT * 2)  # the hung opening times out meanwhile
    monkeypatch.setattr(realtime_consumer, "HUB_START_TIMEOUT_SECONDS", 5.0)
    second = PhoenixClient(apikey=anon_key)
    await second.connect()
    try:
        await second.subscribe("samples", [SAMPLES_ALL])
    finally:
        await second.close()


@pytest.mark.parametrize("method", ["group_add", "group_send"])
async def test_a_join_while_the_layer_hangs_is_refused_in_bounded_time_and_recovers(
    method, cast, tokens, anon_key, phoenix_clients, monkeypatch
):
    client = phoenix_clients(apikey=anon_key)
    await client.connect()
    hang = Hang(monkeypatch, hub_for_running_loop().layer, method)

    started = time.monotonic()
    reply = await client.join("samples", [SAMPLES_ALL], access_token=tokens.owner)
    assert time.monotonic() - started < BOUND
    assert reply.payload["status"] == "error"
    assert reply.payload["response"]["reason"].startswith("RealtimeUnavailable")

    # The socket is still served: a heartbeat is answered.
    ref = client.next_ref()
    await client.push("phoenix", "heartbeat", {}, ref=ref)
    heartbeat = await client.receive_event("phx_reply", timeout=BOUND)
    assert heartbeat.ref == ref

    hang.on = False
    await client.subscribe("samples-again", [SAMPLES_ALL], access_token=tokens.owner)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    change = await client.change()
    assert change.payload["data"]["record"]["status"] == "arrived"


async def test_a_hung_leave_does_not_block_later_joins(
    cast, tokens, anon_key, phoenix_clients, monkeypatch
):
    """Leaving holds the hub's group lock; a leave that never returns used to hold it for
    good, so no socket of the process could join again even after Redis came back."""
    hub = hub_for_running_loop()
    client = phoenix_clients(apikey=anon_key)
    await client.connect()
    await client.subscribe("samples", [SAMPLES_ALL], access_token=tokens.owner)
    hang = Hang(monkeypatch, hub.layer, "group_discard")
    ref = client.next_ref()
    await client.push("realtime:samples", "phx_leave", {}, ref=ref)
    assert (await client.receive_event("phx_reply")).payload["status"] == "ok"
    hang.on = False  # Redis is back; the leaves already sent are still hanging
    await asyncio.sleep(LAYER_TIMEOUT * 3)

    started = time.monotonic()
    await client.subscribe("samples", [SAMPLES_ALL], access_token=tokens.owner)
    assert time.monotonic() - started < BOUND
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="on_set")
    assert (await client.change()).payload["data"]["record"]["status"] == "on_set"


async def test_a_join_whose_first_marker_is_lost_is_still_live_and_heard(
    cast, tokens, anon_key, phoenix_clients, monkeypatch
):
    """With Redis pub/sub a group's SUBSCRIBE is not acknowledged and travels on another
    connection than the marker's PUBLISH, so the first marker can reach Redis before the
    subscription and be lost (seen through a TCP proxy in tests/test_degradation.py). The
    hub sends the marker again until one comes back, instead of refusing the join after
    BARRIER_TIMEOUT_SECONDS."""
    monkeypatch.setattr(
        hub_groups, "GROUP_JOIN_TIMEOUT_SECONDS", hub_groups.BARRIER_TIMEOUT_SECONDS
    )
    layer = hub_for_running_loop().layer
    real_send = layer.group_send
    lost: list[str] = []

    async def lose_first_marker_of_each_group(group, message):
        if message.get("type") == MESSAGE_BARRIER and group not in lost:
            lost.append(group)  # published before the subscription: nobody hears it
            return None
        return await real_send(group, message)

    monkeypatch.setattr(layer, "group_send", lose_first_marker_of_each_group, raising=False)
    client = phoenix_clients(apikey=anon_key)
    await client.connect()

    started = time.monotonic()
    await client.subscribe("samples", [SAMPLES_ALL], access_token=tokens.owner)
    assert lost, "the join sent no marker"
    # Heard through a resent marker, not after waiting out the barrier's timeout.
    assert time.monotonic() - started < hub_groups.BARRIER_TIMEOUT_SECONDS
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    assert (await client.change()).payload["data"]["record"]["status"] == "arrived"
