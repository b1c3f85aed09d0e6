#!/usr/bin/env python
"""HTTP benchmark: the real server on PostgreSQL, loaded by wrk from a separate process.

    .venv/bin/python bench/http_api.py [--duration 10] [--servers daphne,uvicorn,gunicorn]

For each server it measures requests per second and p50/p95/p99 latency of:
  trivial      GET /healthz (the framework floor: Django, no DRF, no database)
  insert       POST /api/v1/analytics/events, one row (DRF + token auth + one INSERT)
  chat         POST /api/v1/assistant/chat on the demo-sized campaign
  analyze-miss POST /api/v1/assistant/analyze/logistics, inline samples that differ per request
  analyze-hit  POST /api/v1/assistant/analyze/logistics, the same campaign every time
  sample-update PATCH /api/v1/samples/{id}
and prints each as a ratio to `trivial` and to `insert` measured in the same run (DESIGN.md
section 9: chat should keep at least half the throughput of a one-row insert).

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
from pathlib import Path

from common import (
    bench_setup,
    common_arguments,
    run_wrk,
    server_start,
    server_stop,
)


def scenarios(setup: dict) -> list[dict]:
    campaign, sample = setup["campaign"], setup["sample"]
    samples = [
        {"id": f"s{i}", "name": f"Look {i} __N__" if i == 0 else f"Look {i}",
         "status": ["on_set", "delayed", "in_transit", "shot"][i % 4],
         "category": ["Dresses", "Outerwear", "Knitwear"][i % 3], "isHero": i % 7 == 0,
         "priority": 1 + i % 5}
        for i in range(50)
    ]  # fmt: skip
    return [
        {"name": "trivial", "method": "GET", "path": "/healthz", "body": None, "auth": False},
        {"name": "insert", "method": "POST", "path": "/api/v1/analytics/events",
         "body": {"event_type": "bench_event", "kit_context": "logistics",
                  "event_data": {"n": "__N__"}}},
        {"name": "chat", "method": "POST", "path": "/api/v1/assistant/chat",
         "body": {"message": "Are we ready for the shoot?", "currentKit": "logistics",
                  "userContext": {"campaignId": campaign}}},
        {"name": "analyze-miss", "method": "POST", "path": "/api/v1/assistant/analyze/logistics",
         "body": {"sampleList": samples, "analysisType": "all"}},
        {"name": "analyze-hit", "method": "POST", "path": "/api/v1/assistant/analyze/logistics",
         "body": {"campaignId": campaign, "analysisType": "all"}},
        {"name": "sample-update", "method": "PATCH", "path": f"/api/v1/samples/{sample}",
         "body": {"notes": "bench __N__"}},
    ]  # fmt: skip


def bench_server(name: str, setup: dict, env: dict, args) -> dict[str, dict]:
    proc, port = server_start(name, env)
    try:
        results = {}
        for scenario in scenarios(setup):
            run_wrk(
                port,
                scenario,
                setup["token"],
                argparse.Namespace(threads=args.threads, connections=args.connections, duration=1),
            )  # warm-up
            results[scenario["name"]] = run_wrk(port, scenario, setup["token"], args)
            print(f"  {name:8} {scenario['name']:14} {results[scenario['name']]['rps']:9.1f} req/s",
                  flush=True)  # fmt: skip
        return results
    finally:
        server_stop(proc)


def report(all_results: dict[str, dict[str, dict]]) -> None:
    print()
    header = (
        f"{'server':9} {'scenario':14} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'x trivial':>9} {'x insert':>9}"
    )
    print(header)
    print("-" * len(header))
    for server, results in all_results.items():
        trivial = results["trivial"]["rps"]
        insert = results["insert"]["rps"]
        for name, row in results.items():
            print(
                f"{server:9} {name:14} {row['rps']:9.1f} {row['p50_ms']:8.2f} "
                f"{row['p95_ms']:8.2f} {row['p99_ms']:8.2f} {row['errors']:6d} "
                f"{row['rps'] / trivial:9.2f} {row['rps'] / insert:9.2f}"
            )
        print()
    for server, results in all_results.items():
        ratio = results["chat"]["rps"] / results["insert"]["rps"]
        verdict = "met" if ratio >= 0.5 else "NOT met"
        print(f"{server}: chat / one-row insert = {ratio:.2f} (target >= 0.50: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    parser.add_argument("--servers", default="daphne,uvicorn,gunicorn")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    env, setup = bench_setup(args)

    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
          f"{os.cpu_count()} cores, redis={'yes' if args.redis_url else 'no'}")  # fmt: skip
    all_results = {}
    for name in args.servers.split(","):
        all_results[name] = bench_server(name, setup, env, args)
    report(all_results)
    if args.json:
        Path(args.json).write_text(json.dumps(all_results, indent=2))


if __name__ == "__main__":
    main()
