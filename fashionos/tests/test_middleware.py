"""The middleware stack runs in both modes. Under our ASGI handler the whole chain runs sync on
the request's thread (fashionos/asgi_http.py); each middleware still runs natively async, so
the stack also serves under Django's own ASGIHandler without a thread hop around any of ours."""

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
