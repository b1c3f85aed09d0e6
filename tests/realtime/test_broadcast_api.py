"""`POST /realtime/v1/api/broadcast` (supabase-js's send before subscribing) and its
`httpSend` twin: 202 as Supabase answers, the same rules as the websocket (a private campaign
room takes messages only from its members, the service key and staff; others are dropped
without saying so), bad input a 400 in the envelope with nothing sent, no project key a 401."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from fashionos.realtime import views as realtime_views

from .support import run_sync, unique_name

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/realtime/v1/api/broadcast"


def _post(url: str, body, *, apikey: str | None, token: str | None = None):
    headers = {}
    if apikey is not None:
        headers["apikey"] = apikey
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    client = APIClient()
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


async def _listener(make, anon_key, topic, token=None, private=False):
    client = make(apikey=anon_key)
    await client.connect()
    reply = await client.join_room(topic, access_token=token, private=private)
    assert reply.payload["status"] == "ok", reply
    return client


async def test_a_public_broadcast_reaches_the_room(anon_key, phoenix_clients):
    topic = unique_name()
    listener = await _listener(phoenix_clients, anon_key, topic)
    body = {"messages": [{"topic": topic, "event": "e", "payload": {"n": 1}, "id": "m1"}]}

    reply = await run_sync(_post, URL, body, apikey=anon_key)

    assert reply.status_code == 202 and reply.content == b""
    heard = await listener.receive_event("broadcast")
    assert heard.topic == f"realtime:{topic}"
    assert heard.payload == {
        "type": "broadcast",
        "event": "e",
        "payload": {"n": 1},
        "meta": {"id": "m1"},
    }


@pytest.mark.parametrize(
    ("sender", "heard"),
    [("owner", True), ("service", True), ("admin", True), ("outsider", False), ("anon", False)],
)
async def test_a_private_broadcast_needs_a_member(
    sender, heard, cast, tokens, anon_key, service_key, phoenix_clients
):
    topic = f"campaign:{cast.campaign.pk}"
    listener = await _listener(phoenix_clients, anon_key, topic, tokens.viewer, private=True)
    token = {"service": service_key, "anon": None}.get(sender) or getattr(tokens, sender, None)
    body = {"messages": [{"topic": topic, "event": "e", "payload": {}, "private": True}]}

    reply = await run_sync(_post, URL, body, apikey=anon_key, token=token)

    assert reply.status_code == 202
    if heard:
        assert (await listener.receive_event("broadcast")).payload["event"] == "e"
    else:
        assert await listener.quiet()


async def test_http_send_reaches_public_and_private_rooms(cast, tokens, anon_key, phoenix_clients):
    public_topic = unique_name()
    private_topic = f"campaign:{cast.campaign.pk}"
    public = await _listener(phoenix_clients, anon_key, public_topic)
    private = await _listener(phoenix_clients, anon_key, private_topic, tokens.viewer, True)

    reply = await run_sync(_post, f"{URL}/{public_topic}/events/wave", {"x": 1}, apikey=anon_key)
    assert reply.status_code == 202
    assert (await public.receive_event("broadcast")).payload == {
        "type": "broadcast",
        "event": "wave",
        "payload": {"x": 1},
    }
    url = f"{URL}/{private_topic}/events/note?private=true"
    reply = await run_sync(_post, url, {"y": 2}, apikey=anon_key, token=tokens.outsider)
    assert reply.status_code == 202
    assert await private.quiet()
    reply = await run_sync(_post, url, {"y": 2}, apikey=anon_key, token=tokens.owner)
    assert (await private.receive_event("broadcast")).payload["payload"] == {"y": 2}


BAD_BODIES = [
    {},
    {"messages": []},
    {"messages": "nope"},
    {"messages": [{"topic": "t", "event": "e"}]},  # no payload
    {"messages": [{"topic": "t", "event": "e", "payload": [1]}]},
    {"messages": [{"topic": "", "event": "e", "payload": {}}]},
    {"messages": [{"topic": "t" * 256, "event": "e", "payload": {}}]},
    {"messages": [{"topic": "t", "event": "e", "payload": {"pad": "x" * 300}}]},
    {"messages": [{"topic": "t", "event": "e", "payload": {}}] * realtime_views.MAX_MESSAGES},
]


@pytest.mark.parametrize("body", BAD_BODIES)
async def test_bad_input_is_a_400_and_nothing_is_sent(body, anon_key, phoenix_clients, monkeypatch):
    monkeypatch.setattr(realtime_views, "MAX_BROADCAST_BYTES", 200)
    listener = await _listener(phoenix_clients, anon_key, "t")
    # A valid message first where there is a list (the last body is then one over the bound):
    # a 400 must not send even the good ones.
    if isinstance(body.get("messages"), list) and body["messages"]:
        body = {"messages": [{"topic": "t", "event": "ok", "payload": {}}, *body["messages"]]}

    reply = await run_sync(_post, URL, body, apikey=anon_key)

    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "VALIDATION_ERROR"
    assert await listener.quiet()


async def test_http_send_refuses_a_body_that_is_not_an_object(anon_key, phoenix_clients):
    listener = await _listener(phoenix_clients, anon_key, "t")
    reply = await run_sync(_post, f"{URL}/t/events/e", [1, 2], apikey=anon_key)
    assert reply.status_code == 400 and reply.json()["code"] == "VALIDATION_ERROR"
    assert await listener.quiet()


@pytest.mark.parametrize("credentials", ["none", "user_token_as_apikey", "garbage_bearer"])
async def test_without_a_project_key_or_a_valid_token_it_is_a_401(credentials, tokens):
    apikey, token = {
        "none": (None, None),
        "user_token_as_apikey": (tokens.owner, None),
        "garbage_bearer": (None, "not-a-token"),
    }[credentials]
    body = {"messages": [{"topic": "t", "event": "e", "payload": {}}]}
    reply = await run_sync(_post, URL, body, apikey=apikey, token=token)
    assert reply.status_code == 401
    assert "error" in reply.json() and "code" in reply.json()


def test_broadcasts_over_http_are_throttled_per_caller(tokens, anon_key, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "realtime_broadcast", "2/min")
    body = {"messages": [{"topic": unique_name(), "event": "e", "payload": {}}]}
    sent = [_post(URL, body, apikey=anon_key, token=tokens.owner) for _ in range(3)]
    assert [reply.status_code for reply in sent] == [202, 202, 429]
    assert sent[2].json()["code"] == "THROTTLED"
    assert _post(URL, body, apikey=anon_key, token=tokens.editor).status_code == 202
