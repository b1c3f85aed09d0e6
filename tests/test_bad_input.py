"""Bad input that no single endpoint owns: malformed ids in paths, bodies that are too big,
not JSON, or hold what the database cannot store. Each gets a 4xx in the envelope and
nothing is written."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from analytics.models import AnalyticsEvent
from fashionos.api.parsers import MSG_BAD_CHARACTERS, MSG_NOT_JSON_NUMBER, MSG_TOO_DEEP
from logistics.models import Sample

pytestmark = pytest.mark.django_db

DETAIL_PATHS = [
    "/api/v1/campaigns/{id}",
    "/api/v1/campaigns/{id}/members",
    "/api/v1/samples/{id}",
    "/api/v1/tasks/{id}",
    "/api/v1/assets/{id}",
    "/api/v1/assistant/conversations/{id}",
    "/api/v1/assistant/conversations/{id}/feedback",
    "/api/v1/assistant/insights/{id}",
]


@pytest.mark.parametrize("path", DETAIL_PATHS)
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"])
def test_malformed_ids_in_paths_are_404_in_the_envelope(cast, path, bad_id):
    reply = cast.client("service").get(path.format(id=bad_id))
    assert reply.status_code == 404
    assert reply.json() == {"error": "Not found.", "code": "NOT_FOUND"}


def _post_raw(client, url, raw: str | bytes, content_type="application/json", **extra):
    return client.generic("POST", url, raw, content_type=content_type, **extra)


def test_a_body_over_the_limit_is_a_413(cast):
    big = json.dumps({"event_type": "x", "event_data": {"blob": "y" * 5000}})
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        reply = _post_raw(cast.client("owner"), "/api/v1/analytics/events", big)
    assert reply.status_code == 413
    assert reply.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert not AnalyticsEvent.objects.exists()


def test_a_declared_length_over_the_limit_is_refused_before_reading(cast):
    reply = _post_raw(cast.client("owner"), "/api/v1/samples", "{}", CONTENT_LENGTH=str(10**9))
    assert reply.status_code == 413


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"event_type": "x", "event_data": {"n": NaN}}', MSG_NOT_JSON_NUMBER),
        ('{"event_type": "x", "event_data": {"n": -Infinity}}', MSG_NOT_JSON_NUMBER),
        ('{"event_type": "x", "event_data": ' + "[" * 100_000 + "]" * 100_000 + "}", MSG_TOO_DEEP),
        ('{"event_type": "a\\u0000b"}', MSG_BAD_CHARACTERS),
        ('{"event_type": "x", "event_data": {"k\\u0000": 1}}', MSG_BAD_CHARACTERS),
        ('{"event_type": "x", "event_data": {"k": "\\ud800"}}', MSG_BAD_CHARACTERS),
        ('{"event_type": "x", "event_data": {"k": "\\udfff"}}', MSG_BAD_CHARACTERS),
        ('{"event_type": ', None),
        (b"\xff\xfe", None),
    ],
)
def test_json_the_database_cannot_store_is_a_400(cast, raw, message):
    reply = _post_raw(cast.client("owner"), "/api/v1/analytics/events", raw)
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "MALFORMED_REQUEST"
    if message:
        assert reply.json()["error"] == message
    assert not AnalyticsEvent.objects.exists()


def test_escaped_text_that_only_looks_like_a_bad_escape_is_kept(cast):
    raw = '{"event_type": "x", "event_data": {"k": "\\\\u0000 and \\ud83d\\ude00"}}'
    reply = _post_raw(cast.client("owner"), "/api/v1/analytics/events", raw)
    assert reply.status_code == 201, reply.content
    assert AnalyticsEvent.objects.get().event_data == {"k": "\\u0000 and \U0001f600"}


def test_a_nul_in_a_text_field_of_a_form_is_a_400(cast):
    reply = cast.client("owner").post(
        "/api/v1/assets",
        {"campaign": str(cast.campaign.pk), "title": "a\x00b"},
        format="multipart",
    )
    assert reply.status_code == 400
    assert "title" in reply.json()["details"]


def test_json_only_endpoints_refuse_other_media_types(cast):
    client = cast.client("owner")
    reply = _post_raw(client, "/api/v1/samples", "name=Coat", "text/plain")
    assert reply.status_code == 415
    assert reply.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    form = client.post(
        "/api/v1/samples", {"campaign": str(cast.campaign.pk), "name": "Coat"}, format="multipart"
    )
    assert form.status_code == 415
    assert not Sample.objects.exists()


def test_an_empty_body_is_a_400(cast):
    reply = _post_raw(cast.client("owner"), "/api/v1/samples", "")
    assert reply.status_code == 400
    assert "campaign" in reply.json()["details"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tasks?deadline_before={}",
        "/api/v1/assets?rights_expire_after={}",
        "/api/v1/samples?eta_after={}",
        "/api/v1/analytics/events?since={}",
        "/api/v1/assistant/conversations?until={}",
    ],
)
def test_date_time_filters_take_any_offset_and_refuse_what_cannot_be_compared(cast, url):
    client = cast.client("service" if "conversations" not in url else "owner")
    # +19:17 is a valid ISO 8601 offset that PostgreSQL would refuse: compared in UTC.
    assert client.get(url.format("2030-03-05T22:55:31%2B19:17")).status_code == 200
    reply = client.get(url.format("0001-01-01T00:00:00%2B05:00"))
    assert reply.status_code == 400
    assert reply.json()["code"] == "VALIDATION_ERROR"
