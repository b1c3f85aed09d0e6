"""Follow-ups (issue 5 point 4): within a sessionId, "which ones?", "and the hero pieces?" and
"what about tomorrow?" refine the session's previous turn, which the server reads from its own
log: the requests below carry no conversationHistory."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from assistant.models import Conversation
from assistant.tests.conftest import TOMORROW
from logistics import services

pytestmark = pytest.mark.django_db

CHAT = "/api/v1/assistant/chat"


def ask(client, message: str, kit: str, session: uuid.UUID | None, **body) -> dict:
    payload = {"message": message, "currentKit": kit, **body}
    if session is not None:
        payload["sessionId"] = str(session)
    response = client.post(CHAT, payload, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def owner(cast):
    return cast.client("owner")


@pytest.fixture
def session():
    return uuid.uuid4()


def test_which_ones_lists_every_sample_not_ready(known, owner, session):
    for name in ("Tulle Skirt", "Lace Top"):
        services.sample_create(
            campaign=known.campaign, data={"name": name, "status": "requested", "priority": 5}
        )
    not_ready = [
        "Satin Slip Dress",
        "Silk Gown",
        "Wool Coat",
        "Velvet Blazer",
        "Cashmere Scarf",
        "Lace Top",
        "Tulle Skirt",
    ]

    first = ask(owner, "are we ready?", "logistics", session)
    second = ask(owner, "which ones?", "logistics", session)

    assert first["content"].startswith("Campaign is 30% ready: 3 of 10 samples on set or shot.")
    assert "; and 2 more." in first["content"]
    assert "Tulle Skirt" not in first["content"]
    assert second["intent"] == "readiness_check"
    assert second["skill"] == "logistics"
    for name in not_ready:
        assert name in second["content"]
    assert second["content"].endswith(
        "Lace Top: requested, not yet shipped; Tulle Skirt: requested, not yet shipped."
    )
    assert "and 2 more" not in second["content"]
    assert len(second["data"]["notReady"]) == 7
    assert second["sessionId"] == first["sessionId"] == str(session)


def test_and_the_hero_pieces_keeps_the_blocker_check(known, owner, session):
    first = ask(owner, "what's delayed?", "logistics", session)
    second = ask(owner, "and the hero pieces?", "logistics", session)

    assert first["data"]["delayed"] == [known.sample_id("Silk Gown"), known.sample_id("Wool Coat")]
    assert (second["intent"], second["skill"], second["severity"]) == (
        "blocker_check",
        "logistics",
        "critical",
    )
    assert second["content"].startswith("1 hero piece delayed: Silk Gown (hero).")
    assert "Wool Coat" not in second["content"]
    assert second["data"]["delayed"] == [known.sample_id("Silk Gown")]
    assert [b["name"] for b in second["data"]["blockers"]] == ["Silk Gown"]


def test_what_about_tomorrow_keeps_the_schedule_for_tomorrow(known, owner, session):
    first = ask(owner, "what's the schedule?", "events", session)
    second = ask(owner, "what about tomorrow?", "events", session)

    assert first["intent"] == "schedule_overview"
    assert len(first["data"]["tasks"]) == 7
    assert (second["intent"], second["skill"]) == ("schedule_overview", "events")
    day = TOMORROW.strftime("%a")
    assert second["content"] == (
        f"2 tasks planned for tomorrow: {day} 09:00 Fitting with talent (Ben Okafor); "
        f"{day} 10:00 Press interview (Ben Okafor)."
    )  # and no word of today's late task
    assert second["severity"] == "warning"  # Ben's double-booking tomorrow
    assert second["data"]["tasks"] == [
        known.task_id("Fitting with talent"),
        known.task_id("Press interview"),
    ]


def test_what_about_today_warns_of_todays_late_task(known, owner, session):
    ask(owner, "what's the schedule?", "events", session)

    reply = ask(owner, "what about today?", "events", session)

    day = (TOMORROW - timedelta(days=1)).strftime("%a")
    assert reply["content"].startswith(f"5 tasks planned for today: {day} 08:00 Build set; ")
    assert reply["content"].endswith(" 1 task will miss the deadline.")
    assert len(reply["data"]["tasks"]) == 5


def test_a_follow_up_on_another_page_keeps_the_previous_kit(known, owner, session):
    ask(owner, "what's delayed?", "logistics", session)

    reply = ask(owner, "and the hero pieces?", "media", session)

    assert (reply["intent"], reply["skill"]) == ("blocker_check", "logistics")


def test_another_session_has_no_previous_context(known, owner, session):
    ask(owner, "are we ready?", "logistics", session)

    elsewhere = ask(owner, "which ones?", "logistics", uuid.uuid4())
    without = ask(owner, "which ones?", "logistics", None)

    assert elsewhere["intent"] == "unknown"
    assert without["intent"] == "unknown"
    assert without["sessionId"] != str(session)


def test_another_users_turns_in_the_same_session_are_not_context(known, cast, session):
    ask(cast.client("owner"), "are we ready?", "logistics", session)

    reply = ask(cast.client("editor"), "which ones?", "logistics", session)

    assert reply["intent"] == "unknown"


def test_the_previous_turn_is_read_from_the_server_not_the_client(known, owner, session):
    """The client's conversationHistory claims the last question was about the schedule; the
    server's log says readiness, and the server wins."""
    ask(owner, "are we ready?", "logistics", session)
    history = [
        {"role": "user", "content": "what's the schedule?"},
        {"role": "assistant", "content": "7 open tasks", "intent": "schedule_overview"},
    ]

    reply = ask(owner, "which ones?", "logistics", session, conversationHistory=history)

    assert reply["intent"] == "readiness_check"
    assert reply["data"]["overallPercentage"] == 38


def test_the_latest_turn_is_the_context(known, owner, session):
    ask(owner, "are we ready?", "logistics", session)
    ask(owner, "what's delayed?", "logistics", session)

    reply = ask(owner, "and the hero pieces?", "logistics", session)

    assert reply["intent"] == "blocker_check"
    assert list(
        Conversation.objects.filter(session_id=session)
        .order_by("created_at")
        .values_list("intent_detected", flat=True)
    ) == ["readiness_check", "blocker_check", "blocker_check"]


def test_an_unknown_turn_is_not_followed_up(known, owner, session):
    ask(owner, "what's the weather in Paris?", "logistics", session)

    reply = ask(owner, "which ones?", "logistics", session)

    assert reply["intent"] == "unknown"


def test_a_new_question_in_the_session_is_not_taken_as_a_follow_up(known, owner, session):
    ask(owner, "are we ready?", "logistics", session)

    reply = ask(owner, "which tasks are at risk?", "logistics", session)

    assert (reply["intent"], reply["skill"]) == ("at_risk_tasks", "events")
