"""Broadcast and presence: the rooms of the process's hub.

A room is what Supabase Realtime calls a channel's topic: every channel joined on
`realtime:<name>` is a member of the room of `<name>`, a private join (`config.private: true`)
of a room apart from the public one of the same name. Members hear the room's broadcasts and,
when presence is on, its presence.

Like postgres_changes (DESIGN.md section 7), a room crosses server processes through one
channel-layer group (`room_group`) that each process's hub joins once, for all its members:
a broadcast is one group message, encoded once per vsn and written to every local member.

Presence is a replica per process, as Phoenix.Tracker keeps one per node: each hub holds the
room's presences (key → phx_ref → meta, with the hub that owns each), changed only by
`rt.presence` diffs heard through the group, its own included, so every replica applies the
same diffs in the same order. A hub that opens a room asks the others for what they own
(`rt.presence_hello`); their answers arrive as joins, so a member's first `presence_state` may
be followed by joins of presences tracked before it came, as with Phoenix's eventual
consistency. A replica is dropped when its last local member leaves. A hub that owns
presences in a room says so every PRESENCE_ALIVE_SECONDS (`rt.presence_alive`); the presences
of a hub not heard from for PRESENCE_OWNER_TIMEOUT_SECONDS (its process died without leaving)
leave every other replica, as Phoenix.Tracker drops a node that stopped heartbeating.

Private rooms are `campaign:<id>` only: a member reads as a user who belongs to the campaign
(or the service key, or staff). It is indexed by user, so a revoked membership or an ended
sign-in session removes it at once (the consumer then closes the channel, as Supabase does).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from fashionos.realtime.access import Reader
from fashionos.realtime.groups import (
    MESSAGE_BROADCAST,
    MESSAGE_PRESENCE,
    MESSAGE_PRESENCE_ALIVE,
    MESSAGE_PRESENCE_HELLO,
    MESSAGE_PRESENCE_OWNED,
    user_group,
)
from fashionos.realtime.protocol import (
    ENCODING_JSON,
    EVENT_BROADCAST,
    EVENT_PRESENCE_DIFF,
    EVENT_PRESENCE_STATE,
    VSN_2,
    EncodedFrame,
    json_encode,
    push_frame_encode,
    user_broadcast_encode,
)

logger = logging.getLogger("fashionos.realtime")

PRIVATE_TOPIC_PREFIX = "campaign:"
MAX_PRESENCE_KEYS_PER_ROOM = 1_000
SEND_TIMEOUT_SECONDS = 2.0  # as the hub's LAYER_CALL_TIMEOUT_SECONDS
PRESENCE_ALIVE_SECONDS = 15.0
PRESENCE_OWNER_TIMEOUT_SECONDS = 3 * PRESENCE_ALIVE_SECONDS

MSG_PRIVATE_REFUSED = (
    "Unauthorized: You do not have permissions to read from this Channel topic: {topic}"
)
MSG_PRIVATE_REVOKED = "You no longer have permission to read from this Channel topic: {topic}"
MSG_TOO_MANY_PRESENCE_KEYS = "TooManyPresenceKeys: at most {limit} presence keys per channel"

KIND_JSON = "json"
KIND_USER = "user"


class RoomRefused(Exception):
    """A private room does not admit this reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RoomLimit(Exception):
    """A bound of the room was reached (presence keys)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RoomSink(Protocol):
    async def frame_write(self, frame: EncodedFrame) -> None: ...

    async def member_end(self, member: RoomMember, reason: str) -> None:
        """The hub removed `member` (membership revoked or session ended)."""


def room_key(subtopic: str, *, private: bool) -> str:
    return f"{'private' if private else 'public'}:{subtopic}"


def room_group(room: str) -> str:
    """The channel-layer group of a room. Topics are any text; group names are short ASCII."""
    return "rt.room." + hashlib.sha256(room.encode()).hexdigest()[:40]


def private_campaign_id(subtopic: str) -> str | None:
    """The campaign a private topic names (`campaign:<id>`), or None for any other topic."""
    if not subtopic.startswith(PRIVATE_TOPIC_PREFIX):
        return None
    return subtopic.removeprefix(PRIVATE_TOPIC_PREFIX) or None


def reader_admitted(reader: Reader, campaign_id: str) -> bool:
    """May this reader join the private room of `campaign_id`? The same rule as its rows."""
    return reader.sees_all or campaign_id in reader.campaign_ids


def broadcast_message(room: str, payload_json: str, sender: str | None) -> dict[str, Any]:
    """The group message of a JSON broadcast (from a socket, or from the HTTP API)."""
    return {
        "type": MESSAGE_BROADCAST,
        "room": room,
        "sender": sender,
        "kind": KIND_JSON,
        "payload": payload_json,
    }


@dataclass(eq=False)
class RoomMember:
    """One joined channel of one socket, as a member of its room."""

    sink: RoomSink
    vsn: str
    topic: str  # as joined, `realtime:<name>`: every frame to the member carries it
    room: str
    self_broadcast: bool
    presence_key: str
    presence_enabled: bool
    user_id: str | None = None
    session_id: str | None = None
    campaign_id: str | None = None  # set for a private room
    member_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    presence_ref: str | None = None
    presence_meta: dict[str, Any] | None = None
    # Set once the join reply is out; only active members are written to.
    active: bool = False
    # Revoked, or its session ended, while its reader was loading: refused once loaded.
    refused: str | None = None


def presence_metas(entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`{key: {metas: [...]}}`, Phoenix.Presence's shape."""
    return {key: {"metas": list(refs.values())} for key, refs in entries.items() if refs}


