"""Django's HTTP handling under ASGI: one thread hop per request, on long-lived threads.

Our views are sync (DRF). Django's own ASGIHandler costs a sync request two things the view
never sees (measured in docs/benchmarks.md):

- every built-in middleware (security, sessions, CSRF, auth, messages, ...) is a
  `MiddlewareMixin`, whose async path runs each `process_request` and `process_response`
  through `sync_to_async`: about a dozen hops between the event loop and a thread;
- each request gets a thread of its own, started and joined around it.

This handler keeps everything ASGIHandler does around a request (reading the body, the
request_started/finished signals, disconnects, streaming) and runs the whole middleware
chain and view in one call on one thread, as WSGI does. It also bounds the body before and
while reading it (`fashionos.request_body`): a declared length over the bound is a 413
before a byte is read (Django's own handler reads the whole body first), and a body with
no declared length is read only up to the bound. The threads come from a fixed set
that requests borrow one at a time, so a slow request never holds up another, at most
`threads` requests are inside Django at once per process (more wait their turn on the event
loop, holding nothing), and a request's database connection is opened, used and returned to
the pool on its one thread.
"""

from __future__ import annotations

import asyncio
import tempfile
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler

from fashionos.request_body import (
    RequestBodyTooLarge,
    body_limit,
    declared_length,
    refusal_log,
    too_large_body,
)


class RequestThreads:
    """`size` single-thread executors, lent to one request at a time (per event loop)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a request needs at least one thread")
        self.size = size
        self._idle: dict[asyncio.AbstractEventLoop, asyncio.Queue[ThreadPoolExecutor]] = {}

    def _queue(self) -> asyncio.Queue[ThreadPoolExecutor]:
        loop = asyncio.get_running_loop()
        idle = self._idle.get(loop)
        if idle is None:
            for old in [old for old in self._idle if old.is_closed()]:
                for executor in self._drain(self._idle.pop(old)):
                    executor.shutdown(wait=False)
            idle = self._idle[loop] = asyncio.Queue()
            for number in range(self.size):
                idle.put_nowait(
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"http-{number}")
                )
        return idle

    @staticmethod
    def _drain(idle: asyncio.Queue[ThreadPoolExecutor]) -> list[ThreadPoolExecutor]:
        executors = []
        while not idle.empty():
            executors.append(idle.get_nowait())
        return executors

    async def borrow(self) -> ThreadPoolExecutor:
        return await self._queue().get()

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        self._queue().put_nowait(executor)


class OneHopASGIHandler(ASGIHandler):
    def __init__(self, *, threads: int) -> None:
        # Skip ASGIHandler.__init__, which would build the async middleware chain too.
        super(ASGIHandler, self).__init__()
        self.load_middleware(is_async=False)
        self.threads = RequestThreads(threads)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP connections, not {scope['type']!r}.")
        headers = dict(scope.get("headers", ()))
        declared = declared_length(headers.get(b"content-length"))
        if declared is not None and declared > body_limit():
            await self._refuse(scope, send, declared)
            return
        executor = await self.threads.borrow()
        try:
            # Every thread-sensitive call of this request (the middleware chain and view,
            # then request_finished, which returns the database connection) runs on it.
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(executor)

    async def handle(self, scope, receive, send) -> None:
        try:
            await super().handle(scope, receive, send)
        except RequestBodyTooLarge:
            await self._refuse(scope, send, None)

    async def read_body(self, receive):
        """The body, spooled to disk past FILE_UPLOAD_MAX_MEMORY_SIZE as Django does; raises
        RequestBodyTooLarge as soon as it passes the bound (nothing more is read)."""
        limit = body_limit()
        size = 0
        body_file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (returned open, as Django's)
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b"
        )
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                body_file.close()
                raise RequestAborted()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                body_file.close()
                raise RequestBodyTooLarge()
            body_file.write(chunk)
            if not message.get("more_body", False):
                break
        body_file.seek(0)
        return body_file

    @staticmethod
    async def _refuse(scope, send, declared: int | None) -> None:
        refusal_log(method=scope.get("method", ""), path=scope.get("path", ""), declared=declared)
        body = too_large_body()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
