"""The OpenAPI schema documents every operation of the REST API with its errors in the
envelope (CI also runs `spectacular --validate --fail-on-warn`)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from fashionos.api.schema import single_name_components

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


# --- component names a generated client can live with --------------------------------------

SUFFIXES = "Request|Input|Output|Response|Reply|Result|Payload|Body"
DOUBLED = re.compile(rf"({SUFFIXES})({SUFFIXES})$")
CLEAN_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def test_component_names_are_single_and_clean(schema):
    names = list(schema["components"]["schemas"])
    assert len(names) >= 50
    doubled = [name for name in names if DOUBLED.search(name)]
    assert doubled == []
    unclean = [n for n in names if not CLEAN_NAME.match(n) or "Serializer" in n]
    assert unclean == []
    assert {"ChatRequest", "LogisticsAnalyzeRequest", "CampaignRequest", "DayCount"} <= set(names)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_reference_names_a_component(schema):
    refs = set(_refs(schema))
    components = {f"#/components/schemas/{name}" for name in schema["components"]["schemas"]}
    assert refs
    assert refs <= components
    chat = schema["paths"]["/api/v1/assistant/chat"]["post"]["requestBody"]["content"]
    assert chat["application/json"]["schema"] == {"$ref": "#/components/schemas/ChatRequest"}


def test_the_renaming_refuses_to_merge_two_components():
    clashing = {
        "components": {"schemas": {"ChatRequest": {}, "ChatRequestRequest": {}}},
        "paths": {},
    }
    with pytest.raises(ValueError, match="ChatRequest"):
        single_name_components(clashing, None, None, True)


def test_spectacular_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    assert "ChatRequestRequest" not in (tmp_path / "schema.yml").read_text()
