"""The real thing: daphne subprocesses on the Redis channel layer and the PostgreSQL test
database, the official Python clients over real sockets.

Skipped without REDIS_URL, and on SQLite (a subprocess cannot see its in-memory test DB).
"""

from __future__ import annotations

import asyncio

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from realtime import AsyncRealtimeClient, RealtimeSubscribeStates
from supabase import acreate_client

from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.clients import access_token_for
from fashionos.testing.factories import TEST_PASSWORD
from logistics.tests.factories import SampleFactory

from .servers import Server, live_unavailable_reason, sample_status_set_through, server_start
from .support import run_sync

EVENT_TIMEOUT = 15.0

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def servers(django_db_setup):
    """Two daphne processes sharing the test database and Redis."""
    reason = live_unavailable_reason()
    if reason:
        pytest.skip(reason)
    started: list[Server] = []
    try:
        started.append(server_start())
        started.append(server_start())
        yield started
    finally:
        for server in started:
            server.stop()


async def _subscribe(client_channel, event: str, **binding) -> asyncio.Queue:
    """Listen on a channel of an official client; return the queue of changes once SUBSCRIBED."""
    changes: asyncio.Queue = asyncio.Queue()
    states: asyncio.Queue = asyncio.Queue()
    client_channel.on_postgres_changes(event, callback=changes.put_nowait, **binding)
    await client_channel.subscribe(lambda state, error: states.put_nowait((state, error)))
    state, error = await asyncio.wait_for(states.get(), EVENT_TIMEOUT)
    assert state == RealtimeSubscribeStates.SUBSCRIBED, error
    return changes


async def _change_through(server: Server, sample, token: str, status: str) -> None:
    """Change a sample through the server's REST API (the write, its commit and its publish
    all happen in the server process)."""
    await asyncio.to_thread(
        sample_status_set_through, server, sample_id=str(sample.pk), status=status, token=token
    )


def _server_password(user) -> None:
    # The suite hashes passwords with MD5 for speed (root conftest); the server subprocess
    # knows only the production hashers.
    user.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "livetestsalt")
    user.save(update_fields=["password"])


async def test_the_realtime_client_hears_a_change_made_through_the_rest_api(servers, cast):
    server = servers[0]
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    token = await run_sync(access_token_for, cast.owner)
    client = AsyncRealtimeClient(
        f"{server.url}/realtime/v1", token=api_key_issue(role="anon"), auto_reconnect=False
    )
    try:
        await client.connect()
        await client.set_auth(token)
        changes = await _subscribe(
            client.channel("samples"),
            "UPDATE",
            table="samples",
            schema="public",
            filter=f"id=eq.{sample.pk}",
        )
        await _change_through(server, sample, token, "on_set")
        change = await asyncio.wait_for(changes.get(), EVENT_TIMEOUT)
    finally:
        await client.close()
    assert change["data"]["type"] == "UPDATE"
    assert change["data"]["record"]["status"] == "on_set"
    assert change["data"]["old_record"]["status"] == "requested"


async def test_a_change_through_one_server_reaches_a_subscriber_of_the_other(servers, cast):
    writer, reader = servers
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    token = await run_sync(access_token_for, cast.viewer)
    client = AsyncRealtimeClient(
        f"{reader.url}/realtime/v1", token=api_key_issue(role="anon"), auto_reconnect=False
    )
    try:
        await client.connect()
        await client.set_auth(token)
        changes = await _subscribe(client.channel("samples"), "*", table="samples", schema="public")
        editor_token = await run_sync(access_token_for, cast.editor)
        await _change_through(writer, sample, editor_token, "arrived")
        change = await asyncio.wait_for(changes.get(), EVENT_TIMEOUT)
    finally:
        await client.close()
    assert change["data"]["record"]["id"] == str(sample.pk)
    assert change["data"]["record"]["status"] == "arrived"


@pytest.fixture(scope="module")
def production_layout(django_db_setup):
    """The README's production layout: HTTP through gunicorn's WSGI workers, websockets
    through uvicorn, sharing only PostgreSQL and Redis."""
    reason = live_unavailable_reason()
    if reason:
        pytest.skip(reason)
    started: list[Server] = []
    try:
        started.append(server_start("gunicorn"))
        started.append(server_start("uvicorn"))
        yield started
    finally:
        for server in started:
            server.stop()


async def test_a_write_through_gunicorn_reaches_a_subscriber_on_uvicorn(production_layout, cast):
    http, realtime = production_layout
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    token = await run_sync(access_token_for, cast.owner)
    client = AsyncRealtimeClient(
        f"{realtime.url}/realtime/v1", token=api_key_issue(role="anon"), auto_reconnect=False
    )
    try:
        await client.connect()
        await client.set_auth(token)
        changes = await _subscribe(
            client.channel("samples"), "UPDATE", table="samples", schema="public"
        )
        for status in ("in_transit", "arrived", "on_set"):  # each from whichever worker
            await _change_through(http, sample, token, status)
            change = await asyncio.wait_for(changes.get(), EVENT_TIMEOUT)
            assert change["data"]["record"]["status"] == status
    finally:
        await client.close()


async def test_an_outsider_on_the_real_server_hears_nothing(servers, cast):
    server = servers[1]
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    owner_token = await run_sync(access_token_for, cast.owner)
    outsider_token = await run_sync(access_token_for, cast.outsider)
    client = AsyncRealtimeClient(
        f"{server.url}/realtime/v1", token=api_key_issue(role="anon"), auto_reconnect=False
    )
    try:
        await client.connect()
        await client.set_auth(outsider_token)
        changes = await _subscribe(client.channel("samples"), "*", table="samples", schema="public")
        await _change_through(server, sample, owner_token, "delayed")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(changes.get(), 2.0)
    finally:
        await client.close()


async def test_supabase_client_end_to_end(servers, cast):
    """The issue's scenario with the official supabase-py client: sign in through /auth/v1,
    invoke chat-orchestrator through /functions/v1, subscribe to samples, update a sample,
    receive the change."""
    server = servers[0]
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await run_sync(_server_password, cast.owner)
    supabase = await acreate_client(server.url, api_key_issue(role="anon"))
    try:
        session = await supabase.auth.sign_in_with_password(
            {"email": cast.owner.email, "password": TEST_PASSWORD}
        )
        assert session.user.email == cast.owner.email
        answer = await supabase.functions.invoke(
            "chat-orchestrator",
            {
                "body": {
                    "message": "Are we ready for the shoot?",
                    "currentKit": "logistics",
                    "userContext": {"campaignId": str(cast.campaign.pk)},
                },
                "responseType": "json",
            },
        )
        assert answer["content"]
        assert answer["intent"] == "readiness_check"
        # supabase-py hands the new access token to its realtime client in a background task.
        for _ in range(50):
            if supabase.realtime.access_token == session.session.access_token:
                break
            await asyncio.sleep(0.05)
        changes = await _subscribe(
            supabase.channel("samples-e2e"), "UPDATE", table="samples", schema="public"
        )
        await _change_through(server, sample, session.session.access_token, "shot")
        change = await asyncio.wait_for(changes.get(), EVENT_TIMEOUT)
    finally:
        await supabase.remove_all_channels()
        await supabase.auth.close()
    assert change["data"]["record"]["id"] == str(sample.pk)
    assert change["data"]["record"]["status"] == "shot"
