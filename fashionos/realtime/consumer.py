"""The websocket at `/realtime/v1/websocket`, speaking Supabase Realtime's Phoenix protocol as
the official clients (realtime-js / supabase-js, realtime-py / supabase-py) use it.

- `?apikey=` must be one of our anon or service keys, else the socket is closed with
  CLOSE_INVALID_APIKEY; `?vsn=` picks object (1.0.0, the default) or array (2.0.0) frames.
- `heartbeat` on `phoenix` is answered with the same ref.
- `phx_join` on `realtime:<name>` validates `config.postgres_changes`, resolves the channel's
  `access_token` (or the apikey), registers with the process's hub, and replies only once the
  subscription is live; then a `system` "Subscribed to PostgreSQL" follows, as Supabase sends.
- `access_token` replaces the channel's token (memberships reloaded); an invalid or expired
  token, or the token expiring while subscribed, ends the channel with a `system` error and
  `phx_close`.
- `phx_leave` replies ok and ends the channel.
- Every joined channel is a member of its topic's room (`rooms.py`): `broadcast` pushes (text,
  or vsn 2.0.0 binary user broadcast pushes) reach the room's other members, and the sender
  too with `config.broadcast.self`; `config.broadcast.ack` has each one answered once sent.
  `presence` pushes `track`/`untrack` under `config.presence.key` (a fresh key when empty);
  every member hears `presence_diff` (as on Supabase), and a member with presence on
  (`config.presence.enabled`, or once it tracks) first gets `presence_state`.
- `config.private: true` on `campaign:<id>` admits that campaign's members (and the service
  key and staff); anyone else is refused at join with Supabase's Unauthorized reason, and a
  member whose membership is revoked has the channel closed, as postgres_changes does.
- Bounds: a broadcast payload over MAX_BROADCAST_BYTES, a presence meta over
  MAX_PRESENCE_BYTES, more than MAX_MESSAGES_PER_SECOND broadcast and presence pushes on one
  socket, or a room's presence keys over its limit get an error reply, and nothing is sent.
- A frame over MAX_FRAME_CHARS closes the socket with CLOSE_FRAME_TOO_LARGE.

Close codes: a server may send only 1000 or 3000-4999 (`close_code_allowed`); RFC 6455's own
codes such as 1009 and 1013 are refused by autobahn (daphne), which then fails the socket
with 1011 instead. Ours are application codes, 4000-4999 (`CLOSE_CODES`, checked by tests).

Whatever ends a socket (the client closes, an error, a protocol violation, the server closes
it, a timeout, or the server cancels the consumer), `_release` runs exactly once and frees
everything the socket held: its channels, their hub subscriptions and groups, expiry timers
and tasks. `sockets_stats()` and `Hub.table_sizes()` show that state returning to empty.

The channels of a socket (join, token, leave, expiry) are `ChannelJoins`
(consumer_channels.py); its broadcast and presence pushes are `RoomPushes` (consumer_pushes.py).

A socket has no channel-layer channel of its own: the hub is this process's only member of the
realtime groups and writes `postgres_changes` frames straight to the sockets (`frame_write`).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
import uuid
from urllib.parse import parse_qs

from autobahn.websocket.protocol import PreparedMessage, WebSocketServerProtocol
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from fashionos.accounts.tokens import TokenError
from fashionos.realtime.access import (
    api_key_check,
)
from fashionos.realtime.consumer_channels import (
    MSG_UNMATCHED_TOPIC,
    ChannelJoins,
    JoinedChannel,
)
from fashionos.realtime.consumer_pushes import RoomPushes
from fashionos.realtime.hub import hub_for_running_loop
from fashionos.realtime.hub_groups import MSG_UNAVAILABLE as MSG_HUB_UNAVAILABLE
from fashionos.realtime.hub_groups import HubUnavailable
from fashionos.realtime.protocol import (
    DEFAULT_VSN,
    EVENT_ACCESS_TOKEN,
    EVENT_BROADCAST,
    EVENT_HEARTBEAT,
    EVENT_JOIN,
    EVENT_LEAVE,
    EVENT_PRESENCE,
    PHOENIX_TOPIC,
    SUPPORTED_VSNS,
    EncodedFrame,
    Frame,
    FrameError,
    frame_decode,
    frame_encode,
    reply_frame,
)

logger = logging.getLogger("fashionos.realtime")

# Close codes (4000-4999 are the application's; see the module docstring).
CLOSE_INVALID_APIKEY = 4001
CLOSE_UNSUPPORTED_VSN = 4002
CLOSE_FRAME_TOO_LARGE = 4009  # RFC 6455's 1009 "message too big", which a server may not send
CLOSE_TRY_AGAIN_LATER = 4013  # RFC 6455's 1013: the channel layer is down
CLOSE_CODES = (CLOSE_INVALID_APIKEY, CLOSE_UNSUPPORTED_VSN, CLOSE_FRAME_TOO_LARGE,
               CLOSE_TRY_AGAIN_LATER)  # fmt: skip
HUB_START_TIMEOUT_SECONDS = 5.0

MAX_FRAME_CHARS = 64 * 1024

MSG_UNSUPPORTED_VSN = "Unsupported vsn {vsn!r}: use 1.0.0 or 2.0.0."
MSG_UNKNOWN_ERROR = "UnknownErrorOnChannel: the server could not join this channel."
MSG_UNSUPPORTED_EVENT = "Event {event!r} is not supported on this server."
MSG_FRAME_TOO_LARGE = "Frame too large: at most {limit} characters."


def close_code_allowed(code: int) -> bool:
    """May a server send `code` in a close frame? 1000 and the registered and private
    ranges (3000-4999), as autobahn and the websockets library enforce."""
    return code == 1000 or 3000 <= code <= 4999


# The sockets of this process that hold state (connected and not yet released).
_sockets: dict[str, RealtimeConsumer] = {}


def sockets_stats() -> dict[str, int]:
    """What this process holds for its sockets: sockets, joined channels, armed expiry
    timers and pending tasks. All zero once every socket has ended."""
    channels = [channel for socket in _sockets.values() for channel in socket.channels.values()]
    return {
        "sockets": len(_sockets),
        "channels": len(channels),
        "timers": sum(1 for channel in channels if channel.expiry is not None),
        "tasks": sum(len(socket._tasks) for socket in _sockets.values()),
    }


def _query_param(scope, name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


def _daphne_protocol(send):
    """Under daphne, the socket's autobahn protocol, else None.

    Daphne gives each connection `partial(server.handle_reply, protocol)` as its ASGI send,
    which frames every message anew for every socket: ~50 us a socket, most of the cost of
    writing one change to 1,000 subscribers. Autobahn's PreparedMessage is framed once and
    written to each socket as-is, which is what DESIGN.md section 7's numbers assume. Other
    servers (uvicorn, the test communicator) keep the plain ASGI send.
    """
    protocol = send.args[0] if isinstance(send, functools.partial) and send.args else None
    if isinstance(protocol, WebSocketServerProtocol) and hasattr(protocol, "handle_reply"):
        return protocol
    return None


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class RealtimeConsumer(ChannelJoins, RoomPushes, AsyncWebsocketConsumer):
    # No channel-layer channel per socket (see the module docstring): `get_channel_layer` of
    # an alias that is not configured is None, so Channels creates none.
    channel_layer_alias = None

    async def __call__(self, scope, receive, send):
        # However the consumer ends (a disconnect, an exception in a handler, or the server
        # cancelling it), what the socket held is freed.
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release(None)

    async def dispatch(self, message):
        # Channels closes stale DB connections before every message (a thread hop per frame);
        # this consumer touches the DB only through database_sync_to_async, which does it.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- socket -------------------------------------------------------------------------------

    def _log(self, event: str, **fields) -> None:
        """One structured line per socket event; never the apikey or a token."""
        if logger.isEnabledFor(logging.INFO):
            client = self.scope.get("client") or ("", 0)
            logger.info(
                json.dumps(
                    {
                        "event": event,
                        "path": self.scope.get("path"),
                        "socket_id": self.socket_id,
                        "client": client[0],
                        "vsn": getattr(self, "vsn", None),
                        **fields,
                    }
                )
            )

    async def connect(self) -> None:
        self.socket_id = uuid.uuid4().hex
        self.connected_at = time.monotonic()
        self.channels: dict[str, JoinedChannel] = {}
        self.open = False
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()
        self._rate_window = 0.0
        self._rate_count = 0
        self.vsn = _query_param(self.scope, "vsn") or DEFAULT_VSN
        refusal: tuple[int, str] | None = None
        if self.vsn not in SUPPORTED_VSNS:
            refusal = (CLOSE_UNSUPPORTED_VSN, MSG_UNSUPPORTED_VSN.format(vsn=self.vsn))
        else:
            apikey = _query_param(self.scope, "apikey") or _header(self.scope, b"apikey")
            try:
                api_key_check(apikey)
            except TokenError as exc:
                refusal = (CLOSE_INVALID_APIKEY, exc.message)
        # Logged before the accept goes out, so the line is there when the client hears it.
        if refusal is not None:
            self._log("ws_refused", code=refusal[0], reason=refusal[1])
            await self.accept()
            await self.close(code=refusal[0], reason=refusal[1])
            return
        self.hub = hub_for_running_loop()
        try:
            # The process's hub must be listening on the channel layer, or nothing could be
            # delivered: refuse the socket now with a reason, rather than fail every join.
            await asyncio.wait_for(self.hub.start(), HUB_START_TIMEOUT_SECONDS)
        except (HubUnavailable, TimeoutError):
            self._log("ws_refused", code=CLOSE_TRY_AGAIN_LATER, reason=MSG_HUB_UNAVAILABLE)
            await self.accept()
            await self.close(code=CLOSE_TRY_AGAIN_LATER, reason=MSG_HUB_UNAVAILABLE)
            return
        self._log("ws_connect")
        self.apikey = apikey
        self._daphne_protocol = _daphne_protocol(self.base_send)
        self.open = True
        _sockets[self.socket_id] = self
        await self.accept()

    async def disconnect(self, code) -> None:
        self._release(code)

    def _release(self, code: int | None) -> None:
        """Free everything the socket holds (channels, hub subscriptions and their groups,
        expiry timers, tasks); log `ws_disconnect` once. Synchronous, so nothing can run in
        between, and idempotent: every way a socket ends calls it."""
        if not getattr(self, "open", False):
            return
        self.open = False
        self._log(
            "ws_disconnect",
            code=code,
            seconds=round(time.monotonic() - self.connected_at, 3),
            channels=len(self.channels),
        )
        try:
            for channel in list(self.channels.values()):
                self._channel_forget(channel)
            for task in list(self._tasks):
                task.cancel()
        finally:
            _sockets.pop(self.socket_id, None)

    async def _close(self, code: int, reason: str) -> None:
        """Close the socket from the server's side, freeing its state first (a client that
        never answers the close must not keep it)."""
        self._release(code)
        try:
            await self.close(code=code, reason=reason)
        except Exception:  # the connection is already gone
            logger.debug("realtime: closing socket %s failed", self.socket_id, exc_info=True)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if not self.open:
            return
        size = len(text_data) if text_data is not None else len(bytes_data or b"")
        if size > MAX_FRAME_CHARS:
            await self._close(
                CLOSE_FRAME_TOO_LARGE, MSG_FRAME_TOO_LARGE.format(limit=MAX_FRAME_CHARS)
            )
            return
        if text_data is None:
            await self._binary_receive(bytes_data or b"")
            return
        try:
            frame = frame_decode(text_data, self.vsn)
        except FrameError as exc:
            logger.debug("realtime: unreadable frame: %s", exc)
            return
        try:
            await self._route(frame)
        except Exception:
            logger.exception("realtime: %s on %s failed", frame.event, frame.topic)
            await self._reply(frame, "error", {"reason": MSG_UNKNOWN_ERROR})

    async def frame_write(self, frame: EncodedFrame) -> None:
        """Write a frame the hub encoded once for all its sockets."""
        if not self.open:
            return
        binary = isinstance(frame.data, bytes)
        protocol = self._daphne_protocol
        if protocol is None:
            await self.base_send(
                {"type": "websocket.send", "bytes" if binary else "text": frame.data}
            )
        elif protocol.state == protocol.STATE_OPEN:
            if frame.wire is None:
                data = frame.data if binary else frame.data.encode()
                frame.wire = PreparedMessage(data, binary, False, False)
            protocol.sendPreparedMessage(frame.wire)

    async def _send(self, frame: Frame) -> None:
        if self.open:
            text = frame_encode(frame, self.vsn)
            await self.base_send({"type": "websocket.send", "text": text})

    async def _reply(self, request: Frame, status: str, response: dict) -> None:
        await self._send(reply_frame(request, status, response))

    # --- routing ------------------------------------------------------------------------------

    async def _route(self, frame: Frame) -> None:
        if frame.topic == PHOENIX_TOPIC:
            if frame.event == EVENT_HEARTBEAT:
                await self._reply(frame, "ok", {})
            return
        if frame.event == EVENT_JOIN:
            async with self._lock:
                await self._join(frame)
            return
        channel = self.channels.get(frame.topic)
        if channel is None:
            await self._reply(frame, "error", {"reason": MSG_UNMATCHED_TOPIC})
        elif frame.event == EVENT_LEAVE:
            async with self._lock:
                self._channel_forget(channel)
            await self._reply(frame, "ok", {})
        elif frame.event == EVENT_ACCESS_TOKEN:
            async with self._lock:
                await self._token_replace(frame, channel)
        elif frame.event == EVENT_BROADCAST and channel.member is not None:
            await self._broadcast(frame, channel)
        elif frame.event == EVENT_PRESENCE and channel.member is not None:
            await self._presence(frame, channel)
        elif frame.ref is not None:
            await self._reply(
                frame, "error", {"reason": MSG_UNSUPPORTED_EVENT.format(event=frame.event)}
            )
