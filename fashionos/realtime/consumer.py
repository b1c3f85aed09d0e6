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
- A frame over MAX_FRAME_CHARS closes the socket with CLOSE_FRAME_TOO_LARGE.

Close codes: a server may send only 1000 or 3000-4999 (`close_code_allowed`); RFC 6455's own
codes such as 1009 and 1013 are refused by autobahn (daphne), which then fails the socket
with 1011 instead. Ours are application codes, 4000-4999 (`CLOSE_CODES`, checked by tests).

Whatever ends a socket (the client closes, an error, a protocol violation, the server closes
it, a timeout, or the server cancels the consumer), `_release` runs exactly once and frees
everything the socket held: its channels, their hub subscriptions and groups, expiry timers
and tasks. `sockets_stats()` and `Hub.table_sizes()` show that state returning to empty.

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
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from autobahn.websocket.protocol import PreparedMessage, WebSocketServerProtocol
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from fashionos.accounts.tokens import TokenClaims, TokenError, token_decode
from fashionos.realtime.access import (
    Reader,
    api_key_check,
    claims_user_id,
    reader_load,
    token_expires_in,
)
from fashionos.realtime.bindings import Binding, BindingError, bindings_parse
from fashionos.realtime.hub import (
    MSG_UNAVAILABLE as MSG_HUB_UNAVAILABLE,
)
from fashionos.realtime.hub import (
    EncodedFrame,
    HubUnavailable,
    Subscription,
    hub_for_running_loop,
)
from fashionos.realtime.protocol import (
    DEFAULT_VSN,
    EVENT_ACCESS_TOKEN,
    EVENT_HEARTBEAT,
    EVENT_JOIN,
    EVENT_LEAVE,
    PHOENIX_TOPIC,
    SUPPORTED_VSNS,
    TOPIC_PREFIX,
    Frame,
    FrameError,
    close_frame,
    frame_decode,
    frame_encode,
    reply_frame,
    system_frame,
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
MAX_CHANNELS_PER_SOCKET = 100
# Expiry timers are re-armed at least daily, so a 10-year API key needs no 10-year timer.
MAX_EXPIRY_TIMER_SECONDS = 24 * 3600

MSG_UNSUPPORTED_VSN = "Unsupported vsn {vsn!r}: use 1.0.0 or 2.0.0."
MSG_UNMATCHED_TOPIC = "unmatched topic"
MSG_TOPIC_REQUIRED = "TopicNameRequired: You must provide a topic name"
MSG_JOIN_PAYLOAD = "The join payload must be an object; config must be an object."
MSG_BAD_BINDINGS = "Unable to subscribe to changes with given parameters: {reason}"
MSG_INVALID_TOKEN = "InvalidJWTToken: {message}"
MSG_TOO_MANY_CHANNELS = "ChannelRateLimitReached: Too many channels"
MSG_UNAVAILABLE = "RealtimeUnavailable: {message}"
MSG_UNKNOWN_ERROR = "UnknownErrorOnChannel: the server could not join this channel."
MSG_UNSUPPORTED_EVENT = "Event {event!r} is not supported on this server."
MSG_SUBSCRIBED = "Subscribed to PostgreSQL"
MSG_TOKEN_EXPIRED = "Token has expired"
MSG_FRAME_TOO_LARGE = "Frame too large: at most {limit} characters."

EXTENSION_POSTGRES_CHANGES = "postgres_changes"
EXTENSION_SYSTEM = "system"


@dataclass(eq=False)
class JoinedChannel:
    topic: str
    join_ref: str | None
    token: str
    claims: TokenClaims
    bindings: tuple[Binding, ...]
    subscription: Subscription | None = None
    expiry: asyncio.TimerHandle | None = field(default=None, repr=False)


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


class RealtimeConsumer(AsyncWebsocketConsumer):
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
            return  # binary frames carry broadcasts, which this server does not serve
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
        protocol = self._daphne_protocol
        if protocol is None:
            await self.base_send({"type": "websocket.send", "text": frame.text})
        elif protocol.state == protocol.STATE_OPEN:
            if frame.wire is None:
                frame.wire = PreparedMessage(frame.text.encode(), False, False, False)
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
        elif frame.ref is not None:
            await self._reply(
                frame, "error", {"reason": MSG_UNSUPPORTED_EVENT.format(event=frame.event)}
            )

    # --- channels -----------------------------------------------------------------------------

    async def _join(self, frame: Frame) -> None:
        topic = frame.topic
        if not topic.startswith(TOPIC_PREFIX):
            await self._reply(frame, "error", {"reason": MSG_UNMATCHED_TOPIC})
            return
        if topic == TOPIC_PREFIX:
            await self._reply(frame, "error", {"reason": MSG_TOPIC_REQUIRED})
            return
        payload = frame.payload
        config = payload.get("config", {}) if isinstance(payload, dict) else None
        if not isinstance(config, dict):
            await self._reply(frame, "error", {"reason": MSG_JOIN_PAYLOAD})
            return
        previous = self.channels.get(topic)
        if previous is not None:
            # A second join of the same topic replaces the first, as Phoenix does.
            self._channel_forget(previous)
            await self._send(close_frame(topic=topic, join_ref=previous.join_ref))
        if len(self.channels) >= MAX_CHANNELS_PER_SOCKET:
            await self._reply(frame, "error", {"reason": MSG_TOO_MANY_CHANNELS})
            return
        try:
            bindings = bindings_parse(config.get("postgres_changes"))
        except BindingError as exc:
            reason = MSG_BAD_BINDINGS.format(reason=exc.reason)
            await self._reply(frame, "error", {"reason": reason})
            return
        token = payload.get("access_token") or payload.get("user_token") or self.apikey
        channel = JoinedChannel(
            topic=topic,
            join_ref=frame.join_ref if frame.join_ref is not None else frame.ref,
            token=token,
            claims=None,  # type: ignore[arg-type]  # set below once verified
            bindings=bindings,
        )
        try:
            channel.claims, channel.subscription = await self._reader_subscribe(channel, token)
        except TokenError as exc:
            reason = MSG_INVALID_TOKEN.format(message=exc.message)
            await self._reply(frame, "error", {"reason": reason})
            return
        except HubUnavailable as exc:
            await self._reply(frame, "error", {"reason": MSG_UNAVAILABLE.format(message=exc)})
            return
        if not self.open:  # the socket closed while the join was in flight
            self._channel_forget(channel)
            return
        self.channels[topic] = channel
        await self._reply(frame, "ok", {"postgres_changes": [b.reply() for b in bindings]})
        if channel.subscription is not None:
            channel.subscription.active = True
            await self._send(
                system_frame(
                    topic=topic,
                    join_ref=channel.join_ref,
                    extension=EXTENSION_POSTGRES_CHANGES,
                    status="ok",
                    message=MSG_SUBSCRIBED,
                )
            )
        self._expiry_arm(channel)

    async def _reader_subscribe(
        self, channel: JoinedChannel, token: str
    ) -> tuple[TokenClaims, Subscription | None]:
        """Verify `token` and, when the channel has bindings, register a live subscription
        reading as it. Raises TokenError or HubUnavailable."""
        claims = token_decode(token)

        async def load() -> Reader:
            return await database_sync_to_async(reader_load)(claims)

        if not channel.bindings:
            await load()  # still refuse a token whose session has ended
            return claims, None
        subscription = Subscription(
            sink=self,
            vsn=self.vsn,
            topic=channel.topic,
            bindings=channel.bindings,
            user_id=claims_user_id(claims),
            session_id=str(claims.session_id) if claims.session_id else None,
        )
        await self.hub.subscription_add(subscription, load)
        return claims, subscription

    async def _token_replace(self, frame: Frame, channel: JoinedChannel) -> None:
        payload = frame.payload if isinstance(frame.payload, dict) else {}
        token = payload.get("access_token")
        if not token or token == channel.token:
            await self._reply(frame, "ok", {})
            return
        try:
            claims, subscription = await self._reader_subscribe(channel, token)
        except TokenError as exc:
            await self._channel_shutdown(channel, exc.message)
            return
        except HubUnavailable as exc:
            await self._reply(frame, "error", {"reason": MSG_UNAVAILABLE.format(message=exc)})
            return
        if self.channels.get(channel.topic) is not channel or not self.open:
            if subscription is not None:
                self.hub.subscription_remove(subscription)
            return
        # The new subscription is live before the old one goes: no change is missed, and none
        # is written twice (only the active one is written to).
        old = channel.subscription
        channel.token, channel.claims, channel.subscription = token, claims, subscription
        if subscription is not None:
            subscription.active = True
        if old is not None:
            self.hub.subscription_remove(old)
        self._expiry_arm(channel)
        await self._reply(frame, "ok", {})

    async def _channel_shutdown(self, channel: JoinedChannel, message: str) -> None:
        """End a channel the server will no longer serve: `system` error, then `phx_close`."""
        self._channel_forget(channel)
        await self._send(
            system_frame(
                topic=channel.topic,
                join_ref=channel.join_ref,
                extension=EXTENSION_SYSTEM,
                status="error",
                message=message,
            )
        )
        await self._send(close_frame(topic=channel.topic, join_ref=channel.join_ref))

    async def subscription_end(self, subscription: Subscription, reason: str) -> None:
        """The hub stopped serving a subscription (its sign-in session ended): close the
        channel that read through it, as an expired token would."""
        async with self._lock:
            for channel in list(self.channels.values()):
                if channel.subscription is subscription and self.open:
                    await self._channel_shutdown(channel, reason)

    def _channel_forget(self, channel: JoinedChannel) -> None:
        if self.channels.get(channel.topic) is channel:
            del self.channels[channel.topic]
        if channel.expiry is not None:
            channel.expiry.cancel()
            channel.expiry = None
        if channel.subscription is not None:
            self.hub.subscription_remove(channel.subscription)
            channel.subscription = None

    # --- token expiry -------------------------------------------------------------------------

    def _expiry_arm(self, channel: JoinedChannel) -> None:
        if channel.expiry is not None:
            channel.expiry.cancel()
        delay = token_expires_in(channel.claims, timezone.now())
        channel.expiry = asyncio.get_running_loop().call_later(
            max(0.0, min(delay, MAX_EXPIRY_TIMER_SECONDS)), self._expiry_fire, channel
        )

    def _expiry_fire(self, channel: JoinedChannel) -> None:
        task = asyncio.get_running_loop().create_task(self._expiry_check(channel))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _expiry_check(self, channel: JoinedChannel) -> None:
        async with self._lock:
            if self.channels.get(channel.topic) is not channel or not self.open:
                return
            if token_expires_in(channel.claims, timezone.now()) > 0:
                self._expiry_arm(channel)
                return
            await self._channel_shutdown(channel, MSG_TOKEN_EXPIRED)
