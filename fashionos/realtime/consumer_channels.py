"""The channels a realtime socket joins: `phx_join` (bindings, token, room), `access_token`,
`phx_leave`, and the end of a channel (expired token, revoked membership, ended session).

`RealtimeConsumer` (consumer.py) is built from `ChannelJoins` and `RoomPushes`
(consumer_pushes.py); the socket itself (connect, frames, routing) stays there.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from django.utils import timezone

from fashionos.accounts.tokens import TokenClaims, TokenError, token_decode
from fashionos.realtime.access import (
    Reader,
    claims_user_id,
    reader_load,
    token_expires_in,
)
from fashionos.realtime.bindings import Binding, BindingError, bindings_parse
from fashionos.realtime.hub_groups import HubUnavailable
from fashionos.realtime.protocol import (
    TOPIC_PREFIX,
    Frame,
    close_frame,
    system_frame,
)
from fashionos.realtime.room_members import (
    MSG_PRIVATE_REFUSED,
    MSG_PRIVATE_REVOKED,
    RoomMember,
    RoomRefused,
    private_campaign_id,
    reader_admitted,
    room_key,
)
from fashionos.realtime.subscriptions import Subscription

MAX_CHANNELS_PER_SOCKET = 100
# Expiry timers are re-armed at least daily, so a 10-year API key needs no 10-year timer.
MAX_EXPIRY_TIMER_SECONDS = 24 * 3600

MSG_UNMATCHED_TOPIC = "unmatched topic"
MSG_TOPIC_REQUIRED = "TopicNameRequired: You must provide a topic name"
MSG_JOIN_PAYLOAD = "The join payload must be an object; config must be an object."
MSG_BAD_BINDINGS = "Unable to subscribe to changes with given parameters: {reason}"
MSG_INVALID_TOKEN = "InvalidJWTToken: {message}"
MSG_TOO_MANY_CHANNELS = "ChannelRateLimitReached: Too many channels"
MSG_UNAVAILABLE = "RealtimeUnavailable: {message}"
MSG_SUBSCRIBED = "Subscribed to PostgreSQL"
MSG_TOKEN_EXPIRED = "Token has expired"

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


def _flag(value) -> bool:
    """Supabase reads config flags leniently (a boolean, or the text true/false)."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _section(config: dict, name: str) -> dict:
    section = config.get(name)
    return section if isinstance(section, dict) else {}


class ChannelJoins:
    """The channels of one socket (`self.channels`): joining, re-authorising and ending them."""

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
