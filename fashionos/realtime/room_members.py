"""What a room is made of: its name and group, its members, and who may join a private one.

A room is what Supabase Realtime calls a channel's topic: every channel joined on
`realtime:<name>` is a member of the room of `<name>`, a private join (`config.private: true`)
of a room apart from the public one of the same name. Private rooms are `campaign:<id>` only:
a member reads as a user who belongs to the campaign (or the service key, or staff).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from fashionos.realtime.access import Reader
from fashionos.realtime.groups import MESSAGE_BROADCAST
from fashionos.realtime.protocol import EncodedFrame

PRIVATE_TOPIC_PREFIX = "campaign:"

MSG_PRIVATE_REFUSED = (
    "Unauthorized: You do not have permissions to read from this Channel topic: {topic}"
)
MSG_PRIVATE_REVOKED = "You no longer have permission to read from this Channel topic: {topic}"

KIND_JSON = "json"
KIND_USER = "user"


class RoomRefused(Exception):
    """A private room does not admit this reader."""

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
