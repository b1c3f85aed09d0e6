"""Real servers for the live realtime tests: subprocesses that share the test database
(PostgreSQL) and Redis with the test process (see `fashionos.testing.live`)."""

from __future__ import annotations

import os

import httpx
from django.conf import settings

from fashionos.testing.live import LiveServer, shared_database_url
from fashionos.testing.live import server_start as live_server_start

Server = LiveServer


def live_unavailable_reason() -> str | None:
    """Why the live tests cannot run here, or None."""
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: the live tests need the Redis channel layer"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "a server subprocess cannot see the in-memory SQLite test database"
    return None


def server_start(kind: str = "daphne", **environment: str) -> Server:
    """Start a `kind` server on a free port sharing the test database and Redis (and with
    `environment` added); return once it answers."""
    return live_server_start(
        kind,
        DATABASE_URL=shared_database_url(),
        REDIS_URL=os.environ["REDIS_URL"],
        **environment,
    )


# --- changing a sample through a server ----------------------------------------------------------


def sample_status_set_through(server: Server, *, sample_id: str, status: str, token: str) -> None:
    """`PATCH /api/v1/samples/{id}` on `server`, as the frontend does."""
    reply = httpx.patch(
        f"{server.url}/api/v1/samples/{sample_id}",
        json={"status": status},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10.0,
    )
    assert reply.status_code == 200, reply.text
