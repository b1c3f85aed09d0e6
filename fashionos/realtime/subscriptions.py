"""A subscription: one joined channel of one socket as the hub serves it, and the socket it
writes frames to (`FrameSink`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from fashionos.realtime.bindings import Binding
from fashionos.realtime.protocol import EncodedFrame


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
