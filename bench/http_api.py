#!/usr/bin/env python
"""HTTP benchmark: the project and a bare DRF app on the same server kind, in the same run.

    .venv/bin/python bench/http_api.py [--duration 10] [--servers gunicorn,uvicorn,daphne]

For each server kind it first serves the bare DRF app (bench/bare/app.py: no middleware, no
auth) and measures its floor, then the project on PostgreSQL with the demo data:
  bare-get      GET /bare/constant (DRF, a constant answer)
  bare-insert   POST /bare/insert (DRF, one row written through a cursor)
  healthz       GET /healthz (Django and our middleware, no DRF, no database)
  auth-user     GET /auth/v1/user (the authenticated trivial GET)
  event         POST /api/v1/analytics/events, one event
  chat          POST /api/v1/assistant/chat "Are we ready?" on the demo campaign
  analyzer-hit  POST /functions/v1/logistics-analyzer, the same campaign (an insight cache hit)
  list          GET /api/v1/samples?campaign= (50 rows, one page)
  patch-one     PATCH /api/v1/samples/{id}, always the same sample (the lock-contention case)
  patch-spread  PATCH /api/v1/samples/{id} spread over 50 samples of 10 campaigns
  rest-list     GET /rest/v1/samples?campaign_id=eq. (the same 50 rows)
  rest-insert   POST /rest/v1/samples, one row
and prints every scenario's requests per second and latency with its ratio to the bare GET
and to the bare INSERT of the same server kind, then each target of DESIGN.md section 9 (ratios
to the bare INSERT) with whether it is met. The `/rest/v1` scenarios are skipped, with a
message, while `/rest/v1/samples` answers 404.

Needs wrk (Debian package `wrk`) and PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/fashionos_bench, created if missing). REDIS_URL, when set,
is passed to the servers. Nothing here fails on a number: it reports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

from common import (
    bench_setup,
    common_arguments,
    run_wrk,
    server_start,
    server_stop,
)

BARE_SCENARIOS = [
    {"name": "bare-get", "method": "GET", "path": "/bare/constant", "body": None, "auth": False},
    {"name": "bare-insert", "method": "POST", "path": "/bare/insert", "auth": False,
     "body": {"event_type": "bench_event", "event_data": {"n": "__N__"}}},
]  # fmt: skip

# DESIGN.md section 9: scenario -> the least ratio to the bare one-row INSERT.
TARGETS = {
    "auth-user": 0.7,
    "event": 0.6,
    "chat": 0.4,
    "analyzer-hit": 0.5,
    "list": 0.4,
    "rest-list": 0.6,
    "patch-spread": 0.3,
}


def scenarios(setup: dict) -> list[dict]:
    campaign, sample, listed = setup["campaign"], setup["sample"], setup["list_campaign"]
    return [
        {"name": "healthz", "method": "GET", "path": "/healthz", "body": None, "auth": False},
        {"name": "auth-user", "method": "GET", "path": "/auth/v1/user", "body": None},
        {"name": "event", "method": "POST", "path": "/api/v1/analytics/events",
         "body": {"event_type": "bench_event", "kit_context": "logistics",
                  "event_data": {"n": "__N__"}}},
        {"name": "chat", "method": "POST", "path": "/api/v1/assistant/chat",
         "body": {"message": "Are we ready?", "currentKit": "logistics",
                  "userContext": {"campaignId": campaign}}},
        {"name": "analyzer-hit", "method": "POST", "path": "/functions/v1/logistics-analyzer",
         "body": {"campaignId": campaign, "analysisType": "all"}},
        {"name": "list", "method": "GET", "path": f"/api/v1/samples?campaign={listed}",
         "body": None},
        {"name": "patch-one", "method": "PATCH", "path": f"/api/v1/samples/{sample}",
         "body": {"notes": "bench __N__"}},
        {"name": "patch-spread", "method": "PATCH", "body": {"notes": "bench __N__"},
         "paths": [f"/api/v1/samples/{pk}" for pk in setup["spread"]]},
        {"name": "rest-list", "method": "GET", "rest": True, "body": None,
         "path": f"/rest/v1/samples?select=*&campaign_id=eq.{listed}"},
        {"name": "rest-insert", "method": "POST", "rest": True, "path": "/rest/v1/samples",
         "body": {"campaign_id": setup["insert_campaign"], "name": "rest __N__"}},
    ]  # fmt: skip


def rest_served(port: int, token: str) -> bool:
    """Whether the project answers /rest/v1 at all (another issue builds it)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/rest/v1/samples?select=id&limit=1",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10):
            return True
    except urllib.error.HTTPError as exc:
        return exc.code != 404


def measure(name: str, port: int, scenario: dict, token: str, args) -> dict:
    warm_up = argparse.Namespace(threads=args.threads, connections=args.connections, duration=1)
    run_wrk(port, scenario, token, warm_up)
    result = run_wrk(port, scenario, token, args)
    print(f"  {name:8} {scenario['name']:13} {result['rps']:9.1f} req/s", flush=True)
    return result


def bench_server(name: str, setup: dict, env: dict, args) -> dict[str, dict]:
    results = {}
    proc, port = server_start(name, env, app="bare")
    try:
        for scenario in BARE_SCENARIOS:
            results[scenario["name"]] = measure(name, port, scenario, setup["token"], args)
    finally:
        server_stop(proc)
    proc, port = server_start(name, env)
    try:
        with_rest = rest_served(port, setup["token"])
        for scenario in scenarios(setup):
            if args.only and scenario["name"] not in args.only.split(","):
                continue
            if scenario.get("rest") and not with_rest:
                print(f"  {name:8} {scenario['name']:13} skipped: /rest/v1 answers 404 here")
                continue
            results[scenario["name"]] = measure(name, port, scenario, setup["token"], args)
        return results
    finally:
        server_stop(proc)


def report(all_results: dict[str, dict[str, dict]]) -> None:
    print()
    header = (
        f"{'server':9} {'scenario':13} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'x bare GET':>10} {'x bare INS':>10}"
    )
    print(header)
    print("-" * len(header))
    for server, results in all_results.items():
        bare_get = results["bare-get"]["rps"]
        bare_insert = results["bare-insert"]["rps"]
        for name, row in results.items():
            print(
                f"{server:9} {name:13} {row['rps']:9.1f} {row['p50_ms']:8.2f} "
                f"{row['p95_ms']:8.2f} {row['p99_ms']:8.2f} {row['errors']:6d} "
                f"{row['rps'] / bare_get:10.2f} {row['rps'] / bare_insert:10.2f}"
            )
        print()
    print("Targets (DESIGN.md section 9), ratio to the bare one-row INSERT:")
    for server, results in all_results.items():
        bare_insert = results["bare-insert"]["rps"]
        for name, target in TARGETS.items():
            if name not in results:
                print(f"  {server:9} {name:13} skipped (target >= {target:.1f})")
                continue
            ratio = results[name]["rps"] / bare_insert
            verdict = "met" if ratio >= target else "NOT met"
            print(f"  {server:9} {name:13} {ratio:5.2f} (target >= {target:.1f}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    parser.add_argument("--servers", default="gunicorn,uvicorn,daphne")
    parser.add_argument("--only", help="comma-separated project scenarios to run (default all)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    env, setup = bench_setup(args)

    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"redis={'yes' if args.redis_url else 'no'}")  # fmt: skip
    all_results = {}
    for name in args.servers.split(","):
        all_results[name] = bench_server(name, setup, env, args)
    report(all_results)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(all_results, indent=2))


if __name__ == "__main__":
    main()
