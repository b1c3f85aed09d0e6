"""CORS for `/rest/v1`: a browser frontend on an allowed origin may send what postgrest-js
sends (Prefer, Range, the schema headers) with every method it uses, and read the count."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

ORIGIN = "https://app.fashionos.example"
POSTGREST_JS_HEADERS = [
    "authorization",
    "apikey",
    "content-type",
    "x-client-info",
    "prefer",
    "range",
    "range-unit",
    "accept-profile",
    "content-profile",
    "accept",
]


@pytest.mark.django_db
@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PATCH", "DELETE"])
def test_preflight_allows_postgrest_js(method):
    reply = Client().options(
        "/rest/v1/samples",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=", ".join(POSTGREST_JS_HEADERS),
    )
    assert reply.status_code == 200
    allowed = {h.strip().lower() for h in reply["Access-Control-Allow-Headers"].split(",")}
    assert set(POSTGREST_JS_HEADERS) <= allowed
    if method != "HEAD":
        assert method in reply["Access-Control-Allow-Methods"]


@pytest.mark.django_db
@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_the_count_is_readable_by_the_page(cast):
    reply = cast.client("owner").get(
        "/rest/v1/samples", HTTP_ORIGIN=ORIGIN, HTTP_PREFER="count=exact"
    )
    exposed = {h.strip().lower() for h in reply["Access-Control-Expose-Headers"].split(",")}
    assert {"content-range", "preference-applied", "location"} <= exposed
