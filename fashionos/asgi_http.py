"""Django's HTTP handling under ASGI: one thread hop per request, on long-lived threads.

Our views are sync (DRF). Django's own ASGIHandler costs a sync request two things the view
never sees (measured in docs/benchmarks.md):

- every built-in middleware (security, sessions, CSRF, auth, messages, ...) is a
  `MiddlewareMixin`, whose async path runs each `process_request` and `process_response`
  through `sync_to_async`: about a dozen hops between the event loop and a thread;
- each request gets a thread of its own, started and joined around it.

This handler keeps everything ASGIHandler does around a request (reading the body, the
request_started/finished signals, disconnects, streaming) and runs the whole middleware
chain and view in one call on one thread, as WSGI does. The threads come from a fixed set
that requests borrow one at a time, so a slow request never holds up another, at most
`threads` requests are inside Django at once per process (more wait their turn on the event
loop, holding nothing), and a request's database connection is opened, used and returned to
the pool on its one thread.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler


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
        executor = await self.threads.borrow()
        try:
            # Every thread-sensitive call of this request (the middleware chain and view,
            # then request_finished, which returns the database connection) runs on it.
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(executor)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
