#!/usr/bin/env python
"""Analytics ingestion benchmark: events per second through the API, one by one and in
batches of 1,000, beside PostgreSQL's own insert rate for the same rows in the same run.

    .venv/bin/python bench/ingest.py [--duration 10] [--server gunicorn]

The baseline inserts the same rows straight into analytics_events with psycopg (executemany
of 1,000-row batches, and COPY), so the API's figures read as a fraction of what the database
itself does on this machine. The batch figure is one client (one connection) sending
1,000-event batches back to back. Targets (issue 16): at least 30,000 events/s through the
batch endpoint and at least 0.3 of raw COPY. Needs wrk and PostgreSQL (see bench/common.py).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid

from common import bench_setup, common_arguments, run_wrk, server_start, server_stop

BATCH = 1_000


def event(n: int | str) -> dict:
    return {
        "event_type": "bench_event",
        "kit_context": "logistics",
        "page_route": "/sample-tracker",
        "event_data": {"n": n, "source": "bench"},
    }


def database_baseline(url: str, seconds: float) -> dict[str, float]:
    """Rows per second PostgreSQL itself takes for these rows: executemany and COPY."""
    import psycopg
    from psycopg.types.json import Jsonb

    rows_per_second = {}
    with psycopg.connect(url) as conn:
        user_id = conn.execute(
            "SELECT id FROM auth_users WHERE email = 'demo@fashionos.dev'"
        ).fetchone()[0]

        def rows():
            return [
                (uuid.uuid4(), user_id, "bench_event", Jsonb(event(i)), "/sample-tracker",
                 "logistics", None)
                for i in range(BATCH)
            ]  # fmt: skip

        insert = (
            "INSERT INTO analytics_events (id, user_id, event_type, event_data, page_route, "
            "kit_context, session_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, now())"
        )
        for label in ("executemany", "copy"):
            done, started = 0, time.perf_counter()
            while time.perf_counter() - started < seconds:
                batch = rows()
                with conn.transaction(), conn.cursor() as cur:
                    if label == "executemany":
                        cur.executemany(insert, batch)
                    else:
                        copy_sql = (
                            "COPY analytics_events (id, user_id, event_type, event_data, "
                            "page_route, kit_context, session_id, created_at) FROM STDIN"
                        )
                        with cur.copy(copy_sql) as copy:
                            for row in batch:
                                copy.write_row((*row, "now"))
                done += BATCH
            rows_per_second[label] = done / (time.perf_counter() - started)
        conn.execute("DELETE FROM analytics_events WHERE event_type = 'bench_event'")
    return rows_per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    parser.add_argument("--server", default="gunicorn")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    env, setup = bench_setup(args)
    baseline = database_baseline(args.database_url, seconds=min(args.duration, 5))

    proc, port = server_start(args.server, env)
    try:
        single = {"name": "one", "method": "POST", "path": "/api/v1/analytics/events",
                  "body": event("__N__")}  # fmt: skip
        batch = {"name": "batch", "method": "POST", "path": "/api/v1/analytics/events",
                 "body": [event(i) for i in range(BATCH)]}  # fmt: skip
        # One client: one connection sending a batch as soon as the last one is answered.
        batch_args = argparse.Namespace(threads=1, connections=1, duration=args.duration)
        one = run_wrk(port, single, setup["token"], args)
        many = run_wrk(port, batch, setup["token"], batch_args)
    finally:
        server_stop(proc)

    one_rate = one["rps"]
    batch_rate = many["rps"] * BATCH
    copy_rate = baseline["copy"]
    rows = [
        ("PostgreSQL COPY (baseline)", copy_rate, None),
        ("PostgreSQL executemany", baseline["executemany"], None),
        ("API, one event per request", one_rate, one),
        ("API, 1,000 events per request", batch_rate, many),
    ]
    print(f"server {args.server}, {args.duration}s per run")
    print(f"{'path':32} {'events/s':>10} {'x COPY':>8} {'p95 ms':>8} {'errors':>7}")
    for label, rate, http in rows:
        line = f"{label:32} {rate:10.0f} {rate / copy_rate:8.2f}"
        if http is not None:
            line += f" {http['p95_ms']:8.1f} {http['errors']:7d}"
        print(line)
    print(f"load average {os.getloadavg()[0]:.2f}")
    verdict = "met" if batch_rate >= 30_000 else "NOT met"
    print(f"target: >= 30,000 events/s from one client sending 1,000-event batches: {verdict}")
    share = batch_rate / copy_rate
    verdict = "met" if share >= 0.3 else "NOT met"
    print(f"target: >= 0.3 of raw COPY of the same rows: {share:.2f}, {verdict}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"baseline": baseline, "one": one, "batch": many}, handle, indent=2)


if __name__ == "__main__":
    main()
