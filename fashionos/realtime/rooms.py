"""Broadcast and presence: the rooms of the process's hub.

Every joined channel is a member of its topic's room (room_members.py). Members hear the
room's broadcasts and, when presence is on, its presence (room_presence.py).

Like postgres_changes (DESIGN.md section 7), a room crosses server processes through one
channel-layer group (`room_group`) that each process's hub joins once, for all its members:
a broadcast is one group message, encoded once per vsn and written to every local member.

A member of a private room is indexed by user, so a revoked membership or an ended sign-in
session removes it at once (the consumer then closes the channel, as Supabase does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

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
    VSN_2,
    EncodedFrame,
    json_encode,
    push_frame_encode,
    user_broadcast_encode,
)
from fashionos.realtime.room_members import (
    KIND_JSON,
    KIND_USER,
    MSG_PRIVATE_REFUSED,
    MSG_PRIVATE_REVOKED,
    RoomMember,
    RoomRefused,
    broadcast_message,
    reader_admitted,
    room_group,
)
from fashionos.realtime.room_presence import RoomPresence


class Rooms(RoomPresence):
    """The rooms of one hub: members, presence replicas, and the dispatch of their messages."""

    def __init__(self, hub: Any) -> None:
        super().__init__(hub)
        self._by_user: dict[str, set[RoomMember]] = defaultdict(set)

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

    def table_sizes(self) -> dict[str, int]:
        return {
            "rooms": len(self._members),
            "room_members": sum(len(members) for members in self._members.values()),
            "room_replicas": len(self._presences),
            "room_users": sum(len(members) for members in self._by_user.values()),
            "room_timers": int(self._liveness is not None),
        }