class Rooms:
    """The rooms of one hub: members, presence replicas, and the dispatch of their messages."""

    def __init__(self, hub: Any) -> None:
        # `hub` is the process's Hub (hub.py), which owns the group counts and the tasks.
        self.hub = hub
        self._members: dict[str, set[RoomMember]] = defaultdict(set)
        # room → key → phx_ref → meta; and phx_ref → owning hub channel
        self._presences: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._owners: dict[str, dict[str, str]] = {}
        # room → owning hub → when it was last heard from (monotonic seconds)
        self._heard: dict[str, dict[str, float]] = {}
        self._by_user: dict[str, set[RoomMember]] = defaultdict(set)
        self._liveness: asyncio.TimerHandle | None = None

    # --- members ------------------------------------------------------------------------------

    async def member_add(
        self, member: RoomMember, load: Callable[[], Awaitable[Reader]] | None
    ) -> None:
        """Admit `member` to its room and return once the room's group is live. A private
        member is checked with `load` (its reader); raises RoomRefused, what `load` raises,
        or HubUnavailable, leaving nothing behind."""
        await self.hub.start()
        if member.campaign_id is not None:
            await self._private_admit(member, load)
        room = member.room
        first = not self._members.get(room)
        self._members[room].add(member)
        if first:
            self._presences.setdefault(room, {})
            self._owners.setdefault(room, {})
            self._heard.setdefault(room, {})
            self._liveness_arm()
        try:
            await self.hub._group_need(room_group(room))
        except BaseException:
            self.member_remove(member)
            raise
        if first:
            self.hub._spawn(self._hello(room))

    async def _private_admit(
        self, member: RoomMember, load: Callable[[], Awaitable[Reader]] | None
    ) -> None:
        assert load is not None and member.campaign_id is not None
        refusal = MSG_PRIVATE_REFUSED.format(topic=member.room.removeprefix("private:"))
        if member.user_id:
            # The user's group first, so a revoke committed while the reader loads is heard.
            self._by_user[member.user_id].add(member)
            try:
                await self.hub._group_need(user_group(member.user_id))
            except BaseException:
                self._user_forget(member)
                raise
        try:
            reader = await load()
        except BaseException:
            self._user_forget(member)
            raise
        if member.refused is not None or not reader_admitted(reader, member.campaign_id):
            self._user_forget(member)
            raise RoomRefused(refusal)

    def _user_forget(self, member: RoomMember) -> None:
        members = self._by_user.get(member.user_id or "")
        if members is not None and member in members:
            members.discard(member)
            if not members:
                del self._by_user[member.user_id]
            self.hub._group_release(user_group(member.user_id))

    def member_remove(self, member: RoomMember) -> None:
        """Forget `member`: untrack its presence, release its groups. Idempotent."""
        member.active = False
        if member.user_id:
            self._user_forget(member)
        members = self._members.get(member.room)
        if members is None or member not in members:
            return
        members.discard(member)
        if member.presence_ref is not None:
            self._presence_send(member, joins={}, leaves=self._own_leave(member))
            member.presence_ref = member.presence_meta = None
        if not members:
            del self._members[member.room]
            self._presences.pop(member.room, None)
            self._owners.pop(member.room, None)
            self._heard.pop(member.room, None)
            if not self._presences and self._liveness is not None:
                self._liveness.cancel()
                self._liveness = None
        self.hub._group_release(room_group(member.room))

    # --- broadcast ----------------------------------------------------------------------------

    async def broadcast_json(self, room: str, payload_json: str, sender: str | None) -> None:
        """Send a broadcast whose payload (`{type, event, payload}` as the client sent it) is
        JSON text to every member of `room` in every process, except `sender`."""
        await self._group_send(room, broadcast_message(room, payload_json, sender))

    async def broadcast_user(
        self, room: str, *, event: str, encoding: int, payload: bytes, sender: str | None
    ) -> None:
        """Send a broadcast pushed as a vsn 2.0.0 binary frame (`payload` is the user payload's
        bytes) to every member of `room` in every process, except `sender`."""
        await self._group_send(
            room,
            {
                "type": MESSAGE_BROADCAST,
                "room": room,
                "sender": sender,
                "kind": KIND_USER,
                "event": event,
                "encoding": encoding,
                "payload": payload,
            },
        )

    async def _broadcast_dispatch(self, message: dict[str, Any]) -> None:
        members = self._members.get(message["room"])
        if not members:
            return
        sender = message.get("sender")
        frames: dict[str, EncodedFrame | None] = {}
        for member in list(members):
            if not member.active or member.member_id == sender:
                continue
            if member.vsn not in frames:
                frames[member.vsn] = self._broadcast_frame(message, member)
            frame = frames[member.vsn]
            if frame is not None:
                await self._write(member, frame)

    def _broadcast_frame(self, message: dict[str, Any], member: RoomMember) -> EncodedFrame | None:
        if message["kind"] == KIND_JSON:
            return EncodedFrame(
                push_frame_encode(member.vsn, member.topic, EVENT_BROADCAST, message["payload"])
            )
        if member.vsn == VSN_2:
            return EncodedFrame.binary(
                user_broadcast_encode(
                    topic=member.topic,
                    event=message["event"],
                    payload=message["payload"],
                    encoding=message["encoding"],
                ),
            )
        if message["encoding"] != ENCODING_JSON:
            return None  # opaque bytes cannot travel in a vsn 1.0.0 (JSON) frame, as Supabase
        payload_json = (
            f'{{"event":{json_encode(message["event"])},'
            f'"payload":{message["payload"].decode()},"type":"broadcast"}}'
        )
        return EncodedFrame(
            push_frame_encode(member.vsn, member.topic, EVENT_BROADCAST, payload_json)
        )

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

    # --- membership and sessions --------------------------------------------------------------

    def membership_apply(self, user_id: str, campaign_id: str, granted: bool) -> None:
        """A revoked membership removes the user's members of that campaign's private room."""
        if granted:
            return
        for member in list(self._by_user.get(user_id, ())):
            if member.campaign_id == campaign_id:
                self._refuse(member, MSG_PRIVATE_REVOKED.format(topic=f"campaign:{campaign_id}"))

    def session_end(self, user_id: str, session_ids: set[str], reason: str) -> None:
        for member in list(self._by_user.get(user_id, ())):
            if member.session_id is not None and member.session_id in session_ids:
                self._refuse(member, reason)

    def _refuse(self, member: RoomMember, reason: str) -> None:
        if member not in self._members.get(member.room, ()):
            member.refused = reason  # still loading: refused once loaded
            return
        self.member_remove(member)
        self.hub._spawn(member.sink.member_end(member, reason))

    # --- plumbing -----------------------------------------------------------------------------

    async def dispatch(self, message: dict[str, Any]) -> bool:
        """Handle a room message; False if `message` is not one."""
        kind = message.get("type")
        if kind == MESSAGE_BROADCAST:
            await self._broadcast_dispatch(message)
        elif kind in (MESSAGE_PRESENCE, MESSAGE_PRESENCE_OWNED):
            await self._presence_dispatch(message)
        elif kind == MESSAGE_PRESENCE_HELLO:
            await self._hello_answer(message)
        elif kind == MESSAGE_PRESENCE_ALIVE:
            self._alive_heard(message)
        else:
            return False
        return True

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

    def table_sizes(self) -> dict[str, int]:
        return {
            "rooms": len(self._members),
            "room_members": sum(len(members) for members in self._members.values()),
            "room_replicas": len(self._presences),
            "room_users": sum(len(members) for members in self._by_user.values()),
            "room_timers": int(self._liveness is not None),
        }
