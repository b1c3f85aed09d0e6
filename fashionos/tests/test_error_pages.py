"""Errors no API view rendered (unknown paths, uncaught exceptions) answer in JSON on API
paths whatever DEBUG is: GoTrue's shape under /auth/v1/, the envelope elsewhere, and each
prefix's shape can be registered (fashionos/api/error_pages.py)."""

import pytest
from django.test import Client

from fashionos.api import error_pages
from fashionos.api.error_pages import error_shape_for, error_shape_register
from fashionos.api.errors import MSG_INTERNAL, MSG_NOT_FOUND
from fashionos.tests.probe_urls import SECRET_IN_FAILURE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]

ENVELOPE_404 = {"error": MSG_NOT_FOUND, "code": "NOT_FOUND"}
GOTRUE_404 = {"code": 404, "error_code": "not_found", "msg": MSG_NOT_FOUND}


@pytest.fixture(params=[False, True], ids=["DEBUG off", "DEBUG on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing",
        "/api/v1/nothing-here",
        "/api/v1/samples/not/a/route",
        "/functions/v1/no-such-function",
        "/realtime/v1/websocket",  # a websocket path asked over plain HTTP
        "/realtime/v1/nothing",
    ],
)
def test_unknown_api_paths_answer_the_envelope(debug, path):
    reply = Client().get(path)

    assert reply.status_code == 404
    assert reply["Content-Type"] == "application/json"
    assert reply.json() == ENVELOPE_404


@pytest.mark.parametrize("path", ["/auth/v1/nothing", "/auth/v1/token/extra", "/auth/v1"])
def test_unknown_gotrue_paths_answer_in_gotrues_shape(debug, path):
    reply = Client().post(path, {}, content_type="application/json")

    assert reply.status_code == 404
    assert reply["Content-Type"] == "application/json"
    assert reply.json() == GOTRUE_404


def test_rest_paths_answer_json_in_their_registered_shape(debug):
    reply = Client().get("/rest/v1/no/such/table/path")

    assert reply.status_code == 404
    assert reply["Content-Type"] == "application/json"
    expected = error_shape_for("/rest/v1/no/such/table/path")(404)
    assert reply.content == expected.content


def test_an_uncaught_error_on_an_api_path_is_a_500_envelope(debug):
    reply = Client(raise_request_exception=False).get("/api/v1/probe/broken-plain")

    assert reply.status_code == 500
    assert reply["Content-Type"] == "application/json"
    assert reply.json() == {"error": MSG_INTERNAL, "code": "INTERNAL_ERROR"}
    assert SECRET_IN_FAILURE.encode() not in reply.content


def test_other_paths_keep_djangos_debug_page_in_development(settings):
    settings.DEBUG = True

    reply = Client().get("/no-api-here")

    assert reply.status_code == 404
    assert reply["Content-Type"].startswith("text/html")


def test_other_paths_answer_the_envelope_in_production(settings):
    settings.DEBUG = False

    reply = Client().get("/no-api-here")

    assert reply.status_code == 404
    assert reply.json() == ENVELOPE_404


def test_a_registered_prefix_gets_its_own_shape(debug, monkeypatch):
    monkeypatch.setattr(error_pages, "ERROR_SHAPES", dict(error_pages.ERROR_SHAPES))

    def teapot_shape(status):
        return error_pages.JsonResponse({"teapot": status}, status=status)

    error_shape_register(prefix="/api/v9/", shape=teapot_shape)

    assert Client().get("/api/v9/anything").json() == {"teapot": 404}
    assert Client().get("/api/v1/anything").json() == ENVELOPE_404


def test_a_prefix_must_be_a_whole_path_segment():
    with pytest.raises(ValueError, match="starts and ends"):
        error_shape_register(prefix="/api", shape=error_pages.envelope_shape)


def test_a_json_error_from_a_view_is_left_as_it_is(debug):
    reply = Client().get("/api/v1/campaigns")

    assert reply.status_code == 401
    assert reply.json()["code"] == "NOT_AUTHENTICATED"
