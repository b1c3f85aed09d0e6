"""The OpenAPI schema documents every operation of the REST API with its errors in the
envelope (CI also runs `spectacular --validate --fail-on-warn`)."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

REST_PATHS = re.compile(
    r"^/api/v1/(campaigns|samples|tasks|assets|analytics|"
    r"assistant/(conversations|insights|preferences))(/|$)"
)
ENVELOPE = "#/components/schemas/ErrorEnvelope"


@pytest.fixture(scope="module")
def schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)
    return generated


def _operations(schema):
    for path, item in schema["paths"].items():
        if REST_PATHS.match(path):
            for method, operation in item.items():
                yield path, method, operation


def test_the_error_envelope_is_a_component(schema):
    envelope = schema["components"]["schemas"]["ErrorEnvelope"]
    assert set(envelope["required"]) == {"error", "code"}
    assert set(envelope["properties"]) == {"error", "code", "details"}


def test_every_operation_documents_its_errors_in_the_envelope(schema):
    operations = list(_operations(schema))
    assert len(operations) >= 35
    for path, method, operation in operations:
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (method, path)
        expected = {"400", "401", "403"}
        if "{" in path:
            expected.add("404")
        if method in ("post", "put", "patch"):
            expected.add("413")
        if path == "/api/v1/analytics/events" and method == "post":
            expected.discard("401")  # anyone may post an event
        for code in expected:
            body = responses[code]["content"]["application/json"]["schema"]
            assert body == {"$ref": ENVELOPE}, (method, path, code)


def test_operations_are_tagged_by_resource(schema):
    tags = {tag for _, _, operation in _operations(schema) for tag in operation["tags"]}
    assert {"campaigns", "samples", "tasks", "assets", "assistant", "analytics"} <= tags


def test_writes_reply_with_the_output_shape(schema):
    put = schema["paths"]["/api/v1/samples/{id}"]["put"]
    reply = put["responses"]["200"]["content"]["application/json"]["schema"]
    assert reply == {"$ref": "#/components/schemas/SampleOutput"}
    upload = schema["paths"]["/api/v1/assets"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(upload)


@pytest.mark.django_db
def test_schema_and_docs_pages_are_served(client):
    schema_reply = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema_reply.status_code == 200
    assert "/api/v1/samples" in schema_reply.json()["paths"]
    assert client.get("/api/docs/").status_code == 200
