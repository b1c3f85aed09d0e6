"""`/healthz` (the process is alive: no I/O at all) and `/readyz` (the database answers and the
channel layer round-trips a message), with each dependency up, refused (nothing listens) and
hanging (the connection is accepted and never answered): a dead dependency answers 503 naming
it, within a bounded time, instead of hanging the probe."""

import os
import time

import pytest
from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.db.utils import ConnectionHandler
from django.test import Client

from fashionos import health
from fashionos.testing.live import BlackHole, closed_port, redis_unavailable_reason

pytestmark = pytest.mark.django_db

# A dead dependency costs at most its own timeout (2 s for each check here) plus scheduling.
BOUNDED_SECONDS = 5.0


DETAIL_TOKEN = "readyz-detail-token-for-tests"


@pytest.fixture(autouse=True)
def readyz_token(settings):
    settings.READYZ_TOKEN = DETAIL_TOKEN


def _get(path: str):
    """GET `path` as a caller allowed /readyz's detail (see test_health_detail.py)."""
    started = time.monotonic()
    reply = Client().get(path, HTTP_X_READYZ_TOKEN=DETAIL_TOKEN)
    return reply, time.monotonic() - started


def _database_at(port: int, *, connect_timeout: int = 2):
    """A PostgreSQL connection (never opened here) to 127.0.0.1:`port`."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "fashionos",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": port,
                "OPTIONS": {"connect_timeout": connect_timeout},
            }
        }
    )
    return handler["default"]


def _redis_layer_at(address: str) -> RedisPubSubChannelLayer:
    # The options settings.py gives the Redis layer when REDIS_URL is set.
    return RedisPubSubChannelLayer(
        hosts=[{"address": address, "socket_connect_timeout": 2, "socket_keepalive": True}],
        prefix="fashionos-readyz-test",
    )


@pytest.fixture
def database_down(monkeypatch):
    """Point the readiness check at a database that refuses connections."""
    down = _database_at(closed_port())
    monkeypatch.setattr(health, "connection", down)
    yield down
    down.close()


@pytest.fixture
def channel_layer_down(monkeypatch):
    """Point the readiness check at a Redis channel layer that refuses connections."""
    layer = _redis_layer_at(f"redis://127.0.0.1:{closed_port()}/0")
    monkeypatch.setattr(health, "get_channel_layer", lambda: layer)
    return layer


# --- /healthz ------------------------------------------------------------------------------


def test_healthz_answers_ok_without_a_single_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        reply = Client().get("/healthz")

    assert reply.status_code == 200
    assert reply.json() == {"status": "ok"}
    assert "no-cache" in reply["Cache-Control"]


def test_healthz_answers_ok_with_every_dependency_down(database_down, channel_layer_down):
    reply, elapsed = _get("/healthz")

    assert reply.status_code == 200
    assert reply.json() == {"status": "ok"}
    assert elapsed < 1.0


def test_healthz_only_answers_get():
    assert Client().post("/healthz").status_code == 405


# --- /readyz: everything up ----------------------------------------------------------------


def test_readyz_with_the_database_and_the_channel_layer_up():
    reply, elapsed = _get("/readyz")

    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["channel_layer"]["ok"] is True
    assert isinstance(body["checks"]["database"]["ms"], float)
    assert elapsed < BOUNDED_SECONDS


def test_readyz_round_trips_through_the_in_memory_layer(monkeypatch):
    layer = InMemoryChannelLayer()
    monkeypatch.setattr(health, "get_channel_layer", lambda: layer)

    reply, _ = _get("/readyz")

    assert reply.status_code == 200
    assert reply.json()["checks"]["channel_layer"]["backend"] == (
        "channels.layers.InMemoryChannelLayer"
    )


@pytest.mark.skipif(bool(redis_unavailable_reason()), reason=str(redis_unavailable_reason()))
def test_readyz_round_trips_through_a_real_redis(monkeypatch):
    layer = _redis_layer_at(os.environ["REDIS_URL"])
    monkeypatch.setattr(health, "get_channel_layer", lambda: layer)

    reply, elapsed = _get("/readyz")

    assert reply.status_code == 200, reply.json()
    assert reply.json()["checks"]["channel_layer"]["backend"] == (
        "channels_redis.pubsub.RedisPubSubChannelLayer"
    )
    assert elapsed < BOUNDED_SECONDS


def test_readyz_without_a_channel_layer_checks_the_database_only(monkeypatch):
    monkeypatch.setattr(health, "get_channel_layer", lambda: None)

    reply, _ = _get("/readyz")

    assert reply.status_code == 200
    assert reply.json()["checks"]["channel_layer"] == {"ok": True, "backend": None}


# --- /readyz: the database down ------------------------------------------------------------


def test_readyz_is_503_naming_the_database_when_it_refuses_connections(database_down):
    reply, elapsed = _get("/readyz")

    assert reply.status_code == 503
    body = reply.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["channel_layer"]["ok"] is True
    assert elapsed < BOUNDED_SECONDS


def test_readyz_is_503_within_the_connect_timeout_when_the_database_hangs(monkeypatch):
    with BlackHole() as hole:
        down = _database_at(hole.port, connect_timeout=2)
        monkeypatch.setattr(health, "connection", down)

        reply, elapsed = _get("/readyz")
        down.close()

    assert reply.status_code == 503
    assert reply.json()["checks"]["database"]["ok"] is False
    assert elapsed < BOUNDED_SECONDS


def test_a_failed_database_check_is_logged_without_connection_details(database_down, caplog):
    with caplog.at_level("WARNING", logger="fashionos.health"):
        _get("/readyz")

    (record,) = [r for r in caplog.records if r.name == "fashionos.health"]
    assert "database check failed: OperationalError" in record.getMessage()


# --- /readyz: the channel layer down -------------------------------------------------------


def test_readyz_is_503_naming_the_channel_layer_when_redis_refuses(channel_layer_down):
    reply, elapsed = _get("/readyz")

    assert reply.status_code == 503
    body = reply.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    layer = body["checks"]["channel_layer"]
    assert layer["ok"] is False
    assert layer["backend"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert layer["error"]
    assert elapsed < BOUNDED_SECONDS


def test_readyz_is_503_within_the_timeout_when_redis_hangs(monkeypatch):
    with BlackHole() as hole:
        layer = _redis_layer_at(f"redis://127.0.0.1:{hole.port}/0")
        monkeypatch.setattr(health, "get_channel_layer", lambda: layer)

        reply, elapsed = _get("/readyz")

    assert reply.status_code == 503
    assert reply.json()["checks"]["channel_layer"]["ok"] is False
    assert elapsed < BOUNDED_SECONDS


def test_readyz_is_503_when_a_message_never_comes_back(monkeypatch):
    class SilentLayer(InMemoryChannelLayer):
        async def send(self, channel, message):
            pass  # accepted and lost: the receive never returns

    monkeypatch.setattr(health, "get_channel_layer", lambda: SilentLayer())
    monkeypatch.setattr(health, "CHANNEL_LAYER_TIMEOUT_SECONDS", 0.2)

    reply, elapsed = _get("/readyz")

    assert reply.status_code == 503
    assert reply.json()["checks"]["channel_layer"] == {
        "ok": False,
        "backend": "fashionos.tests.test_health.SilentLayer",
        "error": "TimeoutError",
    }
    assert elapsed < 1.0


def test_readyz_with_both_dependencies_down_names_both(database_down, channel_layer_down):
    reply, elapsed = _get("/readyz")

    assert reply.status_code == 503
    checks = reply.json()["checks"]
    assert checks["database"]["ok"] is False
    assert checks["channel_layer"]["ok"] is False
    assert elapsed < 2 * BOUNDED_SECONDS


def test_readyz_recovers_as_soon_as_the_dependency_is_back(monkeypatch):
    down = _database_at(closed_port())
    monkeypatch.setattr(health, "connection", down)
    assert _get("/readyz")[0].status_code == 503

    monkeypatch.undo()
    down.close()

    assert _get("/readyz")[0].status_code == 200
