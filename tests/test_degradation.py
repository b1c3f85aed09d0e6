"""Degradation when a dependency fails (issue 8):

- Redis unreachable (refused, or accepting and never answering): REST writes still commit and
  answer 2xx within a bounded time, the failure is logged once per interval rather than once
  per request, and the realtime endpoint answers at once instead of hanging.
- The database unreachable: requests answer 503 in the error envelope within the connect
  timeout, and the server recovers by itself when the database comes back (a TCP proxy in
  front of the real PostgreSQL is closed and reopened, so the outage happens on the wire).

The in-process cases use the channel layer settings.py builds for a REDIS_URL at a dead port;
the live cases run real daphne / uvicorn processes.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test.utils import override_settings

from fashionos.accounts.tokens import api_key_issue
from fashionos.api.errors import MSG_DATABASE_UNAVAILABLE

# At module level: a first import inside a test sets Django up again, and its logging
# configuration would replace caplog's handler mid-test.
from fashionos.asgi import application
from fashionos.realtime.publish import outbox
from fashionos.testing.clients import access_token_for
from fashionos.testing.live import (
    READYZ_HEADERS,
    BlackHole,
    TcpProxy,
    closed_port,
    postgres_unavailable_reason,
    redis_unavailable_reason,
    server_start,
    shared_database_url,
)
from logistics.models import Sample
from logistics.services.samples import sample_update
from logistics.tests.factories import SampleFactory
from tests.realtime.support import SAMPLES_ALL, PhoenixClient, run_sync

# What a client may wait for a write or a refusal while a dependency is down: the publish
# timeout (2 s) or the connect timeout (2 s here), plus scheduling.
BOUNDED_SECONDS = 5.0
PUBLISH_FAILURE = "could not publish"
STATUSES = ("in_transit", "arrived", "on_set", "shot", "returned")

pg_only = pytest.mark.skipif(
    bool(postgres_unavailable_reason()), reason=str(postgres_unavailable_reason())
)


@functools.cache
def _layers_for(redis_url: str) -> str:
    """CHANNEL_LAYERS exactly as settings.py builds them for this REDIS_URL (as JSON)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; from django.conf import settings; django.setup(); "
            "print(json.dumps(settings.CHANNEL_LAYERS))",
        ],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "fashionos.settings",
            "SECRET_KEY": settings.SECRET_KEY,
            "REDIS_URL": redis_url,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _layers_at(port: int) -> dict:
    """The settings' Redis channel layer for a Redis on this local port."""
    placeholder = "redis://127.0.0.1:1/0"
    layers = json.loads(
        _layers_for(placeholder).replace(placeholder, f"redis://127.0.0.1:{port}/0")
    )
    assert layers["default"]["BACKEND"].startswith("channels_redis."), layers
    assert f"redis://127.0.0.1:{port}/0" in json.dumps(layers)
    return layers


@pytest.fixture(params=["refused", "hanging"])
def redis_down(request):
    """The app runs with REDIS_URL pointing at a dead Redis: nothing listening (refused at
    once), or a socket that accepts and never answers (hanging)."""
    if request.param == "refused":
        port, hole = closed_port(), None
    else:
        hole = BlackHole()
        port = hole.port
    layers = _layers_at(port)
    outbox.reset()
    with override_settings(CHANNEL_LAYERS=layers):
        channel_layers.backends.clear()
        yield request.param
    channel_layers.backends.clear()
    outbox.reset()
    if hole is not None:
        hole.close()


def _publish_failures(caplog) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "fashionos.realtime" and PUBLISH_FAILURE in r.getMessage()
    ]


# --- Redis down: REST writes ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_rest_writes_commit_quickly_while_redis_is_down(redis_down, cast, caplog):
    sample = SampleFactory(campaign=cast.campaign)
    client = cast.client("editor")

    with caplog.at_level(logging.WARNING, logger="fashionos.realtime"):
        started = time.monotonic()
        for status in STATUSES:
            reply = client.patch(f"/api/v1/samples/{sample.pk}", {"status": status}, format="json")
            assert reply.status_code == 200, reply.content
        elapsed = time.monotonic() - started

    assert elapsed < BOUNDED_SECONDS
    assert Sample.objects.get(pk=sample.pk).status == STATUSES[-1]
    # Once for the outage, not once per write.
    (report,) = _publish_failures(caplog)
    assert report.levelno == logging.WARNING
    assert "Writes are unaffected" in report.getMessage()


