"""Every way a socket ends frees what it held, and every close code the server sends is one a
server may send (issue 11, item 1).

The review found a frame over the size bound answered with close code 1009, which autobahn
(daphne) refuses to send: the consumer died with an exception, the client saw 1011, and
`disconnect()` never ran, so the socket's subscriptions, groups and expiry timers stayed for
good. Here the application's `send` refuses those codes exactly as autobahn does, so the same
failure shows up under the test communicator.
"""

from __future__ import annotations

import asyncio
import gc
import json
import traceback
import weakref

import pytest
from channels.testing import WebsocketCommunicator

from fashionos.realtime import consumer as realtime_consumer
from fashionos.realtime import consumer_channels
from fashionos.realtime.consumer import (
    CLOSE_CODES,
    CLOSE_FRAME_TOO_LARGE,
    close_code_allowed,
    sockets_stats,
)
from fashionos.realtime.hub import hub_for_running_loop

from .support import SAMPLES_ALL

pytestmark = pytest.mark.django_db(transaction=True)

SETTLE_SECONDS = 5.0
TASKS_ALL = {"event": "*", "schema": "public", "table": "tasks"}


class InvalidCloseCode(Exception):
    pass


def strict_close_codes(app):
    """`app` behind a `send` that refuses close codes a server may not send, with
    autobahn's own words (daphne then fails the socket with 1011)."""

    async def wrapped(scope, receive, send):
        async def checked(message):
            if message["type"] == "websocket.close":
                code = message.get("code", 1000)
                if not close_code_allowed(code):
                    raise InvalidCloseCode(f"invalid close code {code}")
            await send(message)

        await app(scope, receive, checked)

    return wrapped


def socket(apikey: str) -> WebsocketCommunicator:
    from fashionos.asgi import application

    return WebsocketCommunicator(
        strict_close_codes(application), f"/realtime/v1/websocket?apikey={apikey}&vsn=1.0.0"
    )


async def push(communicator, topic: str, event: str, payload, ref: str) -> None:
    frame = {"topic": topic, "event": event, "payload": payload, "ref": ref, "join_ref": ref}
    await communicator.send_to(text_data=json.dumps(frame))


async def join(communicator, topic: str, *, token: str | None = None, ref: str = "1") -> None:
    payload = {"config": {"postgres_changes": [SAMPLES_ALL, TASKS_ALL]}}
    if token is not None:
        payload["access_token"] = token
    await push(communicator, f"realtime:{topic}", "phx_join", payload, ref)
    reply = json.loads(await communicator.receive_from(5))
    assert reply["event"] == "phx_reply" and reply["payload"]["status"] == "ok", reply
    system = json.loads(await communicator.receive_from(5))
    assert system["event"] == "system", system


async def settled(hub) -> dict[str, int]:
    """The socket and hub tables once the background group leaves are done."""
    deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
    while hub._tasks and asyncio.get_running_loop().time() < deadline:
        await asyncio.gather(*list(hub._tasks), return_exceptions=True)
    return {**sockets_stats(), **hub.table_sizes()}


def all_zero(state: dict[str, int]) -> bool:
    return not any(state.values())


async def joined_socket(apikey: str, token: str | None, channels: int):
    """A connected socket with `channels` channels joined; returns it and a weak reference
    to its consumer."""
    communicator = socket(apikey)
    connected, _ = await communicator.connect()
    assert connected
    for number in range(channels):
        await join(communicator, f"room-{number}", token=token, ref=str(number + 1))
    (consumer,) = [s for s in realtime_consumer._sockets.values() if s.channels]
    return communicator, weakref.ref(consumer)


def test_every_close_code_is_one_a_server_may_send():
    assert all(close_code_allowed(code) for code in CLOSE_CODES)
    assert all(4000 <= code <= 4999 for code in CLOSE_CODES)
    assert not close_code_allowed(1009) and not close_code_allowed(1013)
    assert not close_code_allowed(1011) and close_code_allowed(1000)
    assert not close_code_allowed(2999) and not close_code_allowed(5000)


async def test_an_oversized_frame_closes_with_an_allowed_code_and_frees_the_socket(
    cast, tokens, anon_key, monkeypatch
):
    monkeypatch.setattr(realtime_consumer, "MAX_FRAME_CHARS", 1000)
    communicator, consumer = await joined_socket(anon_key, tokens.owner, channels=3)
    hub = hub_for_running_loop()
    assert hub.table_sizes()["campaign_subscriptions"] == 3

    await push(communicator, "phoenix", "heartbeat", {"pad": "x" * 2000}, "9")
    closed = await communicator.receive_output(5)
    assert closed == {
        "type": "websocket.close",
        "code": CLOSE_FRAME_TOO_LARGE,
        "reason": "Frame too large: at most 1000 characters.",
    }
    # Freed at once, before the client answers the close (a client may never answer).
    assert all_zero(await settled(hub)), await settled(hub)
    await communicator.disconnect()
    del communicator
    gc.collect()
    assert consumer() is None  # nothing (a timer, a task, the hub) keeps the consumer


