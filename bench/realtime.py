#!/usr/bin/env python
"""Realtime fan-out benchmark: one change reaching N websocket subscribers through the Redis
channel layer, latency from publish to receipt, and delivered messages per second.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/realtime.py \
        [--sockets 1000] [--client-processes 4] [--rates 1,10] [--duration 10] \
        [--mode changes|broadcast]

One daphne process serves every socket (DESIGN.md section 7's setting); the sockets are opened
by `--client-processes` processes on the same machine, each joined as the demo user with a
`samples` binding. This process publishes changes to the demo campaign at each rate through
`fashionos.realtime.publish` (the path a committed write takes), stamping the send time in the
row, and the clients record the delay to receipt. Budget (DESIGN.md section 9): p95 under
100 ms for one change to 1,000 subscribers, and 10,000 deliveries/s sustained with nothing
dropped (1,000 sockets x 10 changes/s).

`--mode broadcast` measures the other realtime path instead (`broadcast_main`): the same
sockets join the demo campaign's private channel (`campaign:<id>`, `config.private: true`) and
one more member socket sends broadcasts on it at each rate, each stamped with its send time;
the figure is send-to-receipt over the websocket both ways.
With `--from-write` the changes are real writes instead: this process sends
`PATCH /api/v1/samples/{id}` to the same server, stamping the time the request starts in the
sample's notes, so the delay covers the whole write (authentication, locks, the UPDATE, the
commit, the publish after commit) and the fan-out (issue 16: p95 under 100 ms at 10
changes/s on uvicorn, nothing lost):

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/realtime.py --server uvicorn \
        --rates 10 --from-write
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import time
import uuid

from common import ROOT, bench_setup, common_arguments, server_start, server_stop

JOIN_TIMEOUT = 60.0
NOTES_KEY = '"notes":"'  # the record's (it comes before old_record's)
DRAIN_SECONDS = 3.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _client_process(url, count, token, campaign, ready, start, stop, results) -> None:
    try:  # the clients share the cores with the server: the faster loop keeps them light
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_clients(url, count, token, campaign, ready, start, stop, results))


async def _clients(url, count, token, campaign, ready, start, stop, results) -> None:
    import websockets

    received: list[tuple[str, float]] = []  # (rate label, latency seconds)
    join = json.dumps(
        {
            "topic": "realtime:bench",
            "event": "phx_join",
            "ref": "1",
            "join_ref": "1",
            "payload": {
                "access_token": token,
                "config": {
                    "postgres_changes": [
                        {
                            "event": "*",
                            "schema": "public",
                            "table": "samples",
                            "filter": f"campaign_id=eq.{campaign}",
                        }
                    ]
                },
            },
        }
    )

    async def socket_run(joined: asyncio.Event) -> None:
        async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
            await ws.send(join)
            async for text in ws:
                now = time.time()
                if '"postgres_changes"' in text and '"ids"' in text:
                    # The stamp is read by slicing, not json.loads: the clients share the two
                    # cores with the server, and their parsing would queue later frames.
                    start_at = text.index(NOTES_KEY) + len(NOTES_KEY)
                    label, sent = text[start_at : text.index('"', start_at)].split("|")
                    received.append((label, now - float(sent)))
                elif '"phx_reply"' in text:
                    assert '"status":"ok"' in text, text
                    joined.set()

    events = [asyncio.Event() for _ in range(count)]
    tasks = [asyncio.create_task(socket_run(event)) for event in events]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), JOIN_TIMEOUT)
    ready.put(count)
    await asyncio.to_thread(start.wait)
    await asyncio.to_thread(stop.wait)
    for task in tasks:
        task.cancel()
    results.put(received)


def _publisher(env: dict):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fashionos.settings")
    import django

    django.setup()
    from django.utils import timezone

    from fashionos.realtime.changes import RowChange
    from fashionos.realtime.publish import change_publish

    def publish(campaign: str, label: str) -> None:
        change_publish(
            RowChange(
                table="samples",
                type="UPDATE",
                campaign_id=campaign,
                record={"id": str(uuid.uuid4()), "campaign_id": campaign,
                        "notes": f"{label}|{time.time()}", "status": "on_set"},
                old_record={"id": "", "campaign_id": campaign, "notes": "", "status": "arrived"},
                commit_timestamp=timezone.now().isoformat(),
            )
        )  # fmt: skip

    return publish


def _writer(port: int, setup: dict):
    """A function that changes the demo sample through the REST API, one PATCH per call on a
    kept-alive connection, its notes stamped with the time the request starts."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}

    def write(campaign: str, label: str) -> None:
        body = json.dumps({"notes": f"{label}|{time.time()}"})
        connection.request("PATCH", f"/api/v1/samples/{setup['sample']}", body, headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"PATCH answered {response.status}")

    return write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--rates", default="1,10", help="changes per second, comma-separated")
    parser.add_argument(
        "--server", default="daphne", help="daphne, uvicorn1 (one process) or uvicorn (two)"
    )
    parser.add_argument(
        "--from-write",
        action="store_true",
        help="changes are REST PATCHes to the server, timed from the start of the request",
    )
    parser.add_argument(
        "--mode", choices=["changes", "broadcast"], default="changes",
        help="postgres_changes from published writes, or broadcasts between sockets",
    )  # fmt: skip
    args = parser.parse_args()
    if not args.redis_url:
        sys.exit("Set REDIS_URL (or --redis-url): the budget is for the Redis channel layer.")
    if args.mode == "broadcast":
        broadcast_main(args)
        return

    env, setup = bench_setup(args)
    proc, port = server_start(args.server, env)
    url = f"ws://127.0.0.1:{port}/realtime/v1/websocket?vsn=1.0.0&apikey="
    anon_key = setup.get("anon_key") or _anon_key(env)
    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    start, stop = context.Event(), context.Event()
    share = [args.sockets // args.client_processes] * args.client_processes
    share[0] += args.sockets - sum(share)
    clients = [
        context.Process(
            target=_client_process,
            args=(url + anon_key, n, setup["token"], setup["campaign"], ready, start, stop,
                  results),
        )
        for n in share
    ]  # fmt: skip
    try:
        for client in clients:
            client.start()
        joined = sum(ready.get(timeout=JOIN_TIMEOUT) for _ in clients)
        processes = "two processes" if args.server == "uvicorn" else "one process"
        print(f"{joined} sockets joined on {args.server} ({processes})")
        publish = _writer(port, setup) if args.from_write else _publisher(env)
        start.set()
        # The first publish opens the publisher's loop and Redis connection: not measured.
        publish(setup["campaign"], "warmup")
        time.sleep(1.0)
        rates = [float(r) for r in args.rates.split(",")]
        sent: dict[str, int] = {}
        for rate in rates:
            label = f"{rate:g}/s"
            interval, count = 1.0 / rate, 0
            began = time.monotonic()
            while time.monotonic() - began < args.duration:
                publish(setup["campaign"], label)
                count += 1
                time.sleep(max(0.0, began + count * interval - time.monotonic()))
            sent[label] = count
        time.sleep(DRAIN_SECONDS)
        stop.set()
        latencies: dict[str, list[float]] = {}
        for _ in clients:
            for label, latency in results.get(timeout=60):
                if label != "warmup":
                    latencies.setdefault(label, []).append(latency * 1000)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)
            if client.is_alive():
                client.kill()
        server_stop(proc)

    baseline = redis_baseline(args.redis_url, rate=max(rates), seconds=min(args.duration, 5))
    report = {}
    for label, count in sent.items():
        values = latencies.get(label, [])
        expected = count * args.sockets
        report[label] = {
            "changes": count,
            "delivered": len(values),
            "expected": expected,
            "dropped": expected - len(values),
            "deliveries_per_s": round(len(values) / args.duration),
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(_percentile(values, 95), 1),
            "p99_ms": round(_percentile(values, 99), 1),
            "p95_vs_redis_baseline": round(_percentile(values, 95) / baseline["p95_ms"], 1)
            if baseline["p95_ms"]
            else None,
        }
    print(
        json.dumps(
            {
                "sockets": args.sockets,
                "server": args.server,
                "timed_from": "the start of the PATCH request" if args.from_write else "publish",
                "redis_publish_to_subscriber": baseline,
                "results": report,
            },
            indent=2,
        )
    )
    for label, row in report.items():
        verdicts = []
        if label == "1/s" or args.from_write:
            verdicts.append(f"p95 < 100 ms: {'met' if row['p95_ms'] < 100 else 'NOT met'}")
        verdicts.append(f"nothing dropped: {'met' if row['dropped'] == 0 else 'NOT met'}")
        print(f"{label}: {row['deliveries_per_s']} deliveries/s, p95 {row['p95_ms']} ms; "
              + "; ".join(verdicts))  # fmt: skip


