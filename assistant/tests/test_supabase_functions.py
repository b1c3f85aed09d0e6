"""The original edge functions driven by the official `supabase` Python client over real HTTP,
against a live test server: a frontend written for Supabase signs in and calls
`functions.invoke("chat-orchestrator" | "logistics-analyzer", {body})` unchanged.

After `auth.sign_in_with_password` the client rebuilds its functions client with
`Authorization: Bearer <the user's access token>` (and the anon key as `apiKey`)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from supabase import ClientOptions, create_client
from supabase_functions.errors import FunctionsHttpError

from assistant.models import Conversation, Insight
from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

JSON = {"responseType": "json"}


@pytest.fixture
def supabase(live_server):
    """A client as a frontend creates one: the server's URL and the anon key. Its HTTP
    connections are closed before the live server stops, so no server thread outlives it."""
    with httpx.Client() as http:
        options = ClientOptions(auto_refresh_token=False, persist_session=False, httpx_client=http)
        yield create_client(live_server.url, api_key_issue(role="anon"), options)


@pytest.fixture
def signed_in(supabase, cast):
    supabase.auth.sign_in_with_password({"email": cast.owner.email, "password": TEST_PASSWORD})
    return supabase


def _chat(client, message: str, kit: str, session: uuid.UUID, **body) -> dict:
    payload = {
        "message": message,
        "currentKit": kit,
        "currentRoute": "/sample-tracker",
        "sessionId": str(session),
        **body,
    }
    return client.functions.invoke("chat-orchestrator", invoke_options={"body": payload, **JSON})


def test_a_conversation_through_the_chat_orchestrator(known, cast, signed_in):
    session = uuid.uuid4()

    ready = _chat(signed_in, "Are we ready?", "logistics", session)
    which = _chat(signed_in, "which ones?", "logistics", session)
    late = _chat(signed_in, "which tasks are late?", "logistics", session)

    for reply in (ready, which, late):
        assert {"content", "type", "severity", "actions", "followUp", "responseTime"} <= set(reply)
        assert {"intent", "skill", "conversationId"} <= set(reply)
        assert reply["type"] == "text"
        assert all(set(action) == {"label", "target", "primary"} for action in reply["actions"])
    assert ready["intent"] == "readiness_check"
    assert ready["content"].startswith("No: Campaign is 38% ready: 3 of 8 samples on set or shot.")
    assert which["intent"] == "readiness_check"  # the follow-up, from the server's own log
    assert len(which["data"]["notReady"]) == 5
    assert (late["intent"], late["skill"]) == ("at_risk_tasks", "events")
    assert "Shoot hero looks late by 30min" in late["content"]
    rows = Conversation.objects.filter(user=cast.owner, session_id=session).order_by("created_at")
    assert [str(row.pk) for row in rows] == [
        ready["conversationId"],
        which["conversationId"],
        late["conversationId"],
    ]
    assert [row.intent_detected for row in rows] == [
        "readiness_check",
        "readiness_check",
        "at_risk_tasks",
    ]
    assert rows[0].page_route == "/sample-tracker"


def test_the_chat_orchestrator_refuses_a_bad_body_with_the_envelopes_message(signed_in):
    with pytest.raises(FunctionsHttpError) as refused:
        signed_in.functions.invoke(
            "chat-orchestrator", invoke_options={"body": {"message": "hi"}, **JSON}
        )

    assert refused.value.status == 400
    assert refused.value.message == "This field is required."
    assert Conversation.objects.count() == 0


def test_the_anon_key_alone_is_refused(supabase, known):
    with pytest.raises(FunctionsHttpError) as refused:
        _chat(supabase, "Are we ready?", "logistics", uuid.uuid4())

    assert refused.value.status == 401
    assert Conversation.objects.count() == 0


def test_the_logistics_analyzer_with_an_inline_sample_list(cast, signed_in, frozen_clock):
    body = {
        "sampleList": [
            {"id": "g", "name": "Silk Gown", "status": "delayed", "isHero": True, "priority": 1},
            {"id": "c", "name": "Wool Coat", "status": "on_set", "category": "Outerwear"},
            {"id": "s", "name": "Linen Shirt", "status": "shot", "category": "Tops"},
            {"id": "b", "name": "Boots", "status": "requested"},
        ],
        "analysisType": "all",
    }

    first = signed_in.functions.invoke("logistics-analyzer", invoke_options={"body": body, **JSON})
    second = signed_in.functions.invoke("logistics-analyzer", invoke_options={"body": body, **JSON})

    assert set(first) == {"readiness", "blockers", "batching", "cached"}
    assert first["cached"] is False
    assert second == {**first, "cached": True}
    readiness = first["readiness"]
    assert (readiness["overallPercentage"], readiness["status"]) == (50, "critical")
    assert readiness["message"] == "Campaign is 50% ready: 2 of 4 samples on set or shot."
    assert [(b["sampleId"], b["severity"]) for b in first["blockers"]] == [("g", "critical")]
    assert first["batching"]["totalBatches"] == 2
    assert Insight.objects.get(user=cast.owner).cache_hit_count == 1
