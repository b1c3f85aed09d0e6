"""Hand committed changes to the channel layer: one message per change, to its campaign's group
(plus one to the see-all group), never one per subscriber.

`changes.py` calls these from `transaction.on_commit`, in whatever thread committed:

- a sync view or service running inside the ASGI server (a thread of the server's loop): the
  message is sent on that loop, where this process's hub and channel layer connection live;
- async code on a loop (rare: services are sync): a task on that loop;
- a management command, a WSGI worker, a shell: a long-lived publisher loop in a daemon thread,
  so a command that writes 1,000 rows reuses one Redis connection instead of opening 1,000.

A channel layer outage never fails the committed write: publishing is bounded in time, and after
a failure it is suspended for a few seconds (the writes go on, their announcements are dropped)
and reported once per interval with a count, not once per change.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Any

from channels.layers import get_channel_layer

from fashionos.realtime.groups import (
    GROUP_ALL,
    MESSAGE_CHANGE,
    MESSAGE_MEMBERSHIP,
    MESSAGE_SESSION_END,
    SCOPE_ALL,
    SCOPE_CAMPAIGN,
    campaign_group,
    user_group,
)
from fashionos.realtime.hub import running_hub_loop
from fashionos.realtime.room_members import broadcast_message, room_group

logger = logging.getLogger("fashionos.realtime")

PUBLISH_TIMEOUT_SECONDS = 2.0
SUSPEND_AFTER_FAILURE_SECONDS = 5.0
REPORT_INTERVAL_SECONDS = 60.0

Outgoing = list[tuple[str, dict[str, Any]]]


def change_publish(change) -> None:
    """Send one committed RowChange to its campaign's group and to the see-all group."""
    message = {
        "type": MESSAGE_CHANGE,
        "table": change.table,
        "change_type": change.type,
        "campaign_id": str(change.campaign_id),
        "record": change.record,
        "old_record": change.old_record,
        "commit_timestamp": change.commit_timestamp,
    }
    outbox.send(
        [
            (campaign_group(message["campaign_id"]), {**message, "scope": SCOPE_CAMPAIGN}),
            (GROUP_ALL, {**message, "scope": SCOPE_ALL}),
        ]
    )


def membership_publish(*, user_id: str, campaign_id: str, role: str | None) -> None:
    """Tell the user's open sockets that a membership was granted, changed or (role None)
    revoked."""
    outbox.send(
        [
            (
                user_group(str(user_id)),
                {
                    "type": MESSAGE_MEMBERSHIP,
                    "user_id": str(user_id),
                    "campaign_id": str(campaign_id),
                    "role": role,
                },
            )
        ]
    )


def session_end_publish(*, user_id: str, session_ids: list[str]) -> None:
    """Tell the user's open sockets that these sign-in sessions ended (signed out, or a
    refresh token used twice): channels reading as one of them are closed at once instead
    of when their access token expires."""
    if not session_ids:
        return
    outbox.send(
        [
            (
                user_group(str(user_id)),
                {
                    "type": MESSAGE_SESSION_END,
                    "user_id": str(user_id),
                    "session_ids": [str(session_id) for session_id in session_ids],
                },
            )
        ]
    )


def broadcasts_publish(broadcasts: list[tuple[str, str]]) -> None:
    """Send `(room, payload JSON)` broadcasts to their rooms' groups (the HTTP API's sends)."""
    outbox.send(
        [
            (room_group(room), broadcast_message(room, payload_json, None))
            for room, payload_json in broadcasts
        ]
    )


def sessions_end_receive(sender, *, user_id: str, session_ids: list[str], **kwargs) -> None:
    """`fashionos.accounts.signals.sessions_ended`'s receiver (connected by the realtime
    app): close the channels reading as these sessions."""
    session_end_publish(user_id=user_id, session_ids=session_ids)


async def _group_send_all(messages: Outgoing) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    await asyncio.wait_for(
        asyncio.gather(*(layer.group_send(group, message) for group, message in messages)),
        PUBLISH_TIMEOUT_SECONDS,
    )


class _PublisherLoop:
    """An event loop in a daemon thread for publishing from threads that have none."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid: int | None = None

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid() or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="realtime-publisher", daemon=True
                ).start()
                self._loop, self._pid = loop, os.getpid()
            return self._loop


class Outbox:
    def __init__(self) -> None:
        self._publisher_loop = _PublisherLoop()
        self._lock = threading.Lock()
        self._suspended_until = 0.0
        self._dropped = 0
        self._last_report = float("-inf")
        self._tasks: set[asyncio.Task] = set()

    def send(self, messages: Outgoing) -> None:
        """Publish now; never raises."""
        if time.monotonic() < self._suspended_until:
            self._dropped_count(len(messages), None)
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        try:
            if running is not None:
                task = running.create_task(self._send_async(messages))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                return
            loop = running_hub_loop() or self._publisher_loop.get()
            future = asyncio.run_coroutine_threadsafe(_group_send_all(messages), loop)
            future.result(PUBLISH_TIMEOUT_SECONDS + 1)
        except Exception as exc:
            self._failed(exc, len(messages))

    async def _send_async(self, messages: Outgoing) -> None:
        try:
            await _group_send_all(messages)
        except Exception as exc:
            self._failed(exc, len(messages))

    def _failed(self, exc: BaseException, count: int) -> None:
        with self._lock:
            self._suspended_until = time.monotonic() + SUSPEND_AFTER_FAILURE_SECONDS
        self._dropped_count(count, exc)

    def _dropped_count(self, count: int, exc: BaseException | None) -> None:
        with self._lock:
            self._dropped += count
            now = time.monotonic()
            if now - self._last_report < REPORT_INTERVAL_SECONDS:
                return
            dropped, self._dropped, self._last_report = self._dropped, 0, now
        logger.warning(
            "realtime: could not publish to the channel layer (%s); %d message(s) dropped "
            "since the last report. Writes are unaffected; publishing retries in %.0fs.",
            f"{exc.__class__.__name__}: {exc}" if exc else "suspended after a failure",
            dropped,
            SUSPEND_AFTER_FAILURE_SECONDS,
        )

    def reset(self) -> None:
        """Forget a past failure (tests, or an operator after an outage)."""
        with self._lock:
            self._suspended_until = 0.0
            self._dropped = 0
            self._last_report = float("-inf")


outbox = Outbox()
