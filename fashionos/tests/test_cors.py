"""CORS: a browser on an allowed origin may send what supabase-js sends."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

SUPABASE_JS_HEADERS = [
    "authorization",
    "apikey",
    "content-type",
    "x-client-info",
    "x-retry-count",
    "x-supabase-api-version",
]
ORIGIN = "https://app.fashionos.example"


@pytest.mark.django_db
@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
@pytest.mark.parametrize(
    "url", ["/api/v1/samples", "/api/v1/analytics/events", "/functions/v1/chat-orchestrator"]
)
def test_preflight_from_an_allowed_origin_allows_the_supabase_js_headers(url):
    reply = Client().options(
        url,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=", ".join(SUPABASE_JS_HEADERS),
    )
    assert reply.status_code == 200
    assert reply["Access-Control-Allow-Origin"] == ORIGIN
    allowed = {h.strip().lower() for h in reply["Access-Control-Allow-Headers"].split(",")}
    assert set(SUPABASE_JS_HEADERS) <= allowed
    assert "POST" in reply["Access-Control-Allow-Methods"]


@pytest.mark.django_db
@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_another_origin_is_not_allowed():
    reply = Client().options(
        "/api/v1/samples",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in reply
