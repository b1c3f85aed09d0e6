"""Scale-out (README: Running several server processes): two server processes, a daphne and a
uvicorn, share nothing but PostgreSQL, Redis and the throttle cache (CACHE_URL), and serve
the same users: a token issued by one is accepted by the other, a sign-out on one ends the
session on both, and the sign-in throttle counts across both.

(That a change made through one reaches websocket subscribers of the other is tested in
tests/realtime/test_live.py.)
"""

from __future__ import annotations

import os
import random
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.test.utils import override_settings

from fashionos.testing.factories import TEST_PASSWORD
from fashionos.testing.live import (
    READYZ_HEADERS,
    postgres_unavailable_reason,
    redis_unavailable_reason,
    server_start,
    shared_database_url,
)
from logistics.models import CampaignRole
from logistics.tests.factories import SampleFactory

_SKIP = postgres_unavailable_reason() or redis_unavailable_reason()

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(bool(_SKIP), reason=f"two-process test: {_SKIP}"),
    pytest.mark.django_db(transaction=True),
]

SIGN_IN_RATE = 4  # per minute, per client address


def _shared_cache_url() -> str:
    """The README's layout: the throttle cache in Redis database 1, apart from the channel
    layer's."""
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit((parts.scheme, parts.netloc, "/1", "", ""))


@pytest.fixture(scope="module")
def servers(django_db_setup):
    """Server A (daphne) and server B (uvicorn) on the test database and Redis."""
    shared = {
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_URL": _shared_cache_url(),
        "AUTH_THROTTLE_RATE": f"{SIGN_IN_RATE}/min",
        # Behind one proxy that sets X-Forwarded-For, as in the README (the tests play it).
        "NUM_PROXIES": "1",
    }
    a = server_start("daphne", **shared)
    try:
        b = server_start("uvicorn", **shared)
    except BaseException:
        a.stop()
        raise
    yield a, b
    b.stop()
    a.stop()


@pytest.fixture
def client_address() -> str:
    """A client address of this test alone: the throttle cache outlives the test in Redis."""
    return "10.{}.{}.{}".format(*(random.randint(1, 254) for _ in range(3)))


