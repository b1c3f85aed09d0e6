"""The process-local realtime hub: one channel-layer member per server process.

DESIGN.md section 7 measured why: a Channels consumer per socket, each a member of its groups,
costs one channel-layer message per subscriber and saturates far below the budget. Here each
process (each event loop) has one hub. It is the only member of the groups its sockets need,
so every change reaches the process once; it then decides locally, from membership held in
memory, which channels may read it and which of their bindings match, encodes each distinct
frame once, and writes it to every matching socket.

Indexes:
- campaign id → subscriptions that may read that campaign (member of it);
- the see-all set (service key, staff) → reached through the `rt.all` group;
- user id → subscriptions of that user, for membership messages.

A group is joined when its first local subscription appears and left when the last goes. A
subscription is live only once every group it needs is joined *and* a marker sent through each
group has come back, so a write committed after the join reply is always delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from channels.layers import get_channel_layer

from fashionos.accounts.tokens import TokenError
from fashionos.realtime.access import Reader
from fashionos.realtime.bindings import Binding, table_schema
from fashionos.realtime.groups import (
    GROUP_ALL,
    MESSAGE_BARRIER,
    MESSAGE_CHANGE,
    MESSAGE_MEMBERSHIP,
    MESSAGE_SESSION_END,
    SCOPE_ALL,
    campaign_group,
    user_group,
)
from fashionos.realtime.protocol import (
    EVENT_POSTGRES_CHANGES,
    EncodedFrame,
    json_encode,
    push_frame_encode,
)
from fashionos.realtime.rooms import Rooms

logger = logging.getLogger("fashionos.realtime")

BARRIER_TIMEOUT_SECONDS = 5.0
# Every call into the channel layer is bounded: a Redis that accepts connections and never
# answers must turn into a refusal the client hears, not a join (or a hub) that hangs forever.
LAYER_CALL_TIMEOUT_SECONDS = 2.0
GROUP_JOIN_TIMEOUT_SECONDS = LAYER_CALL_TIMEOUT_SECONDS + BARRIER_TIMEOUT_SECONDS
RECEIVE_RETRY_SECONDS = 1.0

MSG_UNAVAILABLE = "Realtime is unavailable right now; try again."
MSG_SESSION_ENDED = "Session has ended"


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


class FrameSink(Protocol):
    async def frame_write(self, frame: EncodedFrame) -> None: ...

    async def subscription_end(self, subscription: Subscription, reason: str) -> None:
        """The hub stopped serving `subscription` (its sign-in session ended)."""


@dataclass(eq=False)
class Subscription:
    """One joined channel of one socket: what it listens to and what it may read."""

    sink: FrameSink
    vsn: str
    topic: str
    bindings: tuple[Binding, ...]
    user_id: str | None
    # The sign-in session of the token it reads as (None for the project keys).
    session_id: str | None = None
    # Filled by the hub: None while the reader is being loaded.
    sees_all: bool = False
    campaign_ids: set[str] | None = None
    # Membership messages that arrived while the reader was being loaded, replayed after.
    pending: list[tuple[str, bool]] = field(default_factory=list)
    # Set by the consumer once the join reply is out; the hub writes only to active ones.
    active: bool = False
    # Its session ended while the reader was being loaded: refused once loaded.
    ended: bool = False


def change_data(message: dict[str, Any]) -> dict[str, Any]:
    """`payload.data` of a postgres_changes push, as Supabase Realtime shapes it: INSERT has no
    old_record, DELETE no record; `columns` carries each column's Postgres type."""
    table = message["table"]
    change_type = message["change_type"]
    data: dict[str, Any] = {
        "schema": "public",
        "table": table,
        "commit_timestamp": _timestamp(message["commit_timestamp"]),
        "type": change_type,
        "columns": list(table_schema(table).columns),
        "errors": None,
    }
    if change_type != "DELETE":
        data["record"] = message["record"]
    if change_type != "INSERT":
        data["old_record"] = message["old_record"]
    return data


def _timestamp(value: str) -> str:
    return value[:-6] + "Z" if value.endswith("+00:00") else value


