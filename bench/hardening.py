#!/usr/bin/env python
"""Memory figures of issue 11's two leaks, measured on fresh server processes.

    .venv/bin/python bench/hardening.py [--project DIR] [--sockets 40] [--channels 100]
        [--rounds 3] [--frame-chars 70000] [--image 9000x9000]

1. Websockets: one daphne process (SQLite, the in-memory channel layer), `--sockets` anon-key
   sockets that each join `--channels` channels and send one `--frame-chars` frame, for
   `--rounds` rounds. Prints the close codes heard and the process's resident memory before
   and after each round. The review: 40 sockets x 100 channels + one 70,000-character frame
   grew a fresh process from 97 to 117 MB (closed with 1011, nothing released).
2. Images: a fresh process measures a PNG that declares `--image` pixels in RGBA (small on
   disk) through `logistics.services.asset_image_read`, the path of every API and admin
   upload. Prints its resident memory before and after and the peak. The review: a 315 KB PNG
   declaring 9,000 x 9,000 RGBA raised the memory by 384 MB.

`--project` runs another checkout of the project (for example the code before the fix) with
this script, so the two can be compared in one run; nothing is written into it.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from common import ROOT, free_port

sys.path.insert(0, str(ROOT))
from fashionos.testing.images import png_declaring

SECRET = "bench-hardening-secret-key-not-used-anywhere-else-0123456789"


def _env(database: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fashionos.settings",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("REDIS_URL", "DEBUG", "CACHE_URL"):
        env.pop(name, None)
    return env


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _socket_round(
    url: str, channels: int, frame_chars: int, sockets: int
) -> collections.Counter:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    async def one(number: int) -> int | None:
        async with connect(url, max_size=None, open_timeout=30) as ws:
            for ref in range(channels):
                await ws.send(json.dumps({
                    "topic": f"realtime:bench-{number}-{ref}", "event": "phx_join",
                    "payload": {"config": {"postgres_changes": [
                        {"event": "*", "schema": "public", "table": "samples"}]}},
                    "ref": str(ref), "join_ref": str(ref)}))  # fmt: skip
                await ws.recv()  # phx_reply
                await ws.recv()  # system: Subscribed
            big = {"topic": "phoenix", "event": "heartbeat", "ref": "big",
                   "payload": {"pad": "x" * frame_chars}}  # fmt: skip
            await ws.send(json.dumps(big))
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), 30)
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
            except TimeoutError:
                return None

    codes = await asyncio.gather(*(one(n) for n in range(sockets)))
    return collections.Counter(codes)


def websockets_measure(project: Path, args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp) / "bench.sqlite3")
        key = subprocess.run(
            [sys.executable, "manage.py", "issue_api_keys", "--role", "anon"],
            cwd=project, env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "fashionos.asgi:application"],
            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            url = f"ws://127.0.0.1:{port}/realtime/v1/websocket?apikey={key}&vsn=1.0.0"
            # One small round first, so imports and the hub are not counted as growth.
            asyncio.run(_socket_round(url, 1, 10, 1))
            time.sleep(1)
            start = _rss_mb(server.pid)
            print(f"websockets ({project}): daphne resident memory {start:.1f} MB at start")
            for number in range(1, args.rounds + 1):
                codes = asyncio.run(
                    _socket_round(url, args.channels, args.frame_chars, args.sockets)
                )
                time.sleep(2)  # let the server finish closing
                rss = _rss_mb(server.pid)
                print(
                    f"  round {number}: {args.sockets} sockets x {args.channels} channels, "
                    f"close codes {dict(codes)}, resident {rss:.1f} MB ({rss - start:+.1f} MB)"
                )
        finally:
            server.terminate()
            server.wait(10)


IMAGE_SCRIPT = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from pathlib import Path
    from django.core.files.uploadedfile import SimpleUploadedFile
    from logistics.services import asset_image_read

    def status(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

    data = Path(sys.argv[1]).read_bytes()
    before, peak_before = status("VmRSS"), status("VmHWM")
    width, height, metrics = asset_image_read(upload=SimpleUploadedFile("b.png", data))
    after, peak = status("VmRSS"), status("VmHWM")
    print(f"{width} {height} {metrics} {before:.1f} {after:.1f} {peak_before:.1f} {peak:.1f}")
    """
)


def image_measure(project: Path, args) -> None:
    width, height = (int(side) for side in args.image.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "declared.png"
        path.write_bytes(png_declaring(width, height, "RGBA"))
        size_kb = path.stat().st_size / 1000
        out = subprocess.run(
            [sys.executable, "-c", IMAGE_SCRIPT, str(path)],
            cwd=project, env=_env(Path(tmp) / "bench.sqlite3"), capture_output=True, text=True,
            check=True,
        ).stdout.split()  # fmt: skip
    before, after, peak_before, peak = (float(value) for value in out[-4:])
    metrics = " ".join(out[2:-4])
    print(f"image ({project}): a {size_kb:.0f} KB PNG declaring {width}x{height} RGBA")
    print(
        f"  metrics {metrics}; resident {before:.1f} -> {after:.1f} MB ({after - before:+.1f}),"
        f" peak {peak_before:.1f} -> {peak:.1f} MB ({peak - peak_before:+.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--sockets", type=int, default=40)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--frame-chars", type=int, default=70_000)
    parser.add_argument("--image", default="9000x9000")
    parser.add_argument("--only", choices=["websockets", "image"])
    args = parser.parse_args()
    project = args.project.resolve()
    if args.only in (None, "websockets"):
        websockets_measure(project, args)
    if args.only in (None, "image"):
        image_measure(project, args)


if __name__ == "__main__":
    main()