# --- broadcast mode -----------------------------------------------------------------------------

STAMP_KEY = '"stamp":"'


def _broadcast_join(token: str, topic: str, ref: str) -> str:
    return json.dumps(
        {
            "topic": topic,
            "event": "phx_join",
            "ref": ref,
            "join_ref": ref,
            "payload": {
                "access_token": token,
                "config": {
                    "broadcast": {"ack": False, "self": False},
                    "presence": {"key": "", "enabled": False},
                    "postgres_changes": [],
                    "private": True,
                },
            },
        }
    )


def _broadcast_client_process(url, count, token, topic, ready, start, stop, results) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_broadcast_clients(url, count, token, topic, ready, start, stop, results))


async def _broadcast_clients(url, count, token, topic, ready, start, stop, results) -> None:
    import websockets

    received: list[tuple[str, float]] = []
    join = _broadcast_join(token, topic, "1")

    async def socket_run(joined: asyncio.Event) -> None:
        async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
            await ws.send(join)
            async for text in ws:
                now = time.time()
                if STAMP_KEY in text:
                    start_at = text.index(STAMP_KEY) + len(STAMP_KEY)
                    label, sent = text[start_at : text.index('"', start_at)].split("|")
                    received.append((label, now - float(sent)))
                elif '"phx_reply"' in text:
                    assert '"status":"ok"' in text, text
                    joined.set()

    events = [asyncio.Event() for _ in range(count)]
    tasks = [asyncio.create_task(socket_run(event)) for event in events]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), JOIN_TIMEOUT)
    ready.put(count)
    await asyncio.to_thread(start.wait)
    await asyncio.to_thread(stop.wait)
    for task in tasks:
        task.cancel()
    results.put(received)