def _row_for_filters(message: dict[str, Any]) -> dict[str, Any] | None:
    # Filters read the new row; a DELETE has only the old one.
    if message["change_type"] == "DELETE":
        return message["old_record"]
    return message["record"]


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.layer = get_channel_layer()
        self.channel_name: str | None = None
        self._started: asyncio.Future | None = None
        self._receiver: asyncio.Task | None = None
        self._by_campaign: dict[str, set[Subscription]] = defaultdict(set)
        self._sees_all: set[Subscription] = set()
        self._by_user: dict[str, set[Subscription]] = defaultdict(set)
        self._group_refs: dict[str, int] = defaultdict(int)
        self._group_live: dict[str, asyncio.Future] = {}
        self._group_lock = asyncio.Lock()
        self._barriers: dict[str, asyncio.Future] = {}
        self._tasks: set[asyncio.Task] = set()
        self.outage = OutageReport()
        self.rooms = Rooms(self)

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
        # in the channel layer (with Redis pub/sub, SUBSCRIBE is not acknowledged otherwise).
        token = uuid.uuid4().hex
        heard = self._barriers[token] = self.loop.create_future()
        try:
            await asyncio.wait_for(
                self.layer.group_send(group, {"type": MESSAGE_BARRIER, "token": token}),
                LAYER_CALL_TIMEOUT_SECONDS,
            )
            await asyncio.wait_for(heard, BARRIER_TIMEOUT_SECONDS)
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

    # --- subscriptions ------------------------------------------------------------------------

    def _groups_of(self, subscription: Subscription) -> list[str]:
        if subscription.sees_all:
            return [GROUP_ALL]
        return [campaign_group(c) for c in subscription.campaign_ids or ()]

    async def subscription_add(
        self, subscription: Subscription, load: Callable[[], Awaitable[Reader]]
    ) -> Reader:
        """Register a subscription, load what it may read with `load` (DB), and return once
        every group it needs is live. Raises what `load` raises, or HubUnavailable; on error
        nothing of the subscription is left behind."""
        await self.start()
        user_id = subscription.user_id
        # The user's group first, so a membership change committed while the reader is
        # loading is heard (and replayed below) rather than missed.
        if user_id:
            self._by_user[user_id].add(subscription)
            try:
                await self._group_need(user_group(user_id))
            except BaseException:
                self._user_forget(subscription)
                raise
        try:
            reader = await load()
        except BaseException:
            if user_id:
                self._user_forget(subscription)
            raise
        campaigns = set(reader.campaign_ids)
        for campaign_id, granted in subscription.pending:
            (campaigns.add if granted else campaigns.discard)(campaign_id)
        subscription.pending = []
        if subscription.ended:
            if user_id:
                self._user_forget(subscription)
            raise TokenError(MSG_SESSION_ENDED, "session_ended")
        subscription.sees_all = reader.sees_all
        subscription.campaign_ids = campaigns
        # A see-all reader stays indexed by user too: memberships do not narrow it, but the
        # end of its session must reach it.
        self._index(subscription)
        try:
            await asyncio.gather(*(self._group_need(g) for g in self._groups_of(subscription)))
        except BaseException:
            self.subscription_remove(subscription)
            raise
        return reader

    def _index(self, subscription: Subscription) -> None:
        if subscription.sees_all:
            self._sees_all.add(subscription)
        else:
            for campaign_id in subscription.campaign_ids or ():
                self._by_campaign[campaign_id].add(subscription)

    def _user_forget(self, subscription: Subscription) -> None:
        user_id = subscription.user_id
        subs = self._by_user.get(user_id)
        if subs is not None and subscription in subs:
            subs.discard(subscription)
            if not subs:
                del self._by_user[user_id]
            self._group_release(user_group(user_id))

    def subscription_remove(self, subscription: Subscription) -> None:
        """Forget a subscription and release its groups. Idempotent."""
        subscription.active = False
        if subscription.user_id:
            self._user_forget(subscription)
        if subscription.sees_all and subscription in self._sees_all:
            self._sees_all.discard(subscription)
            self._group_release(GROUP_ALL)
        for campaign_id in list(subscription.campaign_ids or ()):
            subs = self._by_campaign.get(campaign_id)
            if subs is not None and subscription in subs:
                subs.discard(subscription)
                if not subs:
                    del self._by_campaign[campaign_id]
                self._group_release(campaign_group(campaign_id))
        subscription.campaign_ids = set()
        subscription.sees_all = False

    # --- dispatch -----------------------------------------------------------------------------

    async def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == MESSAGE_CHANGE:
            await self._change_dispatch(message)
        elif kind == MESSAGE_MEMBERSHIP:
            self._membership_apply(message)
        elif kind == MESSAGE_SESSION_END:
            self._session_end(message)
        elif kind == MESSAGE_BARRIER:
            heard = self._barriers.get(message.get("token"))
            if heard is not None and not heard.done():
                heard.set_result(None)
        else:
            await self.rooms.dispatch(message)

    async def _change_dispatch(self, message: dict[str, Any]) -> None:
        if message.get("scope") == SCOPE_ALL:
            readers = self._sees_all
        else:
            readers = self._by_campaign.get(message["campaign_id"])
        if not readers:
            return
        table, change_type = message["table"], message["change_type"]
        row = _row_for_filters(message)
        matched: dict[tuple, bool] = {}
        frames: dict[tuple, EncodedFrame] = {}
        data_json: str | None = None
        for subscription in list(readers):
            if not subscription.active:
                continue
            ids: list[int] = []
            for binding in subscription.bindings:
                hit = matched.get(binding.key)
                if hit is None:
                    hit = matched[binding.key] = binding.matches(table, change_type, row)
                if hit and binding.id not in ids:
                    ids.append(binding.id)
            if not ids:
                continue
            frame_key = (subscription.vsn, subscription.topic, tuple(ids))
            frame = frames.get(frame_key)
            if frame is None:
                if data_json is None:
                    data_json = json_encode(change_data(message))
                payload_json = f'{{"ids":{json_encode(ids)},"data":{data_json}}}'
                frame = frames[frame_key] = EncodedFrame(
                    push_frame_encode(
                        subscription.vsn, subscription.topic, EVENT_POSTGRES_CHANGES, payload_json
                    )
                )
            try:
                await subscription.sink.frame_write(frame)
            except Exception:
                logger.debug("realtime hub: a socket went away mid-send", exc_info=True)

    def _membership_apply(self, message: dict[str, Any]) -> None:
        user_id = message["user_id"]
        campaign_id = message["campaign_id"]
        granted = message.get("role") is not None
        self.rooms.membership_apply(user_id, campaign_id, granted)
        for subscription in list(self._by_user.get(user_id, ())):
            if subscription.campaign_ids is None:  # reader still loading: replay later
                subscription.pending.append((campaign_id, granted))
            elif subscription.sees_all:
                continue
            elif granted and campaign_id not in subscription.campaign_ids:
                subscription.campaign_ids.add(campaign_id)
                self._by_campaign[campaign_id].add(subscription)
                # Counted now (a revoke right behind releases it); joined in the background.
                # Should the join fail, the next need of the group joins it again.
                self._group_ref(campaign_group(campaign_id))
            elif not granted and campaign_id in subscription.campaign_ids:
                subscription.campaign_ids.discard(campaign_id)
                subs = self._by_campaign.get(campaign_id)
                if subs is not None:
                    subs.discard(subscription)
                    if not subs:
                        del self._by_campaign[campaign_id]
                self._group_release(campaign_group(campaign_id))

    def _session_end(self, message: dict[str, Any]) -> None:
        """Stop serving every subscription that reads as one of the ended sessions, and have
        its socket close the channel."""
        ended = set(message.get("session_ids") or ())
        self.rooms.session_end(message["user_id"], ended, MSG_SESSION_ENDED)
        for subscription in list(self._by_user.get(message["user_id"], ())):
            if subscription.session_id is None or subscription.session_id not in ended:
                continue
            if subscription.campaign_ids is None:  # reader still loading
                subscription.ended = True
                continue
            self.subscription_remove(subscription)
            self._spawn(subscription.sink.subscription_end(subscription, MSG_SESSION_ENDED))

    # --- introspection (tests, benchmarks) ------------------------------------------------------

    async def caught_up(self, group: str) -> None:
        """Return once every message sent to `group` before this call has been handled, and
        the group joins and leaves it caused are done."""
        await self._barrier(group)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def table_sizes(self) -> dict[str, int]:
        """The size of every table the hub keeps per subscription, group or wait: all zero
        once every socket of the process has ended and the group leaves are done."""
        return {
            **self.stats(),
            "campaign_subscriptions": sum(len(subs) for subs in self._by_campaign.values()),
            "user_subscriptions": sum(len(subs) for subs in self._by_user.values()),
            "group_joins": len(self._group_live),
            "barriers": len(self._barriers),
            "tasks": len(self._tasks),
            **self.rooms.table_sizes(),
        }

    def stats(self) -> dict[str, int]:
        return {
            "campaigns": len(self._by_campaign),
            "sees_all": len(self._sees_all),
            "users": len(self._by_user),
            "groups": len(self._group_refs),
        }


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def hub_for_running_loop() -> Hub:
    """This event loop's hub (one per server process; tests get one per test loop)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for old in [old for old in _hubs if old.is_closed()]:
            del _hubs[old]
        hub = _hubs[loop] = Hub(loop)
    return hub


def running_hub_loop() -> asyncio.AbstractEventLoop | None:
    """The loop of a hub of this process that is running, if any: where sync code publishes,
    so the message goes through the same channel layer connection the hub listens on."""
    for loop in list(_hubs.keys()):
        if loop.is_running() and not loop.is_closed():
            return loop
    return None
