"""The chat endpoint's contract (issue 5 points 1, 5 and 6): validation and authentication in
the error envelope with nothing logged, one conversation row per answered turn, an answer that
survives a failed log write, per-user throttling, and a bounded number of queries whatever the
campaign's size."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from assistant import services
from assistant.chat.request import MAX_MESSAGE
from assistant.models import Conversation
from assistant.tests.conftest import campaign_fill
from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import access_token_issue
from fashionos.api.fields import MSG_NOT_A_STRING
from fashionos.testing.clients import (
    access_token_for,
    client_with_token,
    session_queries_warm,
    session_warm,
)
from fashionos.testing.factories import UserFactory
from logistics.models import CampaignRole
from logistics.tests.factories import CampaignFactory, MemberFactory

pytestmark = pytest.mark.django_db

CHAT = "/api/v1/assistant/chat"
FN_CHAT = "/functions/v1/chat-orchestrator"
GOOD = {"message": "Are we ready?", "currentKit": "logistics"}


def _error(response, status: int, code: str) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    return body


# --- validation ------------------------------------------------------------------------------

BAD_BODIES = [
    ({"currentKit": "logistics"}, "message"),
    ({"message": "", "currentKit": "logistics"}, "message"),
    ({"message": "   ", "currentKit": "logistics"}, "message"),
    ({"message": None, "currentKit": "logistics"}, "message"),
    ({"message": ["are we ready?"], "currentKit": "logistics"}, "message"),
    ({"message": "x" * (MAX_MESSAGE + 1), "currentKit": "logistics"}, "message"),
    ({"message": "Are we ready?"}, "currentKit"),
    ({"message": "Are we ready?", "currentKit": "finance"}, "currentKit"),
    ({"message": "Are we ready?", "currentKit": "LOGISTICS"}, "currentKit"),
    ({**GOOD, "sessionId": "session-1"}, "sessionId"),
    ({**GOOD, "sessionId": 12}, "sessionId"),
    ({**GOOD, "currentRoute": "/" + "a" * 500}, "currentRoute"),
    ({**GOOD, "currentRoute": {"path": "/"}}, "currentRoute"),
    ({**GOOD, "conversationHistory": "hello"}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [{}] * 51}, "conversationHistory"),
    ({**GOOD, "userContext": "campaign"}, "userContext"),
    ({**GOOD, "userContext": [1, 2]}, "userContext"),
    ({**GOOD, "userContext": []}, "userContext"),
    ({**GOOD, "userContext": ""}, "userContext"),
    ({**GOOD, "userContext": 0}, "userContext"),
    ({**GOOD, "userContext": {"campaignId": "abc"}}, "userContext.campaignId"),
    ({**GOOD, "userContext": {"sampleList": "abc"}}, "userContext.sampleList"),
    ({**GOOD, "userContext": {"tasks": [{"status": "late"}]}}, "userContext.tasks[0].status"),
    ({**GOOD, "userContext": {"assets": [{"kind": "gif"}]}}, "userContext.assets[0].kind"),
    # Values of the wrong JSON type are refused, not turned into text or a UUID.
    ({"message": 123, "currentKit": "logistics"}, "message"),
    ({"message": 1.5, "currentKit": "logistics"}, "message"),
    ({"message": True, "currentKit": "logistics"}, "message"),
    ({"message": {"text": "ready?"}, "currentKit": "logistics"}, "message"),
    ({"message": "Are we ready?", "currentKit": 1}, "currentKit"),
    ({"message": "Are we ready?", "currentKit": ["logistics"]}, "currentKit"),
    ({"message": "Are we ready?", "currentKit": {"kit": "logistics"}}, "currentKit"),
    ({**GOOD, "currentRoute": 5}, "currentRoute"),
    ({**GOOD, "currentRoute": False}, "currentRoute"),
    ({**GOOD, "currentRoute": ["/"]}, "currentRoute"),
    ({**GOOD, "sessionId": 2**100}, "sessionId"),
    ({**GOOD, "sessionId": [str(uuid.uuid4())]}, "sessionId"),
    ({**GOOD, "sessionId": {"id": str(uuid.uuid4())}}, "sessionId"),
    ({**GOOD, "conversationHistory": {"role": "user"}}, "conversationHistory"),
    ({**GOOD, "conversationHistory": ["are we ready?"]}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [1]}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [[]]}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [None]}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [{"role": 1, "content": "hi"}]}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [{"role": "user", "content": 7}]}, "conversationHistory"),
    ({**GOOD, "conversationHistory": [{"content": ["hi"]}]}, "conversationHistory"),
    ({**GOOD, "userContext": True}, "userContext"),
    ({**GOOD, "userContext": {"campaignId": 5}}, "userContext.campaignId"),
    ({**GOOD, "userContext": {"campaignId": int(uuid.uuid4())}}, "userContext.campaignId"),
    ({**GOOD, "userContext": {"campaignId": [str(uuid.uuid4())]}}, "userContext.campaignId"),
    ({**GOOD, "userContext": {"sampleList": {}}}, "userContext.sampleList"),
    ({**GOOD, "userContext": {"tasks": "abc"}}, "userContext.tasks"),
    ({**GOOD, "userContext": {"assets": 3}}, "userContext.assets"),
    ({**GOOD, "userContext": {"sampleList": [[]]}}, "userContext.sampleList[0]"),
]


@pytest.mark.parametrize("path", [CHAT, FN_CHAT])
@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_a_bad_body_is_a_400_naming_the_field_and_logs_nothing(cast, path, body, field):
    response = cast.client("owner").post(path, body, format="json")

    error = _error(response, 400, "VALIDATION_ERROR")
    assert field in error["details"], error
    assert Conversation.objects.count() == 0


def test_a_non_string_message_is_refused_with_the_fields_message(cast):
    response = cast.client("owner").post(
        CHAT, {"message": 123, "currentKit": "logistics", "currentRoute": 5}, format="json"
    )

    error = _error(response, 400, "VALIDATION_ERROR")
    assert error["details"]["message"] == [MSG_NOT_A_STRING]
    assert error["details"]["currentRoute"] == [MSG_NOT_A_STRING]


def test_a_history_of_message_objects_is_taken(known, cast):
    history = [
        {"role": "user", "content": "are we ready?", "timestamp": "2025-06-01T10:00:00Z"},
        {"role": "assistant", "content": "38% ready", "intent": "readiness_check", "id": 4},
    ]

    response = cast.client("owner").post(
        CHAT, {**GOOD, "conversationHistory": history, "currentRoute": ""}, format="json"
    )

    assert response.status_code == 200, response.json()


def test_a_message_of_exactly_the_limit_is_answered(cast):
    message = "ready? " + "x" * (MAX_MESSAGE - 7)

    response = cast.client("owner").post(
        CHAT, {"message": message, "currentKit": "logistics"}, format="json"
    )

    assert response.status_code == 200
    assert Conversation.objects.get().message == message


def test_a_body_that_is_not_an_object_is_refused(cast):
    response = cast.client("owner").post(CHAT, ["Are we ready?"], format="json")

    _error(response, 400, "VALIDATION_ERROR")
    assert Conversation.objects.count() == 0


def test_too_many_inline_samples_are_refused(cast):
    samples = [{"id": f"s{n}", "status": "on_set"} for n in range(10_001)]

    response = cast.client("owner").post(
        CHAT, {**GOOD, "userContext": {"sampleList": samples}}, format="json"
    )

    error = _error(response, 400, "TOO_MANY_ITEMS")
    assert list(error["details"]) == ["userContext.sampleList"]
    assert Conversation.objects.count() == 0


def test_malformed_json_is_refused(cast):
    response = cast.client("owner").post(
        CHAT, '{"message": "Are we ready?", ', content_type="application/json"
    )

    _error(response, 400, "MALFORMED_REQUEST")
    assert Conversation.objects.count() == 0


# --- authentication --------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CHAT, FN_CHAT])
def test_no_token_is_a_401(cast, path):
    response = APIClient().post(path, GOOD, format="json")

    _error(response, 401, "NOT_AUTHENTICATED")
    assert response["WWW-Authenticate"]
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize("path", [CHAT, FN_CHAT])
def test_the_anon_key_alone_is_a_401(cast, path):
    response = cast.client("anon").post(path, GOOD, format="json")

    _error(response, 401, "NOT_AUTHENTICATED")
    assert Conversation.objects.count() == 0


def test_an_expired_token_is_a_401(cast):
    session = AuthSession.objects.create(user=cast.owner)
    token, _ = access_token_issue(
        user=cast.owner, session_id=session.id, now=timezone.now() - timedelta(hours=2)
    )

    response = client_with_token(token).post(CHAT, GOOD, format="json")

    _error(response, 401, "TOKEN_EXPIRED")
    assert Conversation.objects.count() == 0


def test_a_tampered_token_is_a_401(cast):
    token = access_token_for(cast.owner)

    response = client_with_token(token[:-4] + "AAAA").post(CHAT, GOOD, format="json")

    _error(response, 401, "TOKEN_INVALID")
    assert Conversation.objects.count() == 0


def test_a_signed_out_session_is_a_401(cast):
    token = access_token_for(cast.owner)
    AuthSession.objects.filter(user=cast.owner).update(revoked_at=timezone.now())

    response = client_with_token(token).post(CHAT, GOOD, format="json")

    _error(response, 401, "SESSION_ENDED")


@pytest.mark.parametrize("path", [CHAT, FN_CHAT])
def test_the_service_key_is_refused_with_user_required(cast, path):
    response = cast.client("service").post(path, GOOD, format="json")

    body = _error(response, 403, "USER_REQUIRED")
    assert body["error"] == "The assistant answers a signed-in user: use a user's access token."
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_is_allowed(cast, method):
    response = getattr(cast.client("owner"), method)(CHAT)

    _error(response, 405, "METHOD_NOT_ALLOWED")


# --- the conversation log --------------------------------------------------------------------


def test_one_row_per_answered_turn_with_every_field(known, cast):
    client = cast.client("editor")
    session = uuid.uuid4()

    first = client.post(
        CHAT,
        {**GOOD, "currentRoute": "/sample-tracker", "sessionId": str(session)},
        format="json",
    ).json()
    second = client.post(
        FN_CHAT,
        {"message": "which tasks are late?", "currentKit": "logistics", "sessionId": str(session)},
        format="json",
    ).json()

    rows = list(Conversation.objects.order_by("created_at"))
    assert [str(row.pk) for row in rows] == [first["conversationId"], second["conversationId"]]
    turn = rows[0]
    assert turn.user == cast.editor
    assert turn.session_id == session
    assert turn.message == "Are we ready?"
    assert turn.kit_context == "logistics"
    assert turn.page_route == "/sample-tracker"
    assert turn.intent_detected == "readiness_check"
    assert turn.skill_used == "logistics"
    assert turn.response_time_ms == first["responseTime"]
    assert turn.response == first
    assert turn.helpful is None
    assert (rows[1].intent_detected, rows[1].skill_used, rows[1].page_route) == (
        "at_risk_tasks",
        "events",
        None,
    )
    assert rows[1].response == second


def test_a_turn_without_a_session_gets_one(known, cast):
    reply = cast.client("owner").post(CHAT, GOOD, format="json").json()

    turn = Conversation.objects.get()
    assert str(turn.session_id) == reply["sessionId"]
    uuid.UUID(reply["sessionId"])


def test_a_campaign_not_found_logs_nothing(known, cast):
    response = cast.client("owner").post(
        CHAT, {**GOOD, "userContext": {"campaignId": str(cast.other_campaign.pk)}}, format="json"
    )

    _error(response, 404, "NOT_FOUND")
    assert Conversation.objects.count() == 0


def test_a_failed_log_write_still_answers_and_is_counted(known, cast, monkeypatch, caplog):
    def refuse(**fields):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Conversation.objects, "create", refuse)
    before = services.LOG_FAILURES["count"]

    response = cast.client("owner").post(CHAT, GOOD, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["conversationId"] is None
    assert body["content"].startswith("No: Campaign is 38% ready")
    assert body["intent"] == "readiness_check"
    assert response["X-Conversation-Logged"] == "false"
    assert services.LOG_FAILURES["count"] == before + 1
    assert Conversation.objects.count() == 0
    errors = [r for r in caplog.records if r.name == "fashionos.chat" and r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "answered but not logged" in errors[0].getMessage()
    assert errors[0].exc_info is not None


BROWSER = "https://app.fashionos.example"


def _exposed(response) -> set[str]:
    return {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}


def test_a_browser_can_read_the_not_logged_header(known, cast, monkeypatch, settings):
    settings.CORS_ALLOWED_ORIGINS = [BROWSER]
    monkeypatch.setattr(
        Conversation.objects, "create", lambda **f: (_ for _ in ()).throw(DatabaseError())
    )

    response = cast.client("owner").post(FN_CHAT, GOOD, format="json", HTTP_ORIGIN=BROWSER)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == BROWSER
    assert "x-conversation-logged" in _exposed(response)


def test_a_logged_turn_has_no_logged_header(known, cast):
    response = cast.client("owner").post(CHAT, GOOD, format="json")

    assert response.status_code == 200
    assert "X-Conversation-Logged" not in response


def test_after_a_failed_write_the_next_turn_is_logged(known, cast, monkeypatch):
    client = cast.client("owner")
    with monkeypatch.context() as patch:
        patch.setattr(
            Conversation.objects, "create", lambda **f: (_ for _ in ()).throw(DatabaseError())
        )
        assert client.post(CHAT, GOOD, format="json").json()["conversationId"] is None

    reply = client.post(CHAT, GOOD, format="json").json()

    assert Conversation.objects.get().pk == uuid.UUID(reply["conversationId"])


# --- throttling ------------------------------------------------------------------------------


@pytest.fixture
def chat_rate(monkeypatch):
    """Two chat requests a minute. ScopedRateThrottle copies the rates when it is defined, so
    its class attribute is what to change (the cache is cleared around every test)."""
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "chat", "2/min")


def test_throttling_is_a_429_envelope_with_retry_after(known, cast, chat_rate):
    client = cast.client("owner")

    statuses = [client.post(CHAT, GOOD, format="json").status_code for _ in range(2)]
    throttled = client.post(FN_CHAT, GOOD, format="json")

    assert statuses == [200, 200]
    body = _error(throttled, 429, "THROTTLED")
    assert body["error"] == "Too many requests. Try again later."
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert body["details"]["retry_after_seconds"] > 0
    assert Conversation.objects.count() == 2


def test_a_browser_can_read_retry_after(known, cast, chat_rate, settings):
    settings.CORS_ALLOWED_ORIGINS = [BROWSER]
    client = cast.client("owner")
    for _ in range(2):
        client.post(CHAT, GOOD, format="json", HTTP_ORIGIN=BROWSER)

    throttled = client.post(CHAT, GOOD, format="json", HTTP_ORIGIN=BROWSER)

    assert throttled.status_code == 429
    assert "retry-after" in _exposed(throttled)


def test_throttling_is_per_user(known, cast, chat_rate):
    owner = cast.client("owner")
    for _ in range(2):
        owner.post(CHAT, GOOD, format="json")

    assert owner.post(CHAT, GOOD, format="json").status_code == 429
    assert cast.client("editor").post(CHAT, GOOD, format="json").status_code == 200


# --- queries per turn ------------------------------------------------------------------------

QUESTIONS = {
    "readiness_check": ("Are we ready?", "logistics"),
    "at_risk_tasks": ("Which tasks are at risk?", "events"),
    "asset_ranking": ("Which are our best shots?", "media"),
    "recommendations": ("What should I do next?", "general"),
    "task_lookup": ("Who is assigned to Step 001?", "events"),
    "schedule_slack": ("Is the schedule tight?", "events"),
    "rights_check": ("Any usage rights expiring soon?", "media"),
}
MAX_QUERIES_PER_TURN = 12


def _campaign_of(size: int):
    user = UserFactory()
    campaign = CampaignFactory(created_by=user)
    MemberFactory(campaign=campaign, user=user, role=CampaignRole.OWNER)
    campaign_fill(campaign=campaign, size=size)
    return session_warm(client_with_token(access_token_for(user))), campaign


def _queries_per_intent(client, campaign) -> dict[str, int]:
    session = str(uuid.uuid4())
    counts = {}
    for intent, (message, kit) in QUESTIONS.items():
        body = {
            "message": message,
            "currentKit": kit,
            "sessionId": session,
            "userContext": {"campaignId": str(campaign.pk)},
        }
        with CaptureQueriesContext(connection) as queries:
            response = client.post(CHAT, body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["intent"] == intent
        counts[intent] = len(queries)
    return counts


def test_queries_per_turn_do_not_grow_with_the_campaign(frozen_clock):
    small = _queries_per_intent(*_campaign_of(5))
    large = _queries_per_intent(*_campaign_of(200))

    assert small == large
    assert max(small.values()) <= MAX_QUERIES_PER_TURN
    # token session (none once cached), previous turn, campaign (with its samples in the same
    # query when the skill reads them), the other tables the skill reads, the turn's insert
    # (inside a savepoint, two more statements under the test's transaction).
    session = session_queries_warm()
    assert small == {
        "readiness_check": 5 + session,
        "at_risk_tasks": 7 + session,
        "asset_ranking": 7 + session,
        "recommendations": 9 + session,
        "task_lookup": 7 + session,
        "schedule_slack": 7 + session,
        "rights_check": 7 + session,
    }


@pytest.mark.django_db(transaction=True)
def test_a_turn_outside_a_transaction_logs_its_row_without_begin_or_commit():
    """In autocommit the turn's one INSERT is atomic by itself: no BEGIN/COMMIT around it
    (two round trips of six); inside a caller's transaction a savepoint guards it instead."""
    client, campaign = _campaign_of(5)
    message, kit = QUESTIONS["readiness_check"]
    body = {"message": message, "currentKit": kit, "userContext": {"campaignId": str(campaign.pk)}}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(CHAT, body, format="json")

    assert response.status_code == 200, response.json()
    statements = [q["sql"].strip().upper() for q in queries]
    assert not [s for s in statements if s.startswith(("BEGIN", "COMMIT", "SAVEPOINT"))]
    assert Conversation.objects.filter(pk=response.json()["conversationId"]).exists()
