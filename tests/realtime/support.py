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

    async def receive_raw(self, timeout: float = RECEIVE_TIMEOUT) -> str:
        message = await self.communicator.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return message["text"]

    async def receive(self, timeout: float = RECEIVE_TIMEOUT) -> Frame:
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
        return await self.communicator.receive_nothing(timeout)

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
