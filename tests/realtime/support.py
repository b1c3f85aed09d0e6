"""Realtime test helpers: a Phoenix client over Channels' WebsocketCommunicator."""

from __future__ import annotations

import json
import uuid

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from fashionos.realtime.protocol import Frame, frame_decode

RECEIVE_TIMEOUT = 5.0
QUIET_TIMEOUT = 0.3

SAMPLES_ALL = {"event": "*", "schema": "public", "table": "samples"}


def run_sync(function, /, *args, **kwargs):
    """Run sync ORM code (services, factories) from an async test."""
    return database_sync_to_async(function)(*args, **kwargs)


class PhoenixClient:
    """Speaks the Phoenix protocol over a WebsocketCommunicator, in either vsn."""

    def __init__(self, *, apikey: str | None, vsn: str | None = "1.0.0") -> None:
        from fashionos.asgi import application

        query = []
        if apikey is not None:
            query.append(f"apikey={apikey}")
        if vsn is not None:
            query.append(f"vsn={vsn}")
        self.vsn = vsn or "1.0.0"
        self.communicator = WebsocketCommunicator(
            application, "/realtime/v1/websocket?" + "&".join(query)
        )
        self._ref = 0
        self.join_refs: dict[str, str] = {}
        self._held: list[Frame] = []

    async def connect(self) -> None:
        connected, _ = await self.communicator.connect()
        assert connected

    async def close(self) -> None:
        await self.communicator.disconnect()

    def next_ref(self) -> str:
        self._ref += 1
        return str(self._ref)

    async def push(
        self, topic: str, event: str, payload, *, ref: str | None = None, join_ref=None
    ) -> str | None:
        if self.vsn == "2.0.0":
            text = json.dumps([join_ref, ref, topic, event, payload])
        else:
            text = json.dumps(
                {
                    "topic": topic,
                    "event": event,
                    "payload": payload,
                    "ref": ref,
                    "join_ref": join_ref,
                }
            )
        await self.communicator.send_to(text_data=text)
        return ref

    async def push_binary(self, data: bytes) -> None:
        await self.communicator.send_to(bytes_data=data)

    async def receive_bytes(self, timeout: float = RECEIVE_TIMEOUT) -> bytes:
        message = await self.communicator.receive_output(timeout)
        assert message["type"] == "websocket.send" and message.get("bytes") is not None, message
        return message["bytes"]

    async def join_room(
        self,
        topic: str,
        *,
        access_token: str | None = None,
        private: bool = False,
        ack: bool = False,
        self_broadcast: bool = False,
        presence_key: str = "",
        presence: bool = False,
    ) -> Frame:
        """Join `realtime:<topic>` with a broadcast and presence config, as realtime-js sends
        it; return the reply (the join ref is kept for pushes on the channel)."""
        ref = self.next_ref()
        payload = {
            "config": {
                "broadcast": {"ack": ack, "self": self_broadcast},
                "presence": {"key": presence_key, "enabled": presence},
                "postgres_changes": [],
                "private": private,
            }
        }
        if access_token is not None:
            payload["access_token"] = access_token
        await self.push(f"realtime:{topic}", "phx_join", payload, ref=ref, join_ref=ref)
        reply = await self.receive_event("phx_reply")
        assert reply.ref == ref
        self.join_refs[f"realtime:{topic}"] = ref
        return reply

    async def send_broadcast(self, topic: str, event: str, payload, *, ref: str | None = None):
        """A broadcast push as realtime-js sends it in vsn 1.0.0 (and realtime-py always)."""
        ref = ref or self.next_ref()
        body = {"type": "broadcast", "event": event, "payload": payload}
        full = f"realtime:{topic}"
        await self.push(full, "broadcast", body, ref=ref, join_ref=self.join_refs.get(full))
        return ref

    async def send_presence(self, topic: str, event: str, payload=None) -> Frame:
        """`track` (with `payload`) or `untrack`; return the reply."""
        ref = self.next_ref()
        body = {"type": "presence", "event": event}
        if payload is not None:
            body["payload"] = payload
        full = f"realtime:{topic}"
        await self.push(full, "presence", body, ref=ref, join_ref=self.join_refs.get(full))
        return await self.reply_to(ref)

    async def reply_to(self, ref: str) -> Frame:
        """The reply to push `ref`; frames before it are kept for the next `receive`."""
        skipped: list[Frame] = []
        while True:
            frame = await self.receive()
            if frame.event == "phx_reply" and frame.ref == ref:
                self._held[:0] = skipped
                return frame
            skipped.append(frame)

    async def receive_raw(self, timeout: float = RECEIVE_TIMEOUT) -> str:
        message = await self.communicator.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return message["text"]

    async def receive(self, timeout: float = RECEIVE_TIMEOUT) -> Frame:
        if self._held:
            return self._held.pop(0)
        text = await self.receive_raw(timeout)
        if self.vsn == "2.0.0":
            assert isinstance(json.loads(text), list), text
        else:
            assert isinstance(json.loads(text), dict), text
        return frame_decode(text, self.vsn)

    async def receive_event(self, event: str, timeout: float = RECEIVE_TIMEOUT) -> Frame:
        """The next frame, which must be `event`."""
        frame = await self.receive(timeout)
        assert frame.event == event, frame
        return frame

    async def receive_close(self, timeout: float = RECEIVE_TIMEOUT) -> dict:
        message = await self.communicator.receive_output(timeout)
        assert message["type"] == "websocket.close", message
        return message

    async def quiet(self, timeout: float = QUIET_TIMEOUT) -> bool:
        return not self._held and await self.communicator.receive_nothing(timeout)

    async def join(
        self, topic: str, bindings: list[dict], *, access_token: str | None = None
    ) -> Frame:
        """Join and return the reply; on success also consume the `system` message."""
        ref = self.next_ref()
        payload = {
            "config": {
                "broadcast": {"ack": False, "self": False},
                "presence": {"key": ""},
                "postgres_changes": bindings,
            }
        }
        if access_token is not None:
            payload["access_token"] = access_token
        await self.push(f"realtime:{topic}", "phx_join", payload, ref=ref, join_ref=ref)
        reply = await self.receive_event("phx_reply")
        assert reply.ref == ref
        if reply.payload["status"] == "ok" and bindings:
            system = await self.receive_event("system")
            assert system.payload["status"] == "ok", system
        return reply

    async def subscribe(self, topic: str, bindings: list[dict], **kwargs) -> list[int]:
        reply = await self.join(topic, bindings, **kwargs)
        assert reply.payload["status"] == "ok", reply.payload
        return [b["id"] for b in reply.payload["response"]["postgres_changes"]]

    async def change(self, timeout: float = RECEIVE_TIMEOUT) -> Frame:
        return await self.receive_event("postgres_changes", timeout)


def unique_name() -> str:
    return uuid.uuid4().hex[:8]
