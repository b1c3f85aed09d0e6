"""The hub's place on the channel layer: its channel, the groups it is a member of, and the
markers (barriers) that prove a group is heard.

A group is joined when its first local need appears and left when the last goes; every call
into the channel layer is bounded, and failures are reported once a minute (`OutageReport`).
`Hub` (hub.py) builds on `HubGroups` with the subscriptions and the dispatch of messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable
from typing import Any

from channels.layers import get_channel_layer

from fashionos.realtime.groups import MESSAGE_BARRIER

logger = logging.getLogger("fashionos.realtime")

BARRIER_TIMEOUT_SECONDS = 5.0
BARRIER_RESEND_FIRST_SECONDS = 0.1
BARRIER_RESEND_MAX_SECONDS = 1.0
# Every call into the channel layer is bounded: a Redis that accepts connections and never
# answers must turn into a refusal the client hears, not a join (or a hub) that hangs forever.
LAYER_CALL_TIMEOUT_SECONDS = 2.0
GROUP_JOIN_TIMEOUT_SECONDS = LAYER_CALL_TIMEOUT_SECONDS + BARRIER_TIMEOUT_SECONDS
RECEIVE_RETRY_SECONDS = 1.0

MSG_UNAVAILABLE = "Realtime is unavailable right now; try again."


class HubUnavailable(RuntimeError):
    """A group could not be joined (channel layer down)."""


OUTAGE_REPORT_INTERVAL_SECONDS = 60.0


class OutageReport:
    """Logs a channel-layer failure once per interval, with how many were suppressed, so an
    outage is one warning a minute rather than one per socket."""

    def __init__(self, interval: float = OUTAGE_REPORT_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._last: float | None = None
        self._suppressed = 0

    def failed(self, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.interval:
            self._suppressed += 1
            return
        suppressed, self._suppressed, self._last = self._suppressed, 0, now
        logger.warning(
            "realtime hub: %s: %s (%d similar failure(s) since the last report)",
            what,
            exc,
            suppressed,
        )

    def recovered(self) -> None:
        self._last, self._suppressed = None, 0


class HubGroups:
    """One process's (one event loop's) channel-layer channel and group memberships."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.layer = get_channel_layer()
        self.channel_name: str | None = None
        self._started: asyncio.Future | None = None
        self._receiver: asyncio.Task | None = None
        self._group_refs: dict[str, int] = defaultdict(int)
        self._group_live: dict[str, asyncio.Future] = {}
        self._group_lock = asyncio.Lock()
        self._barriers: dict[str, asyncio.Future] = {}
        self._tasks: set[asyncio.Task] = set()
        self.outage = OutageReport()

    async def _dispatch(self, message: dict[str, Any]) -> None:
        raise NotImplementedError

    def _barrier_heard(self, message: dict[str, Any]) -> None:
        heard = self._barriers.get(message.get("token"))
        if heard is not None and not heard.done():
            heard.set_result(None)

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Return once the hub listens on the channel layer; raise HubUnavailable if it cannot
        within LAYER_CALL_TIMEOUT_SECONDS. The opening runs in a task of its own, so a caller
        that gives up waiting (a socket's own timeout) never leaves it half done; after a
        failure the next call tries again."""
        if self._started is None:
            self._started = self.loop.create_future()
            self._spawn(self._open(self._started))
        await asyncio.shield(self._started)

    async def _open(self, started: asyncio.Future) -> None:
        try:
            self.channel_name = await asyncio.wait_for(
                self.layer.new_channel("rt.hub."), LAYER_CALL_TIMEOUT_SECONDS
            )
        except Exception as exc:
            self.outage.failed("could not open a channel", exc)
            if self._started is started:
                self._started = None
            started.set_exception(HubUnavailable(MSG_UNAVAILABLE))
            started.exception()  # retrieved: waiters get it through the shield
        else:
            self._receiver = self.loop.create_task(self._receive_forever())
            started.set_result(None)

    async def _receive_forever(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("realtime hub: receiving from the channel layer failed")
                await asyncio.sleep(RECEIVE_RETRY_SECONDS)
                continue
            try:
                await self._dispatch(message)
            except Exception:
                logger.exception("realtime hub: could not dispatch a %s", message.get("type"))

    def _spawn(self, coroutine: Awaitable) -> None:
        task = self.loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- groups -------------------------------------------------------------------------------

    def _group_ref(self, group: str) -> asyncio.Future:
        """Count one more local need for `group` (joining it if it is the first); return the
        future that is done once the hub hears the group."""
        self._group_refs[group] += 1
        live = self._group_live.get(group)
        if live is None:
            live = self._group_live[group] = self.loop.create_future()
            self._spawn(self._group_join(group, live))
        return live

    async def _group_need(self, group: str) -> None:
        """Count one more local need for `group`; return once the hub hears it."""
        await asyncio.shield(self._group_ref(group))

    async def _group_join(self, group: str, live: asyncio.Future) -> None:
        try:
            await asyncio.wait_for(self._group_join_and_hear(group), GROUP_JOIN_TIMEOUT_SECONDS)
        except Exception as exc:
            self.outage.failed(f"could not join {group}", exc)
            if self._group_live.get(group) is live:
                del self._group_live[group]
            live.set_exception(HubUnavailable(MSG_UNAVAILABLE))
            live.exception()  # retrieved here; waiters get it through the shield
        else:
            live.set_result(None)

    async def _group_join_and_hear(self, group: str) -> None:
        async with self._group_lock:
            await self.layer.group_add(group, self.channel_name)
        await self._barrier(group)

    async def _barrier(self, group: str) -> None:
        # A marker sent through the group and heard back proves the subscription is in place
        # in the channel layer. With Redis pub/sub, SUBSCRIBE is not acknowledged: it travels
        # on the subscriber's connection while the marker's PUBLISH takes another, so a marker
        # may reach Redis before the subscription does and be lost. It is sent again, at
        # growing intervals, until one comes back or BARRIER_TIMEOUT_SECONDS have passed.
        token = uuid.uuid4().hex
        heard = self._barriers[token] = self.loop.create_future()
        deadline = self.loop.time() + BARRIER_TIMEOUT_SECONDS
        interval = BARRIER_RESEND_FIRST_SECONDS
        try:
            while True:
                await asyncio.wait_for(
                    self.layer.group_send(group, {"type": MESSAGE_BARRIER, "token": token}),
                    LAYER_CALL_TIMEOUT_SECONDS,
                )
                left = deadline - self.loop.time()
                if left <= 0:
                    raise TimeoutError(f"no marker came back through {group}")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(heard), min(interval, left))
                if heard.done():
                    return
                interval = min(interval * 2, BARRIER_RESEND_MAX_SECONDS)
        finally:
            self._barriers.pop(token, None)

    def _group_release(self, group: str) -> None:
        """Count one local need less; leave the group when none is left."""
        refs = self._group_refs.get(group, 0) - 1
        if refs > 0:
            self._group_refs[group] = refs
            return
        self._group_refs.pop(group, None)
        live = self._group_live.pop(group, None)
        self._spawn(self._group_leave(group, live))

    async def _group_leave(self, group: str, live: asyncio.Future | None) -> None:
        if live is not None:
            # Let a join in flight finish first (even a failed one may have added the hub).
            with contextlib.suppress(Exception):
                await asyncio.shield(live)
        async with self._group_lock:
            if self._group_refs.get(group):
                return  # needed again meanwhile
            try:
                await asyncio.wait_for(
                    self.layer.group_discard(group, self.channel_name), LAYER_CALL_TIMEOUT_SECONDS
                )
            except Exception as exc:
                self.outage.failed(f"could not leave {group}", exc)

    # --- introspection (tests, benchmarks) ------------------------------------------------------

    async def caught_up(self, group: str) -> None:
        """Return once every message sent to `group` before this call has been handled, and
        the group joins and leaves it caused are done."""
        await self._barrier(group)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
