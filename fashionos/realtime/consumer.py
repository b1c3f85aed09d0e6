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
    HubUnavailable,
    Subscription,
    hub_for_running_loop,
)
from fashionos.realtime.protocol import (
    DEFAULT_VSN,
    ENCODING_JSON,
    EVENT_ACCESS_TOKEN,
    EVENT_BROADCAST,
    EVENT_HEARTBEAT,
    EVENT_JOIN,
    EVENT_LEAVE,
    EVENT_PRESENCE,
    PHOENIX_TOPIC,
    SUPPORTED_VSNS,
    TOPIC_PREFIX,
    VSN_2,
    EncodedFrame,
    Frame,
    FrameError,
    close_frame,
    frame_decode,
    frame_encode,
    json_encode,
    reply_frame,
    system_frame,
    user_broadcast_push_decode,
)
from fashionos.realtime.rooms import (
    MSG_PRIVATE_REFUSED,
    MSG_PRIVATE_REVOKED,
    RoomLimit,
    RoomMember,
    RoomRefused,
    private_campaign_id,
    reader_admitted,
    room_key,
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
MAX_BROADCAST_BYTES = 32 * 1024
MAX_PRESENCE_BYTES = 4 * 1024
MAX_MESSAGES_PER_SECOND = 100

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
MSG_BROADCAST_PAYLOAD = "A broadcast payload must be an object with a string `event`."
MSG_BROADCAST_TOO_LARGE = "PayloadSizeExceeded: a broadcast payload is at most {limit} bytes."
MSG_BROADCAST_NOT_JSON = "The binary broadcast says JSON but its payload is not JSON."
MSG_PRESENCE_PAYLOAD = "Presence track payload must be a map"
MSG_PRESENCE_TOO_LARGE = "Track message size exceeded"
MSG_PRESENCE_EVENT = "Unknown presence event {event!r}: use track or untrack."
MSG_RATE_LIMITED = "ClientRateLimitReached: Too many messages per second"

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
    member: RoomMember | None = None
    ack: bool = False
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


def _flag(value) -> bool:
    """Supabase reads config flags leniently (a boolean, or the text true/false)."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _section(config: dict, name: str) -> dict:
    section = config.get(name)
    return section if isinstance(section, dict) else {}


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
            ack=_flag(_section(config, "broadcast").get("ack")),
        )
        try:
            channel.claims, channel.subscription = await self._reader_subscribe(channel, token)
            channel.member = await self._member_join(channel, config)
        except (TokenError, HubUnavailable, RoomRefused) as exc:
            self._channel_forget(channel)
            if isinstance(exc, TokenError):
                reason = MSG_INVALID_TOKEN.format(message=exc.message)
            elif isinstance(exc, RoomRefused):
                reason = exc.message
            else:
                reason = MSG_UNAVAILABLE.format(message=exc)
            await self._reply(frame, "error", {"reason": reason})
            return
        except ValueError:
            self._channel_forget(channel)
            await self._reply(frame, "error", {"reason": MSG_JOIN_PAYLOAD})
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
        channel.member.active = True
        if channel.member.presence_enabled:
            await self.frame_write(self.hub.rooms.presence_state(channel.member))
        self._expiry_arm(channel)

    async def _member_join(self, channel: JoinedChannel, config: dict) -> RoomMember:
        """Make the channel a member of its room; raises ValueError for a presence key that is
        not text, RoomRefused when a private room does not admit the channel's reader."""
        subtopic = channel.topic.removeprefix(TOPIC_PREFIX)
        presence = _section(config, "presence")
        key = presence.get("key")
        if key is None or key == "":
            key = str(uuid.uuid1())  # as Supabase: a fresh key per channel
        elif isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        elif not isinstance(key, str):
            raise ValueError(MSG_JOIN_PAYLOAD)
        private = _flag(config.get("private"))
        member = RoomMember(
            sink=self,
            vsn=self.vsn,
            topic=channel.topic,
            room=room_key(subtopic, private=private),
            self_broadcast=_flag(_section(config, "broadcast").get("self")),
            presence_key=key,
            presence_enabled=_flag(presence.get("enabled")),
        )
        load = None
        if private:
            member.campaign_id = private_campaign_id(subtopic)
            if member.campaign_id is None:
                raise RoomRefused(MSG_PRIVATE_REFUSED.format(topic=subtopic))
            claims = channel.claims
            member.user_id = claims_user_id(claims)
            member.session_id = str(claims.session_id) if claims.session_id else None

            async def load() -> Reader:
                return await database_sync_to_async(reader_load)(claims)

        await self.hub.rooms.member_add(member, load)
        return member

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
        subscription = None
        try:
            claims, subscription = await self._reader_subscribe(channel, token)
            refusal = await self._private_recheck(channel, claims)
        except (TokenError, HubUnavailable) as exc:
            if subscription is not None:
                self.hub.subscription_remove(subscription)
            if isinstance(exc, TokenError):
                await self._channel_shutdown(channel, exc.message)
            else:
                reason = MSG_UNAVAILABLE.format(message=exc)
                await self._reply(frame, "error", {"reason": reason})
            return
        if refusal is not None:
            if subscription is not None:
                self.hub.subscription_remove(subscription)
            await self._channel_shutdown(channel, refusal)
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

    async def _private_recheck(self, channel: JoinedChannel, claims: TokenClaims) -> str | None:
        """For a private channel, why the new token may not read it (another user, or no
        longer a member), else None."""
        member = channel.member
        if member is None or member.campaign_id is None:
            return None
        reader = await database_sync_to_async(reader_load)(claims)
        if claims_user_id(claims) != member.user_id or not reader_admitted(
            reader, member.campaign_id
        ):
            return MSG_PRIVATE_REVOKED.format(topic=member.room.removeprefix("private:"))
        return None

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

    async def member_end(self, member: RoomMember, reason: str) -> None:
        """The hub removed a private room's member (membership revoked, session ended):
        close its channel with `reason`."""
        async with self._lock:
            for channel in list(self.channels.values()):
                if channel.member is member and self.open:
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
        if channel.member is not None:
            self.hub.rooms.member_remove(channel.member)
            channel.member = None

    # --- broadcast and presence -----------------------------------------------------------------

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
