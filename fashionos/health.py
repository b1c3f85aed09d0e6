"""Liveness and readiness probes for load balancers and orchestrators.

`/healthz` answers from memory: the process is up. `/readyz` checks what a request needs: the
database answers a query, and the channel layer (when one is configured beyond this process)
round-trips a message. Each check is bounded in time so a dead dependency answers 503
instead of hanging the probe.

The public answer is a bare status. Which check failed, how long each took and the channel
layer's backend tell an attacker the stack, so that detail is sent only to a caller with
`X-Readyz-Token: <READYZ_TOKEN>` (when the setting is set) or a signed-in staff session.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("fashionos.health")

CHANNEL_LAYER_TIMEOUT_SECONDS = 2.0
DETAIL_TOKEN_HEADER = "HTTP_X_READYZ_TOKEN"


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"
        logger.warning("readiness: database check failed: %s", exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


async def _round_trip(layer) -> None:
    channel = await layer.new_channel("readyz.")
    try:
        await layer.send(channel, {"type": "readyz.ping"})
        await layer.receive(channel)
    finally:
        await _forget_channel(layer, channel)


async def _forget_channel(layer, channel: str) -> None:
    """The pub/sub Redis layer keeps a channel subscribed after a successful receive (it only
    cleans up on cancellation), so a probe every few seconds would pile up subscriptions.
    Channels has no public "delete channel" yet; this reaches into channels-redis to drop it."""
    get_loop_layer = getattr(layer, "_get_layer", None)
    if get_loop_layer is None:
        return
    loop_layer = get_loop_layer()
    if loop_layer.channels.pop(channel, None) is not None:
        await loop_layer._get_shard(channel).unsubscribe(channel)


def _check_channel_layer() -> dict:
    layer = get_channel_layer()
    if layer is None:
        return {"ok": True, "backend": None}
    backend = f"{type(layer).__module__}.{type(layer).__name__}"
    started = time.perf_counter()

    async def probe() -> None:
        await asyncio.wait_for(_round_trip(layer), CHANNEL_LAYER_TIMEOUT_SECONDS)

    try:
        async_to_sync(probe)()
    except Exception as exc:
        logger.warning("readiness: channel layer check failed: %s", exc.__class__.__name__)
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}
    return {"ok": True, "backend": backend, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def detail_allowed(request) -> bool:
    """May this caller see the checks' detail? With the configured READYZ_TOKEN in the
    X-Readyz-Token header, or a staff session. Never raises: with the database down a
    session cannot be read, and the caller simply gets the bare status."""
    token = settings.READYZ_TOKEN
    sent = request.META.get(DETAIL_TOKEN_HEADER, "")
    if token and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session to look up: no query
    try:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_staff)
    except Exception:
        return False


@never_cache
@require_GET
def readyz(request) -> JsonResponse:
    """200 `{"status": "ok"}` or 503 `{"status": "unavailable"}`; with `checks` (each
    dependency's result, timing and backend) only for `detail_allowed` callers."""
    checks = {"database": _check_database(), "channel_layer": _check_channel_layer()}
    ready = all(check["ok"] for check in checks.values())
    body: dict = {"status": "ok" if ready else "unavailable"}
    if detail_allowed(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ready else 503)
