"""The middleware stack runs natively in both modes: under ASGI no middleware may be sync-only,
or Django hops from the event loop to a thread and back around it on every request (measured
in docs/benchmarks.md)."""

from django.conf import settings
from django.utils.module_loading import import_string


def test_every_middleware_is_async_capable():
    sync_only = [
        path
        for path in settings.MIDDLEWARE
        if not getattr(import_string(path), "async_capable", False)
    ]
    assert sync_only == []


def test_every_middleware_is_sync_capable():
    async_only = [
        path
        for path in settings.MIDDLEWARE
        if not getattr(import_string(path), "sync_capable", True)
    ]
    assert async_only == []