@pytest.mark.django_db(transaction=True)
def test_creates_and_deletes_commit_while_redis_is_down(redis_down, cast, caplog):
    client = cast.client("owner")

    with caplog.at_level(logging.WARNING, logger="fashionos.realtime"):
        started = time.monotonic()
        created = client.post(
            "/api/v1/samples",
            {"campaign": str(cast.campaign.pk), "name": "Silk Gown", "sku": "SG-1"},
            format="json",
        )
        assert created.status_code == 201, created.content
        deleted = client.delete(f"/api/v1/samples/{created.json()['id']}")
        elapsed = time.monotonic() - started

    assert deleted.status_code == 204
    assert elapsed < BOUNDED_SECONDS
    assert not Sample.objects.filter(campaign=cast.campaign).exists()
    assert len(_publish_failures(caplog)) == 1


# --- Redis down: the realtime endpoint -----------------------------------------------------


async def _socket():
    apikey = api_key_issue(role="anon")
    return WebsocketCommunicator(application, f"/realtime/v1/websocket?apikey={apikey}&vsn=1.0.0")


# Channels closes stale database connections around socket events: allow it.
@pytest.mark.django_db(transaction=True)
async def test_a_new_socket_while_redis_is_down_is_closed_with_a_clear_reason(redis_down):
    """Refused at once when nothing listens, within the hub's start timeout when Redis hangs:
    either way a close code and reason, never a socket that silently delivers nothing."""
    socket = await _socket()
    started = time.monotonic()
    try:
        connected, _ = await socket.connect(timeout=BOUNDED_SECONDS + 5)
        assert connected, "refused before the handshake: the client never sees a reason"
        try:
            closed = await socket.receive_output(timeout=3)
        except TimeoutError:
            pytest.fail("the socket stayed open although realtime cannot work")
    finally:
        await socket.disconnect()
    assert time.monotonic() - started < BOUNDED_SECONDS + 5  # the hub's start timeout is 5 s

    assert closed["type"] == "websocket.close"
    assert closed["code"] in (1011, 1013) or 4000 <= closed["code"] < 5000
    assert "unavailable" in (closed.get("reason") or "").lower()


@pytest.mark.parametrize("redis_down", ["refused"], indirect=True)
@pytest.mark.django_db(transaction=True)
async def test_sockets_refused_while_redis_is_down_are_logged_once_per_interval(redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="fashionos.realtime")
    for _ in range(5):
        socket = await _socket()
        await socket.connect(timeout=BOUNDED_SECONDS)
        closed = await socket.receive_output(timeout=3)
        assert closed["type"] == "websocket.close"
        await socket.disconnect()

    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "could not open a channel" in warnings[0].getMessage()


@pytest.mark.skipif(bool(redis_unavailable_reason()), reason=str(redis_unavailable_reason()))
@pytest.mark.django_db(transaction=True)
async def test_redis_dropping_under_open_sockets_is_logged_once_and_delivery_resumes(cast, caplog):
    """Redis goes away while sockets are subscribed and comes back: the channel layer's
    receive loop (which logs a traceback every second while it retries) is logged once,
    and changes reach the same socket again without it reconnecting."""
    redis = urlsplit(os.environ["REDIS_URL"])
    proxy = TcpProxy(redis.hostname or "127.0.0.1", redis.port or 6379)
    proxy.open()
    outbox.reset()
    caplog.set_level(logging.WARNING)
    with override_settings(CHANNEL_LAYERS=_layers_at(proxy.port)):
        channel_layers.backends.clear()
        client = PhoenixClient(apikey=api_key_issue(role="service_role"))
        try:
            await client.connect()
            await client.subscribe("samples", [SAMPLES_ALL])
            sample = await run_sync(SampleFactory, campaign=cast.campaign)

            proxy.close()
            await asyncio.sleep(3.5)  # three retries of the layer's receive loop
            proxy.open()

            delivered, deadline = None, time.monotonic() + 20
            while delivered is None and time.monotonic() < deadline:
                fresh = await run_sync(Sample.objects.get, pk=sample.pk)
                await run_sync(sample_update, sample=fresh, data={"notes": "back"})
                # (A receive that times out would end the communicator's app: look first.)
                if not await client.quiet(timeout=1.0):
                    delivered = await client.change()
        finally:
            await client.close()
            proxy.close()
            channel_layers.backends.clear()
            outbox.reset()

    assert delivered is not None, "no change reached the socket after Redis came back"
    assert delivered.payload["data"]["record"]["notes"] == "back"
    layer_errors = [r for r in caplog.records if r.name == "channels_redis.pubsub"]
    assert len(layer_errors) == 1, [r.getMessage() for r in layer_errors]


# --- live servers --------------------------------------------------------------------------