async def _broadcast_send(url, token, topic, rates, duration) -> dict[str, int]:
    """One member socket sends stamped broadcasts at each rate; returns how many per rate."""
    import websockets

    sent: dict[str, int] = {}
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        await ws.send(_broadcast_join(token, topic, "s"))
        reply = await asyncio.wait_for(ws.recv(), JOIN_TIMEOUT)
        assert '"status":"ok"' in reply, reply
        ref = 0

        async def send(label: str) -> None:
            nonlocal ref
            ref += 1
            payload = {"type": "broadcast", "event": "bench",
                       "payload": {"stamp": f"{label}|{time.time()}"}}  # fmt: skip
            frame = {"topic": topic, "event": "broadcast", "payload": payload,
                     "ref": str(ref), "join_ref": "s"}  # fmt: skip
            await ws.send(json.dumps(frame))

        await send("warmup")  # the room's first message: not measured
        await asyncio.sleep(1.0)
        for rate in rates:
            label = f"{rate:g}/s"
            interval, count = 1.0 / rate, 0
            began = time.monotonic()
            while time.monotonic() - began < duration:
                await send(label)
                count += 1
                await asyncio.sleep(max(0.0, began + count * interval - time.monotonic()))
            sent[label] = count
        await asyncio.sleep(DRAIN_SECONDS)
    return sent


