"""Broadcasts sent over HTTP (`POST /realtime/v1/api/broadcast`, what supabase-js uses to send
from a channel that is not subscribed, and `httpSend`), with the websocket's rules: a public
topic is open to any project key; a private one (`campaign:<id>`) only to a reader who may join
that campaign's private room. As Supabase does, a private message the caller may not send is
dropped without saying so, so the answer never tells which rooms exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fashionos.realtime.access import Reader
from fashionos.realtime.protocol import EVENT_BROADCAST, json_encode
from fashionos.realtime.publish import broadcasts_publish
from fashionos.realtime.room_members import private_campaign_id, reader_admitted, room_key


@dataclass(frozen=True, slots=True)
class BroadcastMessage:
    topic: str  # without the `realtime:` prefix, as supabase-js sends it
    event: str
    payload: dict[str, Any]
    private: bool = False
    id: str | None = None


def broadcast_payload(message: BroadcastMessage) -> dict[str, Any]:
    """The frame payload members hear, as Supabase builds it (`meta.id` when one was given)."""
    payload: dict[str, Any] = {
        "type": EVENT_BROADCAST,
        "event": message.event,
        "payload": message.payload,
    }
    if message.id is not None:
        payload["meta"] = {"id": message.id}
    return payload


def broadcast_may_send(*, reader: Reader, message: BroadcastMessage) -> bool:
    """May `reader` send `message`? Any public topic; a private one when it names a campaign
    whose private room admits the reader."""
    if not message.private:
        return True
    campaign_id = private_campaign_id(message.topic)
    return campaign_id is not None and reader_admitted(reader, campaign_id)


def broadcasts_send(*, reader: Reader, messages: list[BroadcastMessage]) -> int:
    """Publish the messages `reader` may send to their rooms in every server process, in
    order; return how many were sent (the others are dropped)."""
    sendable = [
        (room_key(m.topic, private=m.private), json_encode(broadcast_payload(m)))
        for m in messages
        if broadcast_may_send(reader=reader, message=m)
    ]
    if sendable:
        broadcasts_publish(sendable)
    return len(sendable)
