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
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from fashionos.accounts.tokens import TokenError
from fashionos.realtime.access import Reader
from fashionos.realtime.bindings import table_schema
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
from fashionos.realtime.hub_groups import HubGroups
from fashionos.realtime.protocol import (
    EVENT_POSTGRES_CHANGES,
    EncodedFrame,
    json_encode,
    push_frame_encode,
)
from fashionos.realtime.rooms import Rooms
from fashionos.realtime.subscriptions import Subscription

logger = logging.getLogger("fashionos.realtime")

MSG_SESSION_ENDED = "Session has ended"


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


class Hub(HubGroups):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop)
        self._by_campaign: dict[str, set[Subscription]] = defaultdict(set)
        self._sees_all: set[Subscription] = set()
        self._by_user: dict[str, set[Subscription]] = defaultdict(set)
        self.rooms = Rooms(self)

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
            self._barrier_heard(message)
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
