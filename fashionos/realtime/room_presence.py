"""Presence: each hub's replica of its rooms' presences, kept as Phoenix.Tracker keeps one
per node.

Each hub holds the room's presences (key → phx_ref → meta, with the hub that owns each),
changed only by `rt.presence` diffs heard through the room's group, its own included, so every
replica applies the same diffs in the same order. A hub that opens a room asks the others for
what they own (`rt.presence_hello`); their answers arrive as joins, so a member's first
`presence_state` may be followed by joins of presences tracked before it came, as with
Phoenix's eventual consistency. A replica is dropped when its last local member leaves. A hub
that owns presences in a room says so every PRESENCE_ALIVE_SECONDS (`rt.presence_alive`); the
presences of a hub not heard from for PRESENCE_OWNER_TIMEOUT_SECONDS (its process died without
leaving) leave every other replica, as Phoenix.Tracker drops a node that stopped heartbeating.

`Rooms` (rooms.py) builds on `RoomPresence` with the members, broadcasts and private rooms.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from typing import Any

from fashionos.realtime.groups import (
    MESSAGE_PRESENCE,
    MESSAGE_PRESENCE_ALIVE,
    MESSAGE_PRESENCE_HELLO,
    MESSAGE_PRESENCE_OWNED,
)
from fashionos.realtime.protocol import (
    EVENT_PRESENCE_DIFF,
    EVENT_PRESENCE_STATE,
    EncodedFrame,
    json_encode,
    push_frame_encode,
)
from fashionos.realtime.room_members import RoomMember, room_group

logger = logging.getLogger("fashionos.realtime")

MAX_PRESENCE_KEYS_PER_ROOM = 1_000
SEND_TIMEOUT_SECONDS = 2.0  # as the hub's LAYER_CALL_TIMEOUT_SECONDS
PRESENCE_ALIVE_SECONDS = 15.0
PRESENCE_OWNER_TIMEOUT_SECONDS = 3 * PRESENCE_ALIVE_SECONDS

MSG_TOO_MANY_PRESENCE_KEYS = "TooManyPresenceKeys: at most {limit} presence keys per channel"


class RoomLimit(Exception):
    """A bound of the room was reached (presence keys)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def presence_metas(entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`{key: {metas: [...]}}`, Phoenix.Presence's shape."""
    return {key: {"metas": list(refs.values())} for key, refs in entries.items() if refs}


class RoomPresence:
    """The rooms' members and presence replicas of one hub, and the sends to their groups."""

    def __init__(self, hub: Any) -> None:
        # `hub` is the process's Hub (hub.py), which owns the group counts and the tasks.
        self.hub = hub
        self._members: dict[str, set[RoomMember]] = defaultdict(set)
        # room → key → phx_ref → meta; and phx_ref → owning hub channel
        self._presences: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._owners: dict[str, dict[str, str]] = {}
        # room → owning hub → when it was last heard from (monotonic seconds)
        self._heard: dict[str, dict[str, float]] = {}
        self._liveness: asyncio.TimerHandle | None = None

    # --- presence -----------------------------------------------------------------------------

    def presence_state(self, member: RoomMember) -> EncodedFrame:
        """The room's presences as this process knows them, as a `presence_state` push."""
        state = presence_metas(self._presences.get(member.room, {}))
        return EncodedFrame(
            push_frame_encode(member.vsn, member.topic, EVENT_PRESENCE_STATE, json_encode(state))
        )

    async def presence_track(self, member: RoomMember, meta: dict[str, Any]) -> None:
        """Track (or update) the member's presence under its key. Raises RoomLimit when the
        room already has MAX_PRESENCE_KEYS_PER_ROOM other keys; a meta equal to the tracked
        one changes nothing."""
        if member.presence_ref is not None and meta == member.presence_meta:
            return
        keys = self._presences.get(member.room, {})
        if member.presence_key not in keys and len(keys) >= MAX_PRESENCE_KEYS_PER_ROOM:
            raise RoomLimit(MSG_TOO_MANY_PRESENCE_KEYS.format(limit=MAX_PRESENCE_KEYS_PER_ROOM))
        ref = uuid.uuid4().hex[:20]
        joined = {**meta, "phx_ref": ref}
        leaves = {}
        if member.presence_ref is not None:
            joined["phx_ref_prev"] = member.presence_ref
            leaves = self._own_leave(member)
        member.presence_ref, member.presence_meta = ref, meta
        await self._presence_send_now(member, {member.presence_key: [joined]}, leaves)

    async def presence_untrack(self, member: RoomMember) -> None:
        """Stop tracking the member's presence (nothing if it is not tracked)."""
        if member.presence_ref is None:
            return
        leaves = self._own_leave(member)
        member.presence_ref = member.presence_meta = None
        await self._presence_send_now(member, {}, leaves)

    def _own_leave(self, member: RoomMember) -> dict[str, list[dict[str, Any]]]:
        meta = {**(member.presence_meta or {}), "phx_ref": member.presence_ref}
        return {member.presence_key: [meta]}

    def _presence_message(self, member: RoomMember, joins, leaves) -> dict[str, Any]:
        return {
            "type": MESSAGE_PRESENCE,
            "room": member.room,
            "owner": self.hub.channel_name,
            "joins": joins,
            "leaves": leaves,
        }

    async def _presence_send_now(self, member: RoomMember, joins, leaves) -> None:
        await self._group_send(member.room, self._presence_message(member, joins, leaves))

    def _presence_send(self, member: RoomMember, joins, leaves) -> None:
        self.hub._spawn(
            self._presence_send_quietly(member.room, self._presence_message(member, joins, leaves))
        )

    async def _presence_send_quietly(self, room: str, message: dict[str, Any]) -> None:
        try:
            await self._group_send(room, message)
        except Exception as exc:
            self.hub.outage.failed("could not send a presence leave", exc)

    async def _presence_dispatch(self, message: dict[str, Any]) -> None:
        """Apply a diff to this replica and push what changed to the room's local members."""
        room = message["room"]
        entries = self._presences.get(room)
        if entries is None:
            return  # no local member: no replica
        owners = self._owners[room]
        self._heard[room][message["owner"]] = time.monotonic()
        joins: dict[str, list[dict[str, Any]]] = {}
        leaves: dict[str, list[dict[str, Any]]] = {}
        for key, metas in (message.get("leaves") or {}).items():
            refs = entries.get(key, {})
            for meta in metas:
                if refs.pop(meta.get("phx_ref"), None) is not None:
                    owners.pop(meta["phx_ref"], None)
                    leaves.setdefault(key, []).append(meta)
            if key in entries and not refs:
                del entries[key]
        for key, metas in (message.get("joins") or {}).items():
            for meta in metas:
                ref = meta.get("phx_ref")
                if not isinstance(ref, str) or ref in entries.get(key, {}):
                    continue
                entries.setdefault(key, {})[ref] = meta
                owners[ref] = message["owner"]
                joins.setdefault(key, []).append(meta)
        if not joins and not leaves:
            return
        diff = {
            "joins": {key: {"metas": metas} for key, metas in joins.items()},
            "leaves": {key: {"metas": metas} for key, metas in leaves.items()},
        }
        diff_json = json_encode(diff)
        frames: dict[str, EncodedFrame] = {}
        for member in list(self._members.get(room, ())):
            if not member.active:
                continue
            frame = frames.get(member.vsn)
            if frame is None:
                frame = frames[member.vsn] = EncodedFrame(
                    push_frame_encode(member.vsn, member.topic, EVENT_PRESENCE_DIFF, diff_json)
                )
            await self._write(member, frame)

    async def _hello(self, room: str) -> None:
        try:
            await self._group_send(
                room, {"type": MESSAGE_PRESENCE_HELLO, "room": room, "owner": self.hub.channel_name}
            )
        except Exception as exc:
            self.hub.outage.failed("could not ask for a room's presences", exc)

    async def _hello_answer(self, message: dict[str, Any]) -> None:
        """Another process opened the room: send it the presences this process owns there."""
        room, asker = message["room"], message["owner"]
        if asker == self.hub.channel_name or room not in self._presences:
            return
        mine = self.hub.channel_name
        owned: dict[str, list[dict[str, Any]]] = {}
        for key, refs in self._presences[room].items():
            for ref, meta in refs.items():
                if self._owners[room].get(ref) == mine:
                    owned.setdefault(key, []).append(meta)
        if owned:
            await asyncio.wait_for(
                self.hub.layer.send(
                    asker,
                    {
                        "type": MESSAGE_PRESENCE_OWNED,
                        "room": room,
                        "owner": mine,
                        "joins": owned,
                        "leaves": {},
                    },
                ),
                SEND_TIMEOUT_SECONDS,
            )

    # --- liveness of the other processes' presences ---------------------------------------------

    def _liveness_arm(self) -> None:
        if self._liveness is None:
            self._liveness = self.hub.loop.call_later(PRESENCE_ALIVE_SECONDS, self._liveness_fire)

    def _liveness_fire(self) -> None:
        self._liveness = None
        if self._presences:
            self.hub._spawn(self._liveness_check())
            self._liveness_arm()

    async def _liveness_check(self) -> None:
        """Say which rooms this process owns presences in; drop the presences of processes
        not heard from for PRESENCE_OWNER_TIMEOUT_SECONDS."""
        mine, now = self.hub.channel_name, time.monotonic()
        for room in list(self._presences):
            owners = self._owners.get(room, {})
            if mine in owners.values():
                try:
                    await self._group_send(
                        room, {"type": MESSAGE_PRESENCE_ALIVE, "room": room, "owner": mine}
                    )
                except Exception as exc:
                    self.hub.outage.failed("could not say a room's presences are alive", exc)
            heard = self._heard.get(room, {})
            silent = {
                owner
                for owner in set(owners.values())
                if owner != mine and now - heard.get(owner, now) > PRESENCE_OWNER_TIMEOUT_SECONDS
            }
            for owner in silent:
                leaves: dict[str, list[dict[str, Any]]] = {}
                for key, refs in self._presences.get(room, {}).items():
                    for ref, meta in refs.items():
                        if owners.get(ref) == owner:
                            leaves.setdefault(key, []).append(meta)
                await self._presence_dispatch(
                    {"room": room, "owner": owner, "joins": {}, "leaves": leaves}
                )
                self._heard.get(room, {}).pop(owner, None)

    def _alive_heard(self, message: dict[str, Any]) -> None:
        heard = self._heard.get(message["room"])
        if heard is not None:
            heard[message["owner"]] = time.monotonic()

    # --- plumbing -----------------------------------------------------------------------------

    async def _group_send(self, room: str, message: dict[str, Any]) -> None:
        await asyncio.wait_for(
            self.hub.layer.group_send(room_group(room), message),
            SEND_TIMEOUT_SECONDS,
        )

    async def _write(self, member: RoomMember, frame: EncodedFrame) -> None:
        try:
            await member.sink.frame_write(frame)
        except Exception:
            logger.debug("realtime rooms: a socket went away mid-send", exc_info=True)