def _timed(method: str, url: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    reply = httpx.request(method, url, timeout=30.0, **kwargs)
    return reply, time.monotonic() - started


def _assert_database_unavailable(reply: httpx.Response, elapsed: float) -> None:
    assert reply.status_code == 503, reply.text
    assert reply.json() == {"error": MSG_DATABASE_UNAVAILABLE, "code": "SERVICE_UNAVAILABLE"}
    assert reply.headers["X-Request-ID"]
    assert elapsed < BOUNDED_SECONDS


@pytest.mark.live
@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_live_server_with_redis_down_commits_writes_and_logs_the_outage_once(cast):
    sample = SampleFactory(campaign=cast.campaign)
    token = access_token_for(cast.editor)
    server = server_start(
        "daphne",
        DATABASE_URL=shared_database_url(),
        REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0",
    )
    try:
        started = time.monotonic()
        for status in STATUSES:
            reply = httpx.patch(
                f"{server.url}/api/v1/samples/{sample.pk}",
                json={"status": status},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30.0,
            )
            assert reply.status_code == 200, reply.text
        elapsed = time.monotonic() - started
        ready, ready_elapsed = _timed("GET", f"{server.url}/readyz", headers=READYZ_HEADERS)
        alive, _ = _timed("GET", f"{server.url}/healthz")
    finally:
        log = server.stop()

    assert elapsed < BOUNDED_SECONDS
    assert Sample.objects.get(pk=sample.pk).status == STATUSES[-1]
    assert log.count(PUBLISH_FAILURE) == 1, log[-3000:]
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["channel_layer"]["ok"] is False
    assert ready_elapsed < BOUNDED_SECONDS
    assert alive.status_code == 200


@pytest.mark.live
@pytest.mark.parametrize("kind", ["daphne", "uvicorn"])
def test_a_live_server_without_its_database_answers_503_envelopes_in_bounded_time(kind):
    # Runs on any setup: the server's database is a closed port, whatever the tests use.
    server = server_start(
        kind,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/fashionos",
        DATABASE_CONNECT_TIMEOUT="2",
        REDIS_URL="",
    )
    service = {"Authorization": f"Bearer {api_key_issue(role='service_role')}"}
    try:
        alive, alive_elapsed = _timed("GET", f"{server.url}/healthz")
        ready, ready_elapsed = _timed("GET", f"{server.url}/readyz", headers=READYZ_HEADERS)
        listed = _timed("GET", f"{server.url}/api/v1/samples", headers=service)
        signed_in = _timed(
            "POST",
            f"{server.url}/api/v1/auth/token",
            json={"email": "someone@example.com", "password": "correct-horse"},
        )
        # Several callers at once do not queue behind one another's timeouts.
        with ThreadPoolExecutor(4) as pool:
            together = list(
                pool.map(
                    lambda _: _timed("GET", f"{server.url}/api/v1/campaigns", headers=service),
                    range(4),
                )
            )
    finally:
        server.stop()

    assert alive.status_code == 200
    assert alive_elapsed < 1.0
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert ready_elapsed < BOUNDED_SECONDS
    for reply, elapsed in (listed, signed_in, *together):
        _assert_database_unavailable(reply, elapsed)


@pytest.mark.live
@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_live_server_recovers_by_itself_when_the_database_comes_back(cast):
    db = settings.DATABASES["default"]
    token = access_token_for(cast.owner)
    auth = {"Authorization": f"Bearer {token}"}
    proxy = TcpProxy(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))
    proxy.open()
    server = server_start(
        "daphne",
        DATABASE_URL=shared_database_url(port=proxy.port),
        DATABASE_CONNECT_TIMEOUT="2",
        REDIS_URL="",
    )
    campaigns = f"{server.url}/api/v1/campaigns"
    try:
        before, _ = _timed("GET", campaigns, headers=auth)
        assert before.status_code == 200, before.text
        assert [c["name"] for c in before.json()["results"]] == ["Resort 27"]

        proxy.close()  # the database goes away: live connections break, new ones are refused
        during = [_timed("GET", campaigns, headers=auth) for _ in range(3)]
        ready_during, _ = _timed("GET", f"{server.url}/readyz", headers=READYZ_HEADERS)
        alive_during, _ = _timed("GET", f"{server.url}/healthz")

        proxy.open()  # ... and comes back; nothing restarts the server
        back_at = time.monotonic()
        recovered = None
        while time.monotonic() - back_at < 30:
            reply, _ = _timed("GET", campaigns, headers=auth)
            if reply.status_code == 200:
                recovered = reply
                break
            time.sleep(0.5)
        recovery_seconds = time.monotonic() - back_at
        ready_after, _ = _timed("GET", f"{server.url}/readyz", headers=READYZ_HEADERS)
    finally:
        server.stop()
        proxy.close()

    for reply, elapsed in during:
        _assert_database_unavailable(reply, elapsed)
    assert ready_during.status_code == 503
    assert ready_during.json()["checks"]["database"]["ok"] is False
    assert alive_during.status_code == 200
    assert recovered is not None, "the server did not recover within 30 s"
    assert [c["name"] for c in recovered.json()["results"]] == ["Resort 27"]
    assert recovery_seconds < 30
    assert ready_after.status_code == 200
