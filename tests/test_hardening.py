"""The standing check of issue 11 (item 8): each finding of the outside review, replayed as
the review sent it, against today's defaults. The detailed tests of each fix live beside
their code (named in each test's docstring); this module is the one place that says "the
review's cases still fail to hurt us". The socket-churn soak is
`tests/realtime/test_socket_churn.py`; live servers, `test_hardening_live.py`."""

from __future__ import annotations

import io
import time

import jwt
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from fashionos.accounts.tokens import api_key_issue
from fashionos.realtime import consumer as realtime_consumer
from fashionos.realtime.consumer import CLOSE_FRAME_TOO_LARGE
from fashionos.realtime.hub import hub_for_running_loop
from fashionos.testing.factories import UserFactory
from fashionos.testing.images import png_declaring
from fashionos.tests.test_request_body_limit import Body, _call, _status
from logistics.analysis.image_metrics import measure_image
from logistics.models import Asset
from tests.realtime.test_socket_end import all_zero, joined_socket, push, settled

NOW = int(timezone.now().timestamp())
# Long enough for any test run: a token made at import must still be valid when used.
VALID_FOR = 30 * 86400


# 1. An oversized frame (70,000 characters) on an anon socket that joined many channels.
@pytest.mark.django_db(transaction=True)
async def test_review_1_oversized_frame_closes_4009_and_frees_everything(cast):
    """Detail: tests/realtime/test_socket_end.py."""
    communicator, _ = await joined_socket(api_key_issue(role="anon"), None, channels=20)
    await push(communicator, "phoenix", "heartbeat", {"pad": "x" * 70_000}, "1")
    closed = await communicator.receive_output(5)
    assert closed["code"] == CLOSE_FRAME_TOO_LARGE
    assert all_zero(await settled(hub_for_running_loop()))
    await communicator.disconnect()
    assert realtime_consumer.MAX_FRAME_CHARS < 70_000


# 2. 25 wrong staff passwords in a row on the admin login.
@pytest.mark.django_db
def test_review_2_admin_brute_force_is_throttled_with_the_default_rates():
    """Detail: fashionos/tests/test_admin_login_throttle.py."""
    cache.clear()
    UserFactory(email="staff@example.com", is_staff=True)
    answers = [
        Client()
        .post("/admin/login/", {"username": "staff@example.com", "password": f"guess-{n}"})
        .status_code
        for n in range(25)
    ]
    assert answers.count(200) == 10 and answers[10:] == [429] * 15
    cache.clear()


# 3. A 315 KB PNG declaring 9,000 x 9,000 RGBA, uploaded to /api/v1/assets.
@pytest.mark.django_db
def test_review_3_image_is_stored_unmeasured_without_decoding(cast, tmp_path, settings):
    """Detail: logistics/tests/test_image_budget.py (with the memory measurement)."""
    settings.MEDIA_ROOT = tmp_path
    image = png_declaring(9000, 9000, "RGBA")
    assert 300_000 < len(image) < 330_000
    started = time.monotonic()
    assert measure_image(io.BytesIO(image)) is None
    body = {
        "campaign": str(cast.campaign.pk),
        "title": "Review",
        "file": SimpleUploadedFile("r.png", image),
    }
    reply = cast.client("editor").post("/api/v1/assets", body, format="multipart")
    assert reply.status_code == 201, reply.content
    assert Asset.objects.get(pk=reply.json()["id"]).image_sharpness is None
    assert time.monotonic() - started < 5  # decoding it took seconds and 384 MB


# 4. Token claims: another issuer, exp 2**62, exp as a string.
@pytest.mark.django_db
@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "another-project", "role": "service_role", "iat": NOW, "exp": NOW + VALID_FOR},
        {"iss": "fashionos", "role": "anon", "iat": NOW, "exp": 2**62},
        {"iss": "fashionos", "role": "anon", "iat": NOW, "exp": "9999999999"},
    ],
    ids=["other issuer", "exp 2**62", "exp a string"],
)
def test_review_4_malformed_or_foreign_tokens_are_401(claims, settings):
    """Detail: fashionos/tests/test_token_claims.py."""
    claims = {**claims, "iss": claims["iss"].replace("fashionos", settings.JWT["ISSUER"])}
    token = jwt.encode(claims, settings.JWT["SECRET"], algorithm="HS256")
    reply = Client().get("/api/v1/campaigns", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert reply.status_code == 401, reply.content


# 5. One inline request of 2,000 assets x 200 channels; analyzers unthrottled.
@pytest.mark.django_db
def test_review_5_unbounded_analyzer_work_is_refused_and_throttled(cast, monkeypatch):
    """Detail: assistant/tests/test_analyzer_bounds.py."""
    assets = [{"id": f"a{n}", "targetChannels": [f"c{c}" for c in range(200)]} for n in range(2000)]
    client = cast.client("owner")
    started = time.monotonic()
    reply = client.post("/api/v1/assistant/analyze/media", {"assets": assets}, format="json")
    assert reply.status_code == 400 and reply.json()["code"] == "TOO_MANY_ITEMS"
    assert time.monotonic() - started < 3
    assert (
        ScopedRateThrottle.THROTTLE_RATES["analyzer"]
        == settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["analyzer"]
    )
    cache.clear()
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "analyzer", "1/min")
    small = {"assets": assets[:1]}
    assert client.post("/functions/v1/media-scorer", small, format="json").status_code == 200
    assert client.post("/functions/v1/media-scorer", small, format="json").status_code == 429


# 6. The smaller items.
@pytest.mark.django_db(transaction=True)
async def test_review_6_a_200_mb_body_is_refused_before_it_is_read():
    """Detail: fashionos/tests/test_request_body_limit.py."""
    body = Body(200 * 1024 * 1024)
    sent = await _call([(b"content-length", str(body.total).encode())], body)
    assert _status(sent) == 413 and body.sent == 0


@pytest.mark.django_db
def test_review_6_readyz_docs_and_schema():
    """Detail: test_readyz_detail.py, test_docs_assets.py, test_hardening_live.py."""
    assert Client().get("/readyz").json() == {"status": "ok"}
    page = Client().get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page and "cdn" not in page.lower()
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/assistant/chat", "/api/v1/assistant/analyze/media"):
        assert {"400", "401"} <= set(schema["paths"][path]["post"]["responses"])


def test_review_6_the_readme_runs_servers_without_naming_them():
    """The production commands and the proxy limits the application relies on."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "daphne --no-server-name" in readme
    assert "--no-server-header --ws-max-size 262144" in readme
    for limit in ("client_max_body_size", "server_tokens off", "proxy_read_timeout"):
        assert limit in readme, limit