def broadcast_main(args) -> None:
    """`--mode broadcast`: broadcast from one member socket to `--sockets` members of the
    demo campaign's private channel on one server process; send-to-receipt latency."""
    env, setup = bench_setup(args)
    proc, port = server_start(args.server, env)
    url = f"ws://127.0.0.1:{port}/realtime/v1/websocket?vsn=1.0.0&apikey="
    anon_key = setup.get("anon_key") or _anon_key(env)
    topic = f"realtime:campaign:{setup['campaign']}"
    rates = [float(r) for r in args.rates.split(",")]
    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    start, stop = context.Event(), context.Event()
    share = [args.sockets // args.client_processes] * args.client_processes
    share[0] += args.sockets - sum(share)
    clients = [
        context.Process(
            target=_broadcast_client_process,
            args=(url + anon_key, n, setup["token"], topic, ready, start, stop, results),
        )
        for n in share
    ]
    latencies: dict[str, list[float]] = {}
    try:
        for client in clients:
            client.start()
        joined = sum(ready.get(timeout=JOIN_TIMEOUT) for _ in clients)
        print(f"{joined} sockets joined {topic} (private) on one {args.server} process")
        start.set()
        sent = asyncio.run(
            _broadcast_send(url + anon_key, setup["token"], topic, rates, args.duration)
        )
        stop.set()
        for _ in clients:
            for label, latency in results.get(timeout=60):
                if label != "warmup":
                    latencies.setdefault(label, []).append(latency * 1000)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)
            if client.is_alive():
                client.kill()
        server_stop(proc)

    report = {}
    for label, count in sent.items():
        values = latencies.get(label, [])
        expected = count * args.sockets
        report[label] = {
            "broadcasts": count,
            "delivered": len(values),
            "expected": expected,
            "dropped": expected - len(values),
            "deliveries_per_s": round(len(values) / args.duration),
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(_percentile(values, 95), 1),
            "p99_ms": round(_percentile(values, 99), 1),
        }
    print(json.dumps({"mode": "broadcast", "sockets": args.sockets, "results": report}, indent=2))
    for label, row in report.items():
        print(f"broadcast {label}: {row['deliveries_per_s']} deliveries/s, p95 {row['p95_ms']} ms, "
              f"dropped {row['dropped']} of {row['expected']}")  # fmt: skip


def redis_baseline(redis_url: str, rate: float, seconds: float) -> dict[str, float]:
    """Raw Redis PUBLISH to one SUBSCRIBE-d client (redis-py, a thread), at `rate` messages a
    second: the floor under any channel-layer fan-out, measured on this machine in this run."""
    import threading

    import redis

    channel = f"bench.baseline.{uuid.uuid4().hex}"
    latencies: list[float] = []
    subscriber = redis.Redis.from_url(redis_url).pubsub()
    subscriber.subscribe(channel)
    subscriber.get_message(timeout=1.0)  # the subscribe confirmation
    done = threading.Event()

    def listen() -> None:
        while not done.is_set():
            message = subscriber.get_message(timeout=0.1)
            if message and message["type"] == "message":
                latencies.append((time.time() - float(message["data"])) * 1000)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    publisher = redis.Redis.from_url(redis_url)
    interval, count, began = 1.0 / rate, 0, time.monotonic()
    while time.monotonic() - began < seconds:
        publisher.publish(channel, str(time.time()))
        count += 1
        time.sleep(max(0.0, began + count * interval - time.monotonic()))
    time.sleep(0.5)
    done.set()
    listener.join()
    subscriber.close()
    return {
        "sent": count,
        "received": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p95_ms": round(_percentile(latencies, 95), 2),
        "p99_ms": round(_percentile(latencies, 99), 2),
    }


def _anon_key(env: dict) -> str:
    from common import manage

    script = (
        "from fashionos.accounts.tokens import api_key_issue; print(api_key_issue(role='anon'))"
    )
    return manage(env, "shell", "-c", script).strip().splitlines()[-1]


if __name__ == "__main__":
    main()
