"""Shared pieces of the benchmarks: a bench database, server processes, wrk runs."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/fashionos_bench"

# The project and the bare DRF floor (bench/bare/app.py), each as its ASGI and WSGI target.
APPS = {
    "project": {"asgi": "fashionos.asgi:application", "wsgi": "fashionos.wsgi:application"},
    "bare": {"asgi": "bench.bare.app:asgi_application", "wsgi": "bench.bare.app:application"},
}

SERVERS = {
    "daphne": lambda port, app: [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port),
                                 "--verbosity", "0", app["asgi"]],
    "uvicorn": lambda port, app: [str(VENV_BIN / "uvicorn"), app["asgi"],
                                  "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                                  "--no-access-log", "--log-level", "warning"],
    "uvicorn1": lambda port, app: [str(VENV_BIN / "uvicorn"), app["asgi"],
                                   "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                                   "--no-access-log", "--log-level", "warning"],
    "gunicorn": lambda port, app: [str(VENV_BIN / "gunicorn"), app["wsgi"],
                                   "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4",
                                   "-k", "gthread", "--log-level", "warning"],
}  # fmt: skip

SETUP_SCRIPT = textwrap.dedent(
    """
    import json
    from django.db import connection, transaction
    from bench.bare.table import BARE_TABLE_SQL
    from fashionos.accounts.models import AuthSession, User
    from fashionos.accounts.tokens import access_token_issue
    from logistics.management.commands.seed_demo import Command
    from logistics.models import Campaign
    from logistics.services.campaigns import campaign_create, campaign_delete
    from logistics.services.samples import sample_create

    Command().handle(reset=True)
    user = User.objects.get(email="demo@fashionos.dev")
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.id)
    campaign = Campaign.objects.get(name="SS27 Riviera Lookbook")
    sample = campaign.samples.order_by("name").first()

    # A campaign of 50 samples (one full page) to list, and 10 of 5 to spread writes over.
    def bench_campaign(name, size):
        campaign = campaign_create(owner=user, name=name)
        return [
            sample_create(campaign=campaign, data={
                "name": f"{name} look {i}", "sku": f"B-{i:03}", "category": "Dresses",
                "status": ("requested", "in_transit", "on_set", "delayed")[i % 4],
                "is_hero": i % 7 == 0, "priority": 1 + i % 5, "notes": "bench"})
            for i in range(size)
        ]

    with transaction.atomic():
        for old in Campaign.objects.filter(name__startswith="Bench "):
            campaign_delete(campaign=old)
        listed = bench_campaign("Bench list", 50)[0].campaign_id
        spread = [s.pk for i in range(10) for s in bench_campaign(f"Bench spread {i}", 5)]
        inserts = campaign_create(owner=user, name="Bench inserts").pk
    with connection.cursor() as cursor:
        cursor.execute(BARE_TABLE_SQL)
    print(json.dumps({"token": token, "campaign": str(campaign.pk), "sample": str(sample.pk),
                      "list_campaign": str(listed), "spread": [str(pk) for pk in spread],
                      "insert_campaign": str(inserts)}))
    """
)

LUA_TEMPLATE = """
local body_template = %(body)s
local paths = %(paths)s
local counter = 0
wrk.method = "%(method)s"
wrk.headers["Content-Type"] = "application/json"
%(auth)s
request = function()
  counter = counter + 1
  local body = body_template
  if body then
    body = string.gsub(body, "__N__", tostring(counter) .. "-" .. tostring(math.random(1e9)))
  end
  return wrk.format(nil, paths[math.random(#paths)], nil, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d}\\n', summary.requests, summary.duration, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def server_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "CHAT_THROTTLE_RATE": "1000000/s",
            "AUTH_THROTTLE_RATE": "1000000/s",
            "ANALYZER_THROTTLE_RATE": "1000000/s",
            "PYTHONPATH": str(ROOT),
        }
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env, *argv, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *argv],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not become ready")


def run_wrk(port: int, scenario: dict, token: str, args) -> dict:
    body = json.dumps(json.dumps(scenario["body"])) if scenario["body"] is not None else "nil"
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if scenario.get("auth", True) else ""
    # One path, or a list the requests pick from at random (a write spread over many rows).
    paths = scenario.get("paths") or [scenario["path"]]
    lua = LUA_TEMPLATE % {
        "body": body,
        "method": scenario["method"],
        "auth": auth,
        "paths": "{" + ", ".join(json.dumps(path) for path in paths) + "}",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua)
        script = handle.name
    try:
        command = [
            "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
            "--timeout", "10s", "-s", script, f"http://127.0.0.1:{port}",
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    raw = json.loads(line[len("RESULT ") :])
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["p50"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "errors": raw["errors"],
        "requests": raw["requests"],
    }


def server_start(name: str, env: dict, app: str = "project") -> tuple[subprocess.Popen, int]:
    """Start one of SERVERS serving one of APPS on a free port and wait until it answers
    /healthz."""
    port = free_port()
    proc = subprocess.Popen(SERVERS[name](port, APPS[app]), env=env, cwd=ROOT)
    try:
        wait_ready(port, proc)
    except Exception:
        server_stop(proc)
        raise
    return proc, port


def server_stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def bench_setup(args) -> tuple[dict, dict]:
    """Create and migrate the bench database, load the demo campaign, issue a token."""
    ensure_database(args.database_url)
    env = server_env(args)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    setup = json.loads(manage(env, "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
    return env, setup


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