async def test_an_oversized_binary_frame_closes_the_socket_too(anon_key, monkeypatch):
    monkeypatch.setattr(realtime_consumer, "MAX_FRAME_CHARS", 1000)
    communicator = socket(anon_key)
    assert (await communicator.connect())[0]
    await communicator.send_to(bytes_data=b"x" * 2000)
    closed = await communicator.receive_output(5)
    assert closed["code"] == CLOSE_FRAME_TOO_LARGE
    assert all_zero(sockets_stats())
    await communicator.disconnect()


async def _end_by_client_close(communicator):
    await communicator.disconnect(code=1000)


async def _end_by_protocol_violation(communicator):
    # autobahn fails the connection (1002) and daphne reports the disconnect.
    await communicator.disconnect(code=1002)


async def _end_by_abnormal_drop(communicator):
    # The ping timeout or a dropped TCP connection: no close frame at all.
    await communicator.disconnect(code=1006)


async def _end_by_error(communicator, monkeypatch):
    def broken(text, vsn):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(realtime_consumer, "frame_decode", broken)
    await communicator.send_to(text_data="{}")
    try:
        await communicator.wait(5)
    except RuntimeError as exc:
        # The test's own hold on the failure (its traceback's frames) is not a leak: the
        # server logs the exception and drops the application's future.
        traceback.clear_frames(exc.__traceback__)
    else:
        pytest.fail("the handler's exception did not end the consumer")


async def _end_by_server_cancel(communicator):
    # The server shutting down, or daphne's application_close_timeout.
    communicator.future.cancel()
    try:
        await communicator.future
    except asyncio.CancelledError as exc:
        traceback.clear_frames(exc.__traceback__)
    else:
        pytest.fail("the consumer was not cancelled")


async def _end_by_oversized_frame(communicator, monkeypatch):
    monkeypatch.setattr(realtime_consumer, "MAX_FRAME_CHARS", 10)
    await push(communicator, "phoenix", "heartbeat", {}, "99")
    # Frames sent before the oversized one (a presence diff, a broadcast echoed to its
    # sender) may still be queued ahead of the close.
    while (output := await communicator.receive_output(5))["type"] != "websocket.close":
        assert output["type"] == "websocket.send", output
    assert output["code"] == CLOSE_FRAME_TOO_LARGE
    await communicator.disconnect(code=CLOSE_FRAME_TOO_LARGE)


ENDINGS = {
    "client_close": _end_by_client_close,
    "protocol_violation": _end_by_protocol_violation,
    "abnormal_drop": _end_by_abnormal_drop,
    "error": _end_by_error,
    "server_cancel": _end_by_server_cancel,
    "oversized_frame": _end_by_oversized_frame,
}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.parametrize("reader", ["owner", "admin", "anon"])
async def test_every_way_a_socket_ends_frees_its_state(
    ending, reader, cast, tokens, anon_key, monkeypatch
):
    token = None if reader == "anon" else getattr(tokens, reader)
    communicator, consumer = await joined_socket(anon_key, token, channels=3)
    hub = hub_for_running_loop()
    assert sockets_stats()["channels"] == 3 and sockets_stats()["timers"] == 3

    end = ENDINGS[ending]
    if "monkeypatch" in end.__code__.co_varnames[: end.__code__.co_argcount]:
        await end(communicator, monkeypatch)
    else:
        await end(communicator)

    state = await settled(hub)
    assert all_zero(state), state
    del communicator
    gc.collect()
    assert consumer() is None


async def test_a_join_in_flight_when_the_server_cancels_leaves_nothing(
    cast, tokens, anon_key, monkeypatch
):
    """The consumer is cancelled while its reader loads: the half-made subscription goes."""
    from fashionos.realtime import access

    started = asyncio.Event()
    real = access.reader_load

    def slow_reader_load(claims):
        started.set()
        import time

        time.sleep(0.3)
        return real(claims)

    monkeypatch.setattr(consumer_channels, "reader_load", slow_reader_load)
    communicator = socket(anon_key)
    assert (await communicator.connect())[0]
    payload = {"config": {"postgres_changes": [SAMPLES_ALL]}, "access_token": tokens.owner}
    await push(communicator, "realtime:samples", "phx_join", payload, "1")
    await asyncio.wait_for(started.wait(), 5)
    communicator.future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await communicator.future
    await asyncio.sleep(0.5)  # the reader thread finishes
    state = await settled(hub_for_running_loop())
    assert all_zero(state), state
