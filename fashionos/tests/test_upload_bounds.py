"""Request bodies outside the asset endpoints: JSON and URL-encoded forms only, both bounded.

Multipart is parsed by the asset endpoints alone (with their own upload bound), so an
anonymous caller cannot stream a file part onto the server's temporary disk through the
sign-in, chat or analyzer endpoints; an oversize body is a 413 in the envelope (GoTrue's
shape under /auth/v1); a GoTrue form post still signs in. (The asset endpoints' own uploads
and their bound are tested in logistics/tests/test_api_assets.py.)"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import multipartparser
from django.test import override_settings
from rest_framework.test import APIClient

from fashionos.errors import MSG_BODY_TOO_LARGE
from fashionos.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "mila@example.com"
GOTRUE_PASSWORD = "/auth/v1/token?grant_type=password"
GOTRUE_REFRESH = "/auth/v1/token?grant_type=refresh_token"
API_TOKEN = "/api/v1/auth/token"

# Every endpoint that takes a body and is not an asset endpoint, with the role that reaches
# its parser (sign-in needs no one; the assistant wants a user).
BODY_ENDPOINTS = [
    (GOTRUE_PASSWORD, None),
    (GOTRUE_REFRESH, None),
    (API_TOKEN, None),
    ("/api/v1/auth/refresh", None),
    ("/api/v1/assistant/chat", "owner"),
    ("/api/v1/assistant/analyze/logistics", "owner"),
    ("/api/v1/assistant/analyze/events", "owner"),
    ("/api/v1/assistant/analyze/media", "owner"),
    ("/functions/v1/chat-orchestrator", "owner"),
    ("/functions/v1/logistics-analyzer", "owner"),
    ("/functions/v1/events-optimizer", "owner"),
    ("/functions/v1/media-scorer", "owner"),
    ("/functions/v1/recommendations", "owner"),
]
# Our REST resources take JSON alone (fashionos.api.views.ApiViewMixin).
JSON_ONLY_ENDPOINTS = [
    ("/api/v1/analytics/events", "anon"),
    ("/api/v1/samples", "owner"),
    ("/api/v1/campaigns", "owner"),
]
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def mila():
    return UserFactory(email=EMAIL)


@pytest.fixture
def no_multipart_parsing(monkeypatch):
    """Fails the test if any multipart body is parsed (which writes file parts to disk)."""

    def refuse(self):
        raise AssertionError("a multipart body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", refuse)


def _client(cast, role):
    return cast.client(role) if role else APIClient()


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "fuzzboundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="email"\r\n\r\n'
            f"{EMAIL}\r\n"
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _form_post(path: str, fields: dict):
    return APIClient().generic("POST", path, urlencode(fields), content_type=FORM)


def _error(reply, status: int, path: str) -> dict:
    body = reply.json()
    assert reply.status_code == status, body
    if path.startswith("/auth/v1/"):
        assert set(body) == {"code", "error_code", "msg"}, body
        assert body["code"] == status
    else:
        assert {"error", "code"} <= set(body), body
    return body


@pytest.mark.parametrize(("path", "role"), BODY_ENDPOINTS + JSON_ONLY_ENDPOINTS)
def test_a_file_upload_is_refused_without_being_parsed(cast, no_multipart_parsing, path, role):
    body, content_type = _multipart(3 * 1024 * 1024)

    reply = _client(cast, role).generic("POST", path, body, content_type=content_type)

    error = _error(reply, 415, path)
    assert error.get("error_code", error.get("code")) in (
        "unsupported_media_type",
        "UNSUPPORTED_MEDIA_TYPE",
    )


@pytest.mark.parametrize(
    ("path", "role", "content_type"),
    [(path, role, "application/json") for path, role in BODY_ENDPOINTS + JSON_ONLY_ENDPOINTS]
    + [(path, role, FORM) for path, role in BODY_ENDPOINTS],
)
def test_an_oversize_body_is_a_413(cast, path, role, content_type):
    raw = b"{" + b" " * 2000 + b"}" if content_type == "application/json" else b"a=" + b"b" * 2000
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        reply = _client(cast, role).generic("POST", path, raw, content_type=content_type)

    error = _error(reply, 413, path)
    if path.startswith("/auth/v1/"):
        assert error == {
            "code": 413,
            "error_code": "request_too_large",
            "msg": MSG_BODY_TOO_LARGE,
        }
    else:
        assert error["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("path", [GOTRUE_PASSWORD, API_TOKEN])
def test_a_form_over_the_field_limit_is_a_400_not_a_500(path):
    raw = "&".join(f"f{n}=1" for n in range(50)).encode()
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10):
        reply = APIClient().generic("POST", path, raw, content_type=FORM)

    _error(reply, 400, path)


def test_a_form_with_a_decompressing_charset_is_a_400():
    reply = APIClient().generic(
        "POST",
        API_TOKEN,
        b"email=a",
        content_type=f"{FORM}; charset=bz2_codec",
    )

    _error(reply, 400, API_TOKEN)


@pytest.mark.parametrize("path", [GOTRUE_PASSWORD, API_TOKEN])
def test_a_form_post_still_signs_in(mila, path):
    reply = _form_post(path, {"email": EMAIL, "password": TEST_PASSWORD})

    assert reply.status_code == 200, reply.content
    assert reply.json()["access_token"]


def test_a_gotrue_refresh_by_form_works(mila):
    session = _form_post(GOTRUE_PASSWORD, {"email": EMAIL, "password": TEST_PASSWORD})

    reply = _form_post(GOTRUE_REFRESH, {"refresh_token": session.json()["refresh_token"]})

    assert reply.status_code == 200, reply.content
