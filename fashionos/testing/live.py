"""Real servers and real network faults for the operations tests.

- `server_start`: `daphne` or `uvicorn` serving `fashionos.asgi:application`, or `gunicorn`
  serving `fashionos.wsgi:application` (HTTP only), in a subprocess, with the environment a
  deployment would give it (DATABASE_URL, REDIS_URL, ...).
- `closed_port`: a local port nothing listens on (a dependency that is down: refused at once).
- `BlackHole`: a port that accepts connections and never answers (a dependency that hangs).
- `TcpProxy`: a forwarder in front of a real service that the test closes and reopens, so
  "the database goes away and comes back" happens on the wire.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from django.conf import settings

STARTUP_TIMEOUT_SECONDS = 30.0
SERVERS = ("daphne", "uvicorn", "gunicorn")
# Every server started here shows /readyz's detail to callers sending these headers.
READYZ_TOKEN = "live-test-readyz-token"
READYZ_HEADERS = {"X-Readyz-Token": READYZ_TOKEN}
# The README's bound on one websocket message under uvicorn: the consumer's own bound
# (MAX_FRAME_CHARS = 65,536 characters) in UTF-8's worst case of 4 bytes a character.
UVICORN_WS_MAX_SIZE = 262_144


def postgres_unavailable_reason() -> str | None:
    """Why a server subprocess cannot share the test database, or None."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "a server subprocess cannot see the SQLite test database (set DATABASE_URL)"
    return None


def redis_unavailable_reason() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port() -> int:
    """A local port with nothing listening: connections to it are refused at once."""
    return free_port()


def shared_database_url(*, host: str | None = None, port: int | None = None) -> str:
    """A DATABASE_URL for the test database (the NAME pytest-django created), optionally
    through another host and port (a proxy, or a closed port)."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = host or db.get("HOST") or "127.0.0.1"
    port = port or int(db.get("PORT") or 5432)
    return f"postgres://{auth}{host}:{port}/{db['NAME']}"


# --- servers -------------------------------------------------------------------------------


@dataclass
class LiveServer:
    kind: str
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> str:
        """Stop the server; return what it logged."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        text = self.log_text() if self.log.exists() else ""
        self.log.unlink(missing_ok=True)
        return text


def _command(kind: str, port: int) -> list[str]:
    asgi = "fashionos.asgi:application"
    # Each as the README runs it in production: no Server header naming the stack, and
    # (uvicorn) websocket messages bounded by the server.
    if kind == "daphne":
        # -v 0: no access log of daphne's own (the app writes one line per request).
        return [sys.executable, "-m", "daphne", "-v", "0", "--no-server-name", "-b", "127.0.0.1",
                "-p", str(port), asgi]  # fmt: skip
    if kind == "gunicorn":
        # The README's production layout serves HTTP through WSGI workers.
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "4",
            "fashionos.wsgi:application",
        ]
    if kind == "uvicorn":
        # Django's ASGI handler does not speak the lifespan protocol.
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--no-access-log",
            "--no-server-header",
            "--ws-max-size",
            str(UVICORN_WS_MAX_SIZE),
            asgi,
        ]
    raise ValueError(f"unknown server {kind!r}: use one of {SERVERS}")


def server_start(kind: str = "daphne", **environment: str) -> LiveServer:
    """Start `kind` (one of SERVERS) serving the project on a free port and return once
    `/healthz` answers. `environment` is added to this process's environment; a value of ""
    removes the variable. Tokens minted here verify there: the secrets are passed on."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fashionos.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "JWT_SECRET": settings.JWT["SECRET"],
        "DATABASE_POOL_MIN_SIZE": "1",
        "DATABASE_POOL_MAX_SIZE": "4",
        "PYTHONUNBUFFERED": "1",
        "READYZ_TOKEN": READYZ_TOKEN,
    }
    env.pop("DEBUG", None)
    for name, value in environment.items():
        if value == "":
            env.pop(name, None)
        else:
            env[name] = value
    handle, log_name = tempfile.mkstemp(prefix=f"{kind}-{port}-", suffix=".log")
    os.close(handle)
    log = Path(log_name)
    with log.open("w") as output:
        process = subprocess.Popen(
            _command(kind, port),
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(kind, process, port, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = server.log_text()[-5000:]
            server.stop()
            raise RuntimeError(f"{kind} exited with {process.returncode}:\n{text}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return server
        time.sleep(0.2)
    text = server.log_text()[-5000:]
    server.stop()
    raise RuntimeError(f"{kind} did not answer within {STARTUP_TIMEOUT_SECONDS}s:\n{text}")


# --- network faults ------------------------------------------------------------------------


class BlackHole:
    """A listening socket that never accepts: the kernel completes the TCP handshake, then
    nothing is ever said. A client that does not bound its wait hangs here."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = self._socket.getsockname()[1]

    def close(self) -> None:
        self._socket.close()

    def __enter__(self) -> BlackHole:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `upstream`. `close()` stops listening and cuts every open
    connection (the service is gone: new connections are refused, live ones break); `open()`
    listens again on the same port (the service is back)."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    server.close()
                    return
                self._connections.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._connections.discard(source)
            source.close()  # each socket is the source of one pump, so each is closed once

    def __enter__(self) -> TcpProxy:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
