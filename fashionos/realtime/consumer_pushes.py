"""The broadcast and presence pushes of a realtime socket, with their bounds: a broadcast
payload over MAX_BROADCAST_BYTES, a presence meta over MAX_PRESENCE_BYTES, or more than
MAX_MESSAGES_PER_SECOND pushes a second on one socket get an error reply and send nothing.

Mixed into `RealtimeConsumer` (consumer.py).
"""

from __future__ import annotations

import json
import logging
import time

from fashionos.realtime.consumer_channels import (
    MSG_UNAVAILABLE,
    MSG_UNMATCHED_TOPIC,
    JoinedChannel,
)
from fashionos.realtime.hub_groups import MSG_UNAVAILABLE as MSG_HUB_UNAVAILABLE
from fashionos.realtime.protocol import (
    ENCODING_JSON,
    EVENT_BROADCAST,
    VSN_2,
    Frame,
    FrameError,
    json_encode,
    user_broadcast_push_decode,
)
from fashionos.realtime.room_presence import RoomLimit

logger = logging.getLogger("fashionos.realtime")

MAX_BROADCAST_BYTES = 32 * 1024
MAX_PRESENCE_BYTES = 4 * 1024
MAX_MESSAGES_PER_SECOND = 100

MSG_BROADCAST_PAYLOAD = "A broadcast payload must be an object with a string `event`."
MSG_BROADCAST_TOO_LARGE = "PayloadSizeExceeded: a broadcast payload is at most {limit} bytes."
MSG_BROADCAST_NOT_JSON = "The binary broadcast says JSON but its payload is not JSON."
MSG_PRESENCE_PAYLOAD = "Presence track payload must be a map"
MSG_PRESENCE_TOO_LARGE = "Track message size exceeded"
MSG_PRESENCE_EVENT = "Unknown presence event {event!r}: use track or untrack."
MSG_RATE_LIMITED = "ClientRateLimitReached: Too many messages per second"


class RoomPushes:
    """A socket's `broadcast` and `presence` pushes to the rooms of its channels."""

    async def _binary_receive(self, data: bytes) -> None:
        """A vsn 2.0.0 user broadcast push; other binary frames are not read, as text frames
        that cannot be read are not."""
        if self.vsn != VSN_2:
            return
        try:
            push = user_broadcast_push_decode(data)
        except FrameError as exc:
            logger.debug("realtime: unreadable binary frame: %s", exc)
            return
        request = Frame(push.topic, EVENT_BROADCAST, {}, push.ref, push.join_ref)
        channel = self.channels.get(push.topic)
        if channel is None or channel.member is None:
            await self._reply(request, "error", {"reason": MSG_UNMATCHED_TOPIC})
            return
        error = self._rate_check() or self._broadcast_size_check(len(push.payload))
        if error is None and push.encoding == ENCODING_JSON:
            try:
                json.loads(push.payload)
            except ValueError:
                error = MSG_BROADCAST_NOT_JSON
        if error is not None:
            await self._refuse_push(request, error)
            return
        member = channel.member
        await self._broadcast_then_ack(
            request,
            channel,
            self.hub.rooms.broadcast_user(
                member.room,
                event=push.event,
                encoding=push.encoding,
                payload=push.payload,
                sender=None if member.self_broadcast else member.member_id,
            ),
        )

    def _rate_check(self) -> str | None:
        """Count one broadcast or presence push; the error once the socket is over
        MAX_MESSAGES_PER_SECOND in the current second."""
        now = time.monotonic()
        if now - self._rate_window >= 1.0:
            self._rate_window, self._rate_count = now, 0
        self._rate_count += 1
        return MSG_RATE_LIMITED if self._rate_count > MAX_MESSAGES_PER_SECOND else None

    def _broadcast_size_check(self, size: int) -> str | None:
        if size > MAX_BROADCAST_BYTES:
            return MSG_BROADCAST_TOO_LARGE.format(limit=MAX_BROADCAST_BYTES)
        return None

    async def _refuse_push(self, request: Frame, reason: str) -> None:
        """An error reply to a push the client numbered (realtime-js numbers every push)."""
        if request.ref is not None:
            await self._reply(request, "error", {"reason": reason})

    async def _broadcast(self, frame: Frame, channel: JoinedChannel) -> None:
        payload = frame.payload
        error = self._rate_check()
        readable = isinstance(payload, dict) and isinstance(payload.get("event"), str)
        if error is None and not readable:
            error = MSG_BROADCAST_PAYLOAD
        payload_json = json_encode(payload) if error is None else ""
        error = error or self._broadcast_size_check(len(payload_json.encode()))
        if error is not None:
            await self._refuse_push(frame, error)
            return
        member = channel.member
        await self._broadcast_then_ack(
            frame,
            channel,
            self.hub.rooms.broadcast_json(
                member.room,
                payload_json,
                sender=None if member.self_broadcast else member.member_id,
            ),
        )

    async def _broadcast_then_ack(self, request: Frame, channel: JoinedChannel, send) -> None:
        """Send a broadcast; with `config.broadcast.ack`, answer once it is sent (as Supabase,
        nothing is answered without it, unless it could not be sent)."""
        try:
            await send
        except Exception as exc:
            logger.debug("realtime: a broadcast could not be sent: %s", exc)
            await self._refuse_push(request, MSG_UNAVAILABLE.format(message=MSG_HUB_UNAVAILABLE))
            return
        if channel.ack and request.ref is not None:
            await self._reply(request, "ok", {})

    async def _presence(self, frame: Frame, channel: JoinedChannel) -> None:
        payload = frame.payload if isinstance(frame.payload, dict) else {}
        event = payload.get("event")
        event = event.lower() if isinstance(event, str) else event
        member = channel.member
        error = self._rate_check()
        if error is None and event == "track":
            meta = payload.get("payload", {})
            if not isinstance(meta, dict):
                error = MSG_PRESENCE_PAYLOAD
            elif len(json_encode(meta).encode()) > MAX_PRESENCE_BYTES:
                error = MSG_PRESENCE_TOO_LARGE
            else:
                if not member.presence_enabled:
                    # Tracking turns presence on: the state first, then the diffs.
                    member.presence_enabled = True
                    await self.frame_write(self.hub.rooms.presence_state(member))
                try:
                    await self.hub.rooms.presence_track(member, meta)
                except RoomLimit as exc:
                    error = exc.message
        elif error is None and event == "untrack":
            await self.hub.rooms.presence_untrack(member)
        elif error is None:
            error = MSG_PRESENCE_EVENT.format(event=event)
        if error is not None:
            await self._refuse_push(frame, error)
        else:
            await self._reply(frame, "ok", {})
