"""The review's websocket and HTTP findings against real servers (issue 11, items 1 and 6),
each run as the README runs it: a frame over the bound closes with 4009 and the socket is
released (its `ws_disconnect` is logged), no `Server` header names the stack, and under
uvicorn a declared 200 MB body is refused at once without being read.

Runs on any setup: each server has its own throwaway SQLite database and the in-memory
channel layer (nothing here reads a table)."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from fashionos.accounts.tokens import api_key_issue
from fashionos.realtime.consumer import CLOSE_FRAME_TOO_LARGE
from fashionos.testing.live import server_start

pytestmark = pytest.mark.live

REVIEW_FRAME_CHARS = 70_000  # the review's oversized frame
CHANNELS = 20


@pytest.fixture(scope="module", params=["daphne", "uvicorn"])
def server(request, tmp_path_factory):
    database = tmp_path_factory.mktemp("db") / "live.sqlite3"
    started = server_start(request.param, DATABASE_URL=f"sqlite:///{database}", REDIS_URL="")
    yield started
    started.stop()


def _join(ws, topic: str, ref: int) -> None:
    frame = {
        "topic": f"realtime:{topic}",
        "event": "phx_join",
        "payload": {
            "config": {"postgres_changes": [{"event": "*", "schema": "public", "table": "samples"}]}
        },
        "ref": str(ref),
        "join_ref": str(ref),
    }
    ws.send(json.dumps(frame))
    reply = json.loads(ws.recv(timeout=10))
    assert reply["payload"]["status"] == "ok", reply
    assert json.loads(ws.recv(timeout=10))["event"] == "system"


def _disconnects(log: str) -> list[dict]:
    lines = []
    for line in log.splitlines():
        start = line.find('{"event": "ws_disconnect"')
        if start >= 0:
            lines.append(json.loads(line[start:]))
    return lines


def test_an_oversized_frame_closes_with_4009_and_releases_the_socket(server):
    url = f"ws://127.0.0.1:{server.port}/realtime/v1/websocket?apikey={api_key_issue(role='anon')}&vsn=1.0.0"
    with connect(url, open_timeout=10, max_size=None) as ws:
        for ref in range(CHANNELS):
            _join(ws, f"room-{ref}", ref + 1)
        ws.send(json.dumps({"topic": "phoenix", "event": "heartbeat",
                            "payload": {"pad": "x" * REVIEW_FRAME_CHARS}, "ref": "x"}))  # fmt: skip
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    code = closed.value.rcvd.code
    assert code == CLOSE_FRAME_TOO_LARGE
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        released = [d for d in _disconnects(server.log_text()) if d["channels"] == CHANNELS]
        if released:
            break
        time.sleep(0.2)
    assert released, server.log_text()[-3000:]
    assert released[0]["code"] == CLOSE_FRAME_TOO_LARGE


def test_no_server_header_names_the_stack(server):
    reply = httpx.get(f"{server.url}/healthz", timeout=10)
    assert reply.status_code == 200
    assert "server" not in reply.headers, reply.headers.get("server")
    url = f"ws://127.0.0.1:{server.port}/realtime/v1/websocket?apikey={api_key_issue(role='anon')}"
    with connect(url, open_timeout=10) as ws:
        handshake = {name.lower(): value for name, value in ws.response.headers.raw_items()}
    assert "daphne" not in handshake.get("server", "").lower()
    assert "uvicorn" not in handshake.get("server", "").lower()


def test_under_uvicorn_a_declared_200_mb_body_is_refused_before_it_is_sent(server):
    if server.kind != "uvicorn":
        pytest.skip("daphne buffers a whole request before the application sees it (README)")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(
            b"POST /auth/v1/token?grant_type=password HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 209715200\r\n\r\n{"
        )
        started = time.monotonic()
        answer = b""
        while chunk := raw.recv(4096):  # the server closes after its answer
            answer += chunk
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code": "PAYLOAD_TOO_LARGE"' in answer
    assert elapsed < 5.0
