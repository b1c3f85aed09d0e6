"""Real ASGI servers for the live realtime tests: daphne subprocesses that share the test
database (PostgreSQL) and Redis with the test process."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from django.conf import settings

STARTUP_TIMEOUT_SECONDS = 30.0


def live_unavailable_reason() -> str | None:
    """Why the live tests cannot run here, or None."""
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: the live tests need the Redis channel layer"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "a server subprocess cannot see the in-memory SQLite test database"
    return None


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.unlink(missing_ok=True)


def server_start() -> Server:
    """Start `daphne fashionos.asgi:application` on a free port; return once it answers."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL_MIN_SIZE": "1",
        "DATABASE_POOL_MAX_SIZE": "4",
        "REDIS_URL": os.environ["REDIS_URL"],
        # Tokens minted by the test process must verify in the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "JWT_SECRET": settings.JWT["SECRET"],
        "DJANGO_SETTINGS_MODULE": "fashionos.settings",
    }
    handle, log_name = tempfile.mkstemp(prefix=f"daphne-{port}-", suffix=".log")
    os.close(handle)
    log = Path(log_name)
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "fashionos.asgi:application",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}:\n{server.log_text()}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{server.url}/auth/v1/user", timeout=1.0)
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"daphne did not answer within {STARTUP_TIMEOUT_SECONDS}s:\n{server.log_text()}"
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
