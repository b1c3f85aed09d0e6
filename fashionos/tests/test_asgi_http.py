"""HTTP under ASGI (fashionos/asgi_http.py): one thread hop per request on borrowed
long-lived threads, requests in parallel up to the thread count, and the database connection
of a request opened and given back on its one thread."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref import sync as asgiref_sync
from channels.testing import HttpCommunicator
from django.db import connection, connections
from django.http import JsonResponse
from django.test.utils import override_settings
from django.urls import path

from fashionos.asgi_http import OneHopASGIHandler, RequestThreads

SLOW_SECONDS = 0.3
seen: list[dict] = []


def slow(request):
    time.sleep(SLOW_SECONDS)
    return JsonResponse({"thread": threading.current_thread().name})


def where(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    seen.append({"view": threading.current_thread().name, "wrapper": connections["default"]})
    return JsonResponse({"thread": threading.current_thread().name})


urlpatterns = [path("slow", slow), path("where", where)]


async def _get(app, url: str) -> dict:
    """The reply, once the app has finished the request (closing it comes after the body)."""
    communicator = HttpCommunicator(app, "GET", url, headers=[(b"host", b"testserver")])
    reply = await communicator.get_response(timeout=10)
    await communicator.wait(timeout=10)
    return reply


@override_settings(ROOT_URLCONF=__name__)
async def test_slow_requests_run_side_by_side_up_to_the_thread_count():
    app = OneHopASGIHandler(threads=3)

    started = time.monotonic()
    replies = await asyncio.gather(*(_get(app, "/slow") for _ in range(3)))
    parallel = time.monotonic() - started
    started = time.monotonic()
    await asyncio.gather(*(_get(app, "/slow") for _ in range(6)))
    queued = time.monotonic() - started

    assert all(reply["status"] == 200 for reply in replies)
    assert parallel < 2 * SLOW_SECONDS  # three at once, not one after another
    assert queued >= 2 * SLOW_SECONDS  # six on three threads: two rounds, never more at once


@override_settings(ROOT_URLCONF=__name__)
async def test_requests_reuse_a_fixed_set_of_threads():
    app = OneHopASGIHandler(threads=2)
    names = set()
    for _ in range(6):
        reply = await _get(app, "/slow")
        names.add(reply["body"].decode())
    assert len(names) <= 2
    assert all('"http-' in name for name in names)


@override_settings(ROOT_URLCONF=__name__)
async def test_a_request_is_three_hops_whatever_the_middleware(monkeypatch):
    """request_started, the middleware chain with the view, request_finished: Django's own
    handler makes two more per middleware (about a dozen with our stack)."""
    hops = []
    real = asgiref_sync.SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(asgiref_sync.SyncToAsync, "__call__", counted)
    app = OneHopASGIHandler(threads=1)
    reply = await _get(app, "/slow")

    assert reply["status"] == 200
    assert len(hops) <= 3, hops


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
async def test_the_database_connection_is_used_and_closed_on_the_request_thread():
    seen.clear()
    app = OneHopASGIHandler(threads=2)
    reply = await _get(app, "/where")

    assert reply["status"] == 200
    (visit,) = seen
    assert visit["view"].startswith("http-")
    # request_finished closed it (given back to the pool on PostgreSQL) on that same thread:
    # Django refuses to close a connection from another thread. (SQLite's in-memory test
    # database is never closed, by design.)
    if connection.vendor != "sqlite":
        assert visit["wrapper"].connection is None


def test_a_request_needs_a_thread():
    with pytest.raises(ValueError):
        RequestThreads(0)


async def test_the_project_serves_http_through_the_one_hop_handler():
    from fashionos.asgi import application

    http = application.application_mapping["http"]
    assert isinstance(http, OneHopASGIHandler)
    reply = await _get(application, "/healthz")
    assert reply["status"] == 200
