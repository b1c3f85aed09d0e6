#!/usr/bin/env python
"""In-process profile of the HTTP benchmark's scenarios: where a request's time goes.

    .venv/bin/python bench/profile_http.py [--requests 200] [--only chat,list] [--top 25]

Runs each scenario of bench/http_api.py through Django's WSGI handler in this process (the
middleware, DRF, the database on PostgreSQL; no server, no socket) with the production
settings the benchmark gives the servers, prints the mean milliseconds per request and the
functions where cProfile saw most of the time (own time and cumulative), plus the SQL
statements per request. Uses the same bench database and demo data as bench/http_api.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time

from common import bench_setup, common_arguments, server_env
from http_api import scenarios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario")
    parser.add_argument("--only", help="comma-separated scenarios (default all)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per scenario")
    parser.add_argument("--sql", action="store_true", help="print each request's statements")
    parser.add_argument("--no-setup", action="store_true", help="reuse --setup-file's data")
    parser.add_argument("--setup-file", default="/tmp/fashionos-bench-setup.json")
    args = parser.parse_args()

    if args.no_setup:
        with open(args.setup_file) as handle:
            setup = json.load(handle)
        env = server_env(args)
    else:
        env, setup = bench_setup(args)
        with open(args.setup_file, "w") as handle:
            json.dump(setup, handle)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fashionos.settings"
    sys.path.insert(0, env["PYTHONPATH"])
    profile(setup, args)


def request(client, scenario: dict, headers: dict, paths: list[str], n: int) -> int:
    """Send request number `n` of `scenario` (its body numbered, its path picked by `n`)."""
    body = scenario["body"]
    data = json.dumps(body).replace("__N__", str(n)) if body is not None else None
    path = paths[n % len(paths)]
    method = getattr(client, scenario["method"].lower())
    if data is None:
        return method(path, **headers).status_code
    return method(path, data, content_type="application/json", **headers).status_code


def profile(setup: dict, args) -> None:
    # Django only once the environment above is in place.
    import django
    from django.db import connection
    from django.test import Client

    django.setup()
    client = Client(HTTP_HOST="127.0.0.1")
    wanted = set(args.only.split(",")) if args.only else None
    for scenario in scenarios(setup):
        if wanted and scenario["name"] not in wanted:
            continue
        headers = (
            {}
            if not scenario.get("auth", True)
            else {"HTTP_AUTHORIZATION": f"Bearer {setup['token']}"}
        )
        paths = scenario.get("paths") or [scenario["path"]]

        status = request(client, scenario, headers, paths, 0)
        for n in range(20):
            request(client, scenario, headers, paths, n)
        # Counted around the request (Django empties its own query log when one starts).
        queries: list[str] = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            request(client, scenario, headers, paths, 1)
        started = time.perf_counter()
        for n in range(args.requests):
            request(client, scenario, headers, paths, n)
        mean_ms = (time.perf_counter() - started) * 1000 / args.requests
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(args.requests):
            request(client, scenario, headers, paths, n)
        profiler.disable()
        print(f"=== {scenario['name']}: {scenario['method']} {paths[0]} -> {status}, "
              f"{mean_ms:.2f} ms/request, {len(queries)} SQL statements")  # fmt: skip
        if args.sql:
            print("\n".join(queries), end="\n\n")
        for sort in ("tottime", "cumulative") if args.top else ():
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(args.top)
            text = out.getvalue()
            print(text[text.index("   ncalls") :])


if __name__ == "__main__":
    main()
