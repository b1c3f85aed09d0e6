"""One error envelope for the whole API (DESIGN.md section 6): `{"error", "code", "details"}`
with the right status, and never a traceback."""

import json
import logging

import pytest
from django.test import Client
from rest_framework.test import APIClient

from fashionos.api.errors import DOMAIN_STATUSES, MSG_INTERNAL, MSG_NOT_FOUND, exception_handler
from fashionos.errors import (
    MSG_BODY_TOO_LARGE,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    TooLarge,
)
from fashionos.tests.probe_urls import SECRET_IN_FAILURE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]


@pytest.mark.parametrize("path", ["/nowhere", "/api/v1/nothing-here", "/api/v1/auth/"])
def test_unknown_url_is_a_404_envelope(path):
    reply = Client().get(path)

    assert reply.status_code == 404
    assert reply["Content-Type"] == "application/json"
    assert reply.json() == {"error": MSG_NOT_FOUND, "code": "NOT_FOUND"}


def test_unknown_url_under_the_project_urlconf_is_a_404_envelope(settings):
    settings.ROOT_URLCONF = "fashionos.urls"

    reply = Client().post("/api/v1/campaigns-of-nobody", {"x": 1})

    assert reply.status_code == 404
    assert reply.json() == {"error": MSG_NOT_FOUND, "code": "NOT_FOUND"}


def test_wrong_method_is_405():
    reply = APIClient().get("/api/v1/auth/token")

    assert reply.status_code == 405
    assert reply.json() == {"error": 'Method "GET" not allowed.', "code": "METHOD_NOT_ALLOWED"}
    assert reply["Allow"] == "POST, OPTIONS"


@pytest.mark.parametrize("body", [b"{", b'{"email": }', b"\xff\xfe", b"NaN"])
def test_malformed_json_is_400_malformed_request(body):
    reply = APIClient().generic("POST", "/probe/echo", body, content_type="application/json")

    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "MALFORMED_REQUEST"
    assert set(reply.json()) == {"error", "code"}


def test_well_formed_json_reaches_the_view():
    reply = APIClient().post("/probe/echo", {"a": [1, 2]}, format="json")

    assert reply.status_code == 200
    assert reply.json() == {"received": {"a": [1, 2]}}


def test_json_body_over_the_limit_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"notes": "x" * 2000})

    reply = APIClient().generic("POST", "/probe/echo", body, content_type="application/json")

    assert reply.status_code == 413
    assert reply.json() == {"error": MSG_BODY_TOO_LARGE, "code": "PAYLOAD_TOO_LARGE"}


def test_json_body_at_the_limit_is_accepted(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"notes": "x" * (1024 - len('{"notes": ""}'))})
    assert len(body) == 1024

    reply = APIClient().generic("POST", "/probe/echo", body, content_type="application/json")

    assert reply.status_code == 200


def test_form_body_over_the_limit_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    reply = APIClient().generic(
        "POST",
        "/probe/echo",
        "notes=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )

    assert reply.status_code == 413
    assert reply.json() == {"error": MSG_BODY_TOO_LARGE, "code": "PAYLOAD_TOO_LARGE"}


def test_sign_in_body_over_the_limit_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    reply = APIClient().post(
        "/api/v1/auth/token", {"email": "a@example.com", "password": "p" * 2000}, format="json"
    )

    assert reply.status_code == 413
    assert reply.json()["code"] == "PAYLOAD_TOO_LARGE"


def test_unhandled_error_in_an_api_view_is_500_without_a_traceback(caplog):
    with caplog.at_level(logging.ERROR, logger="fashionos.api"):
        reply = APIClient().get("/probe/broken")

    assert reply.status_code == 500
    assert reply.json() == {"error": MSG_INTERNAL, "code": "INTERNAL_ERROR"}
    assert SECRET_IN_FAILURE.encode() not in reply.content
    assert b"Traceback" not in reply.content
    # The details go to the log instead.
    assert any(SECRET_IN_FAILURE in (r.exc_text or "") for r in caplog.records)


def test_unhandled_error_outside_drf_is_a_500_envelope():
    reply = Client(raise_request_exception=False).get("/probe/broken-plain")

    assert reply.status_code == 500
    assert reply.json() == {"error": MSG_INTERNAL, "code": "INTERNAL_ERROR"}
    assert SECRET_IN_FAILURE.encode() not in reply.content


def test_not_authenticated_is_401_with_a_challenge():
    reply = APIClient().get("/probe/members-only")

    assert reply.status_code == 401
    assert reply.json()["code"] == "NOT_AUTHENTICATED"
    assert reply["WWW-Authenticate"] == 'Bearer realm="api"'


def test_validation_error_names_the_fields():
    reply = APIClient().post("/api/v1/auth/token", {"email": "nope"}, format="json")

    assert reply.status_code == 400
    body = reply.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert body["error"] == body["details"]["email"][0]
    assert set(body["details"]) == {"email", "password"}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("Bad.", details={"name": ["Bad."]}), 400),
        (NotAuthenticated("Who?"), 401),
        (NotAllowed("No."), 403),
        (NotFound("Gone."), 404),
        (Conflict("Again."), 409),
        (TooLarge("Big."), 413),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_domain_errors_are_mapped_to_their_status_in_one_place(error, status):
    """Services raise domain errors; the one handler gives each kind its status and renders
    the envelope with the error's own message, code and details."""
    reply = exception_handler(error, {})
    assert reply.status_code == status
    expected = {"error": error.message, "code": error.code}
    if error.details:
        expected["details"] = error.details
    assert reply.data == expected
    assert DOMAIN_STATUSES[type(error)] == status
