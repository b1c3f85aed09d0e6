"""One log line per request, whatever serves it: the request's own JSON line (INFO, WARNING
for a 4xx, ERROR for a 5xx), and nothing that repeats it (Django's "Not Found:" / "Bad
Request:" echo, its DEBUG console copy of every django.* record, the servers' access lines).
An uncaught exception's traceback is logged once besides.

In process through the test client, and with real servers: runserver as `make run` starts
it, daphne, uvicorn and gunicorn as the README's production commands do."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from django.conf import settings
from django.test import Client

from fashionos.testing.live import free_port, server_start
from fashionos.tests.probe_urls import SECRET_IN_FAILURE

REQUESTS_LOGGER = "fashionos.requests"


@pytest.fixture(params=[False, True], ids=["DEBUG off", "DEBUG on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


class Records:
    """The records logged during the test, by any logger (read after the requests)."""

    def __init__(self, caplog) -> None:
        self._caplog = caplog

    def __iter__(self):
        return iter(self._caplog.records)

    def __getitem__(self, index):
        return self._caplog.records[index]


@pytest.fixture
def records(caplog) -> Records:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="django.db.backends")  # not the SQL, if any
    return Records(caplog)


def _summary(records) -> list[tuple[str, str]]:
    return [(r.name, r.levelname) for r in records if not r.name.startswith("django.db")]


@pytest.mark.django_db
@pytest.mark.urls("fashionos.tests.probe_urls")
@pytest.mark.parametrize(
    ("method", "path", "status", "level"),
    [
        ("get", "/healthz", 200, "INFO"),
        ("get", "/api/v1/nowhere", 404, "WARNING"),
        ("get", "/auth/v1/nowhere", 404, "WARNING"),
        ("post", "/api/v1/auth/token", 400, "WARNING"),
        ("get", "/api/v1/campaigns", 401, "WARNING"),
    ],
)
def test_a_request_writes_one_line_and_nothing_else(debug, records, method, path, status, level):
    reply = getattr(Client(), method)(path, {}, content_type="application/json")

    assert reply.status_code == status
    assert _summary(records) == [(REQUESTS_LOGGER, level)]
    assert json.loads(records[-1].getMessage())["status"] == status


@pytest.mark.django_db
@pytest.mark.urls("fashionos.tests.probe_urls")
def test_an_api_views_failure_logs_its_traceback_once(debug, records):
    reply = Client().get("/probe/broken")

    assert reply.status_code == 500
    assert _summary(records) == [("fashionos.api", "ERROR"), (REQUESTS_LOGGER, "ERROR")]
    tracebacks = [r for r in records if r.exc_info]
    assert len(tracebacks) == 1
    assert SECRET_IN_FAILURE in tracebacks[0].exc_text or SECRET_IN_FAILURE in str(
        tracebacks[0].exc_info[1]
    )


@pytest.mark.django_db
@pytest.mark.urls("fashionos.tests.probe_urls")
def test_an_uncaught_failure_outside_drf_logs_its_traceback_once(debug, records):
    reply = Client(raise_request_exception=False).get("/api/v1/probe/broken-plain")

    assert reply.status_code == 500
    assert _summary(records) == [("django.request", "ERROR"), (REQUESTS_LOGGER, "ERROR")]
    assert records[0].exc_info is not None


# --- real servers ---------------------------------------------------------------------------


def _requests_and_paths(base_url: str) -> list[str]:
    """A success, a 404, a 400 and a 401, each on a path seen nowhere else; their paths."""
    marker = uuid.uuid4().hex[:12]
    missing = f"/api/v1/missing-{marker}"
    gotrue_missing = f"/auth/v1/missing-{marker}"
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.get("/readyz").status_code == 200  # (/healthz was polled at start)
        assert client.get(missing).status_code == 404
        assert client.get(gotrue_missing).json()["error_code"] == "not_found"
        assert client.post("/api/v1/auth/token", json={}).status_code == 400
        assert client.get("/api/v1/assistant/insights").status_code == 401
    return ["/readyz", missing, gotrue_missing, "/api/v1/auth/token", "/api/v1/assistant/insights"]


def _assert_one_line_each(output: str, paths: list[str]) -> None:
    for path in paths:
        lines = [line for line in output.splitlines() if path in line]
        assert len(lines) == 1, f"{path} logged {len(lines)} times:\n" + "\n".join(lines)
        (line,) = lines
        assert REQUESTS_LOGGER in line
        assert json.loads(line.split(f"{REQUESTS_LOGGER} ", 1)[1])["path"] == path


def _environment(tmp_path) -> dict[str, str]:
    # A database of its own: none of these requests reads one, but nothing may touch the
    # checkout's db.sqlite3 either.
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}", "REDIS_URL": ""}


@pytest.mark.live
@pytest.mark.parametrize("kind", ["daphne", "uvicorn", "gunicorn"])
def test_each_production_server_logs_one_line_per_request(kind, tmp_path):
    server = server_start(kind, **_environment(tmp_path))
    try:
        paths = _requests_and_paths(server.url)
        time.sleep(0.5)  # let the server flush its output
    finally:
        output = server.stop()

    _assert_one_line_each(output, paths)


def _serve(command: list[str], tmp_path, **variables: str) -> tuple[str, list[str]]:
    """Run `command` (a server on `{port}`), make the requests, stop it; what it printed, and
    the paths asked."""
    port = str(free_port())
    environment = {**os.environ, **_environment(tmp_path), "PYTHONUNBUFFERED": "1", **variables}
    log = tmp_path / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [part.replace("{port}", port) for part in command],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # runserver's autoreloader child goes with it
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        paths = _requests_and_paths(base_url)
        time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
    return log.read_text(), paths


@pytest.mark.live
def test_make_runs_development_server_logs_one_line_per_request(tmp_path):
    """`make run` serves with `DEBUG=true manage.py runserver` (with the autoreloader)."""
    command = [sys.executable, "manage.py", "runserver", "127.0.0.1:{port}"]

    output, paths = _serve(command, tmp_path, DEBUG="true", SECRET_KEY="")

    _assert_one_line_each(output, paths)
    assert "Starting ASGI/Daphne" in output


@pytest.mark.live
def test_uvicorn_without_its_access_log_flag_still_logs_one_line(tmp_path):
    """The README passes --no-access-log; the settings silence uvicorn's access lines anyway."""
    command = [sys.executable, "-m", "uvicorn", "--port", "{port}", "--lifespan", "off",
               "fashionos.asgi:application"]  # fmt: skip

    output, paths = _serve(command, tmp_path, SECRET_KEY="log-test-" + "k" * 40)

    _assert_one_line_each(output, paths)
