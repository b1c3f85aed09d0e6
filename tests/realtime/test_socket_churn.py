"""A bounded socket-churn soak (issue 11, item 8): rounds of sockets that join channels as
a member, a staff user and the anon key, send oversized, malformed and unknown frames, and
end in every way a socket can end. After each round the process's socket and hub tables are
back to empty; across rounds the Python heap does not grow with the number of sockets.

Bounded in count and time: ROUNDS x SOCKETS_PER_ROUND sockets, each a few frames."""

from __future__ import annotations

import gc
import json
import tracemalloc

import pytest

from fashionos.realtime import consumer as realtime_consumer
from fashionos.realtime.consumer import CLOSE_FRAME_TOO_LARGE
from fashionos.realtime.hub import hub_for_running_loop

from .test_socket_end import ENDINGS, all_zero, joined_socket, push, settled

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6
SOCKETS_PER_ROUND = 12
CHANNELS_PER_SOCKET = 4
WARMUP_ROUNDS = 2
# Heap growth allowed from the end of the warm-up to the end of the soak: far below what
# leaking the sockets would cost (the review: ~0.5 MB a socket with 100 channels).
HEAP_GROWTH_LIMIT_BYTES = 512 * 1024

MALFORMED = [
    "not json at all",
    "[]",
    '{"topic": 5}',
    json.dumps(["1", "1", "realtime:x", "phx_join", {"config": "nope"}]),
    json.dumps({"topic": "realtime:never-joined", "event": "broadcast", "payload": {}, "ref": "7"}),
    json.dumps(
        {"topic": "realtime:room-0", "event": "phx_join", "payload": {"config": 5}, "ref": "8"}
    ),
]


async def _abuse(communicator, monkeypatch) -> None:
    """Malformed frames the socket must survive (answered or ignored, never fatal)."""
    for text in MALFORMED:
        await communicator.send_to(text_data=text)
    await push(communicator, "phoenix", "heartbeat", {}, "hb")
    while True:  # drain the answers up to the heartbeat reply
        frame = json.loads(await communicator.receive_from(5))
        if frame.get("ref") == "hb":
            break


async def _round(number: int, readers: list[str | None], anon_key: str, monkeypatch) -> None:
    endings = sorted(ENDINGS)
    for index in range(SOCKETS_PER_ROUND):
        token = readers[index % len(readers)]
        communicator, _ = await joined_socket(anon_key, token, channels=CHANNELS_PER_SOCKET)
        await _abuse(communicator, monkeypatch)
        ending = ENDINGS[endings[(number + index) % len(endings)]]
        if "monkeypatch" in ending.__code__.co_varnames[: ending.__code__.co_argcount]:
            await ending(communicator, monkeypatch)
            monkeypatch.undo()
        else:
            await ending(communicator)
        del communicator


async def test_socket_churn_returns_every_table_to_empty_and_the_heap_stays_flat(
    cast, tokens, anon_key, monkeypatch
):
    readers = [tokens.owner, tokens.admin, None, tokens.viewer]
    hub = hub_for_running_loop()
    tracemalloc.start()
    try:
        baseline = None
        for number in range(ROUNDS):
            await _round(number, readers, anon_key, monkeypatch)
            state = await settled(hub)
            assert all_zero(state), (number, state)
            gc.collect()
            if number == WARMUP_ROUNDS - 1:
                baseline = tracemalloc.take_snapshot()
        final = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    growth = sum(stat.size_diff for stat in final.compare_to(baseline, "filename"))
    assert growth < HEAP_GROWTH_LIMIT_BYTES, growth
    # Still serving: a fresh socket after the churn joins and is closed for an oversized frame.
    communicator, _ = await joined_socket(anon_key, tokens.owner, channels=1)
    monkeypatch.setattr(realtime_consumer, "MAX_FRAME_CHARS", 1000)
    await push(communicator, "phoenix", "heartbeat", {"pad": "x" * 2000}, "big")
    assert (await communicator.receive_output(5))["code"] == CLOSE_FRAME_TOO_LARGE
    assert all_zero(await settled(hub))
    await communicator.disconnect()
