"""The docs page's Swagger UI comes from the project's own static files (drf-spectacular-
sidecar), not from a CDN onto the API's origin, and works on a host with no internet
(issue 11, item 6). The analyzer, chat, function and recommendation endpoints document their
400 and 401 answers in the error envelope."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

SIDECAR = "/static/drf_spectacular_sidecar/swagger-ui-dist/"


def test_the_docs_page_loads_its_assets_from_this_server():
    page = Client().get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert f"{SIDECAR}swagger-ui-bundle.js" in assets
    assert f"{SIDECAR}swagger-ui.css" in assets
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))], assets
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()


@pytest.mark.parametrize(
    "asset", ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"]
)
def test_each_docs_asset_is_a_static_file_of_the_project(asset):
    assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        reply = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return reply.json()


OPERATIONS = [
    ("/api/v1/assistant/chat", "post"),
    ("/api/v1/assistant/analyze/logistics", "post"),
    ("/api/v1/assistant/analyze/events", "post"),
    ("/api/v1/assistant/analyze/media", "post"),
    ("/api/v1/assistant/recommendations", "get"),
    ("/api/v1/assistant/recommendations", "post"),
    ("/functions/v1/chat-orchestrator", "post"),
    ("/functions/v1/logistics-analyzer", "post"),
    ("/functions/v1/events-optimizer", "post"),
    ("/functions/v1/media-scorer", "post"),
    ("/functions/v1/recommendations", "get"),
    ("/functions/v1/recommendations", "post"),
]


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_400_401_and_429_are_documented_with_the_envelope(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    for status in ("400", "401", "429"):
        content = responses[status]["content"]["application/json"]["schema"]
        assert content == {"$ref": "#/components/schemas/ErrorEnvelope"}, (path, status)
