"""One JSON log line per request (method, path, status, duration, user id, request id), the
request id in the `X-Request-ID` response header, and nothing secret in the line."""

import json
import logging
import re

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from fashionos.accounts.tokens import api_key_issue
from fashionos.asgi import application  # at module level: see the websocket test below
from fashionos.request_log import REQUEST_ID_HEADER
from fashionos.testing.clients import access_token_for, client_with_token

pytestmark = pytest.mark.django_db

LOGGER = "fashionos.requests"
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")
FIELDS = {"event", "method", "path", "status", "duration_ms", "user_id", "request_id"}


@pytest.fixture
def request_lines(caplog):
    """The parsed request log lines written so far (call it after the requests)."""
    caplog.set_level(logging.INFO, logger=LOGGER)

    def lines() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]

    return lines


def test_a_token_callers_request_is_one_line_with_every_field(cast, request_lines):
    reply = cast.client("owner").get("/api/v1/campaigns")

    assert reply.status_code == 200
    (line,) = request_lines()
    assert set(line) == FIELDS
    assert line["event"] == "http_request"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/campaigns"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], int | float)
    assert line["duration_ms"] >= 0
    assert line["user_id"] == str(cast.owner.pk)
    assert line["request_id"] == reply[REQUEST_ID_HEADER]
    assert GENERATED_ID.match(line["request_id"])


def test_a_write_logs_its_method_and_status(cast, request_lines):
    reply = cast.client("owner").post(
        "/api/v1/samples",
        {"campaign": str(cast.campaign.pk), "name": "Silk Gown", "sku": "SG-1"},
        format="json",
    )

    assert reply.status_code == 201, reply.json()
    (line,) = request_lines()
    assert (line["method"], line["path"], line["status"]) == ("POST", "/api/v1/samples", 201)
    assert line["user_id"] == str(cast.owner.pk)


def test_anonymous_and_service_callers(request_lines):
    Client().get("/api/v1/campaigns")
    client_with_token(api_key_issue(role="anon")).get("/api/v1/campaigns")
    client_with_token(api_key_issue(role="service_role")).get("/api/v1/campaigns")

    anonymous, anon_key, service = request_lines()
    assert (anonymous["status"], anonymous["user_id"]) == (401, None)
    assert anon_key["user_id"] is None
    assert (service["status"], service["user_id"]) == (200, "service_role")


def test_errors_and_unknown_paths_are_logged_too(request_lines):
    Client().get("/api/v1/no-such-thing")
    Client().delete("/healthz")

    not_found, not_allowed = request_lines()
    assert (not_found["path"], not_found["status"]) == ("/api/v1/no-such-thing", 404)
    assert (not_allowed["method"], not_allowed["status"]) == ("DELETE", 405)


def test_every_request_gets_its_own_id():
    first = Client().get("/healthz")[REQUEST_ID_HEADER]
    second = Client().get("/healthz")[REQUEST_ID_HEADER]

    assert GENERATED_ID.match(first)
    assert GENERATED_ID.match(second)
    assert first != second


@pytest.mark.parametrize("incoming", ["req-0123456789abcdef", "A1b2C3d4", "a.b_c-d" * 9])
def test_a_well_formed_incoming_request_id_is_kept(incoming, request_lines):
    reply = Client().get("/healthz", headers={"X-Request-ID": incoming})

    assert reply[REQUEST_ID_HEADER] == incoming
    (line,) = request_lines()
    assert line["request_id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "short",  # under 8 characters
        "x" * 65,  # over 64
        "has spaces in it",
        'quote"and}brace',
        "line\\nbreak-injected",
        "ünïcødé-request-id",
        "",
    ],
)
def test_a_malformed_incoming_request_id_is_replaced(incoming, request_lines):
    reply = Client().get("/healthz", headers={"X-Request-ID": incoming})

    replaced = reply[REQUEST_ID_HEADER]
    assert replaced != incoming
    assert GENERATED_ID.match(replaced)
    (line,) = request_lines()
    assert line["request_id"] == replaced


def test_no_token_key_or_secret_reaches_the_log(cast, caplog):
    caplog.set_level(logging.DEBUG)
    token = access_token_for(cast.owner)
    anon_key = api_key_issue(role="anon")
    client = client_with_token(token)

    reply = client.get(
        f"/api/v1/campaigns?apikey={anon_key}&access_token={token}&password=hunter2-secret",
        headers={"apikey": anon_key},
    )
    client.post(
        "/api/v1/auth/token",
        {"email": cast.owner.email, "password": "hunter2-secret"},
        format="json",
    )

    assert reply.status_code == 200
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (token, anon_key, "hunter2-secret"):
        assert secret not in everything
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]
    assert [line["path"] for line in lines] == ["/api/v1/campaigns", "/api/v1/auth/token"]


def test_the_line_is_written_once_per_request(cast, request_lines):
    client = cast.client("viewer")
    for _ in range(3):
        client.get(f"/api/v1/campaigns/{cast.campaign.pk}")

    lines = request_lines()
    assert len(lines) == 3
    assert len({line["request_id"] for line in lines}) == 3


# --- websocket connect and disconnect (the realtime consumer's own lines) -------------------


async def test_a_websocket_connect_and_disconnect_each_log_a_line(caplog):
    # `application` is imported at module level: a first import inside a test sets Django up
    # again, and its logging configuration would replace caplog's handler mid-test.
    caplog.set_level(logging.INFO)
    apikey = api_key_issue(role="anon")
    socket = WebsocketCommunicator(application, f"/realtime/v1/websocket?apikey={apikey}")
    connected, _ = await socket.connect()
    assert connected
    on_connect = [r for r in caplog.records if r.name.startswith("fashionos")]
    await socket.disconnect()
    on_disconnect = [r for r in caplog.records if r.name.startswith("fashionos")][len(on_connect) :]

    assert on_connect, "no log line when the socket connected"
    assert on_disconnect, "no log line when the socket disconnected"
    for record in on_connect + on_disconnect:
        assert apikey not in record.getMessage()