@pytest.fixture
def member(cast):
    """The cast's owner with a password the servers can check (the test run's fast hasher is
    not one a production server accepts)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        owner = cast.owner
        owner.set_password(TEST_PASSWORD)
        owner.save(update_fields=["password"])
    return owner


def _sign_in(server, user, client_address: str) -> dict:
    reply = httpx.post(
        f"{server.url}/api/v1/auth/token",
        json={"email": user.email, "password": TEST_PASSWORD},
        headers={"X-Forwarded-For": client_address},
        timeout=30.0,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_issued_by_one_server_is_accepted_by_the_other(servers, member, client_address):
    a, b = servers

    session = _sign_in(a, member, client_address)
    me = httpx.get(f"{b.url}/auth/v1/user", headers=_bearer(session["access_token"]), timeout=30)
    campaigns = httpx.get(
        f"{b.url}/api/v1/campaigns", headers=_bearer(session["access_token"]), timeout=30
    )

    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(member.pk)
    assert me.json()["email"] == member.email
    assert campaigns.status_code == 200
    assert [c["name"] for c in campaigns.json()["results"]] == ["Resort 27"]


def test_a_token_issued_by_the_second_server_is_accepted_by_the_first(
    servers, member, client_address
):
    a, b = servers

    session = _sign_in(b, member, client_address)
    me = httpx.get(f"{a.url}/auth/v1/user", headers=_bearer(session["access_token"]), timeout=30)

    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(member.pk)


def test_a_refresh_on_one_server_and_a_sign_out_on_the_other_hold_everywhere(
    servers, member, client_address
):
    a, b = servers
    first = _sign_in(a, member, client_address)

    refreshed = httpx.post(
        f"{b.url}/api/v1/auth/refresh",
        json={"refresh_token": first["refresh_token"]},
        headers={"X-Forwarded-For": client_address},
        timeout=30,
    )
    assert refreshed.status_code == 200, refreshed.text
    token = refreshed.json()["access_token"]
    assert httpx.get(f"{a.url}/auth/v1/user", headers=_bearer(token), timeout=30).is_success

    signed_out = httpx.post(f"{a.url}/auth/v1/logout", headers=_bearer(token), timeout=30)
    assert signed_out.status_code == 204

    # The session lives in the shared database, not in either process.
    for server in (a, b):
        refused = httpx.get(f"{server.url}/api/v1/campaigns", headers=_bearer(token), timeout=30)
        assert refused.status_code == 401, (server.kind, refused.text)
    reused = httpx.post(
        f"{a.url}/api/v1/auth/refresh",
        json={"refresh_token": refreshed.json()["refresh_token"]},
        headers={"X-Forwarded-For": client_address},
        timeout=30,
    )
    assert reused.status_code == 401


def test_a_write_through_one_server_is_read_through_the_other(
    servers, cast, member, client_address
):
    a, b = servers
    sample = SampleFactory(campaign=cast.campaign, status="requested")
    token = _sign_in(a, member, client_address)["access_token"]

    written = httpx.patch(
        f"{a.url}/api/v1/samples/{sample.pk}",
        json={"status": "arrived"},
        headers=_bearer(token),
        timeout=30,
    )
    read = httpx.get(f"{b.url}/api/v1/samples/{sample.pk}", headers=_bearer(token), timeout=30)

    assert written.status_code == 200, written.text
    assert read.status_code == 200
    assert read.json()["status"] == "arrived"


def test_an_invitation_accepted_through_one_server_opens_the_campaign_on_the_other(
    servers, cast, member, client_address
):
    a, b = servers
    newcomer = cast.outsider
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        newcomer.set_password(TEST_PASSWORD)
        newcomer.save(update_fields=["password"])
    owner_token = _sign_in(a, member, client_address)["access_token"]
    newcomer_token = _sign_in(b, newcomer, client_address)["access_token"]
    campaign_url = f"{b.url}/api/v1/campaigns/{cast.campaign.pk}"
    assert httpx.get(campaign_url, headers=_bearer(newcomer_token), timeout=30).status_code == 404

    invited = httpx.post(
        f"{a.url}/api/v1/invitations",
        json={
            "campaign": str(cast.campaign.pk),
            "email": newcomer.email,
            "role": CampaignRole.VIEWER,
        },
        headers=_bearer(owner_token),
        timeout=30,
    )
    assert invited.status_code == 201, invited.text
    assert httpx.get(campaign_url, headers=_bearer(newcomer_token), timeout=30).status_code == 404
    accepted = httpx.post(
        f"{b.url}/api/v1/invitations/{invited.json()['id']}/accept",
        headers=_bearer(newcomer_token),
        timeout=30,
    )

    assert accepted.status_code == 200, accepted.text
    assert httpx.get(campaign_url, headers=_bearer(newcomer_token), timeout=30).status_code == 200


def test_the_sign_in_throttle_is_shared_through_cache_url(servers, client_address):
    a, b = servers
    wrong = {"email": "nobody@example.com", "password": "not-the-password"}
    headers = {"X-Forwarded-For": client_address}

    # Alternate between the servers: each sees only half the attempts, yet the limit holds.
    replies = [
        httpx.post(f"{server.url}/api/v1/auth/token", json=wrong, headers=headers, timeout=30)
        for server in [a, b] * (SIGN_IN_RATE // 2)
    ]
    over = httpx.post(f"{b.url}/api/v1/auth/token", json=wrong, headers=headers, timeout=30)
    again = httpx.post(f"{a.url}/api/v1/auth/token", json=wrong, headers=headers, timeout=30)

    assert [reply.status_code for reply in replies] == [401] * SIGN_IN_RATE
    assert over.status_code == 429, over.text
    assert over.json()["code"] == "THROTTLED"
    assert again.status_code == 429
    assert "Retry-After" in over.headers


def test_each_server_is_ready_on_the_shared_services(servers):
    for server in servers:
        ready = httpx.get(f"{server.url}/readyz", headers=READYZ_HEADERS, timeout=30)

        assert ready.status_code == 200, (server.kind, ready.text)
        assert ready.json()["checks"]["channel_layer"]["backend"] == (
            "channels_redis.pubsub.RedisPubSubChannelLayer"
        )
