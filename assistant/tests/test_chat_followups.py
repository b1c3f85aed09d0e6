"""Follow-ups (issue 5 point 4): within a sessionId, "which ones?", "and the hero pieces?",
"what about the dresses?" and "what about tomorrow?" refine the session's previous answered
turn (an off-topic question or a "thanks" in between does not erase it), which the server
reads from its own log: the requests below carry no conversationHistory. A timeframe limits
the schedule, the risks, the double-bookings and the delayed samples to that window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from assistant.models import Conversation
from assistant.tests.conftest import NOW, TOMORROW
from logistics.services.samples import sample_create
from logistics.services.tasks import task_create

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
        sample_create(
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

    assert first["content"].startswith("No: Campaign is 30% ready: 3 of 10 samples on set or shot.")
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
        f"{day} 10:00 Press interview (Ben Okafor). 1 double-booking in the plan as given "
        "(Ben Okafor: Fitting with talent and Press interview); the plan runs them one after "
        "the other."
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


# --- timeframes beyond the schedule ------------------------------------------------------------


def test_and_tomorrow_after_a_conflict_check_gives_tomorrows_double_bookings(known, owner, session):
    first = ask(owner, "is anyone double-booked?", "events", session)
    tomorrow = ask(owner, "and tomorrow?", "events", session)
    today = ask(owner, "and today?", "events", session)

    assert first["data"]["conflictCount"] == 1
    assert (tomorrow["intent"], today["intent"]) == ("conflict_check", "conflict_check")
    assert tomorrow["content"] == (
        "1 double-booking tomorrow: Ben Okafor has Fitting with talent and Press interview "
        f"overlapping by 30min ({TOMORROW.strftime('%a')} 09:30). The optimised schedule runs "
        "them one after the other."
    )
    assert today["content"] == "Nobody is double-booked today in the current plan."
    assert today["data"] == {}


def test_and_tomorrow_after_a_blocker_check_gives_the_samples_due_tomorrow(known, owner, session):
    first = ask(owner, "what's delayed?", "logistics", session)
    tomorrow = ask(owner, "and tomorrow?", "logistics", session)
    today = ask(owner, "what about today?", "logistics", session)

    assert first["data"]["delayedCount"] == 2
    # Silk Gown is due today and Wool Coat has no ETA; Velvet Blazer (in transit) lands tomorrow.
    assert (tomorrow["intent"], tomorrow["severity"]) == ("blocker_check", "success")
    assert tomorrow["content"] == (
        "No sample is delayed due tomorrow. 2 other delayed samples are not due tomorrow or "
        "have no ETA. In transit, due tomorrow: 1 sample (Velvet Blazer)."
    )
    assert tomorrow["data"]["delayed"] == []
    assert today["content"].startswith(
        "1 sample delayed due today: Silk Gown (hero). 1 blocker for the shoot (1 critical)."
    )
    assert today["content"].endswith(" 1 other delayed sample is not due today or has no ETA.")
    assert today["data"]["delayed"] == [known.sample_id("Silk Gown")]


def test_at_risk_tasks_by_deadline_window(known, owner, session):
    ask(owner, "which tasks are at risk?", "events", session)

    today = ask(owner, "and today?", "events", session)
    next_week = ask(owner, "what about next week?", "events", session)

    assert today["content"] == (
        "1 task will miss the deadline today: Shoot hero looks late by 30min."
    )
    assert next_week["intent"] == "at_risk_tasks"
    assert next_week["content"] == (
        "No task with a deadline next week is at risk in the current plan."
    )


def test_next_week_is_not_this_week(known, owner, session):
    next_monday = datetime.combine(
        NOW.date() + timedelta(days=7 - NOW.weekday()), time(0), tzinfo=UTC
    )
    press = task_create(
        campaign=known.campaign,
        data={
            "title": "Press day",
            "duration_minutes": 60,
            "earliest_start": next_monday + timedelta(hours=10),
        },
    )
    # Tomorrow's two tasks are next week's when today is a Sunday.
    tomorrow_is_next_week = next_monday <= TOMORROW
    ask(owner, "what's the schedule?", "events", session)

    next_week = ask(owner, "and next week?", "events", session)
    this_week = ask(owner, "and this week?", "events", session)

    assert next_week["intent"] == "schedule_overview"
    assert next_week["data"]["taskCount"] == 1 + 2 * tomorrow_is_next_week
    assert str(press.pk) in next_week["data"]["tasks"]
    assert "Press day" in next_week["content"]
    assert this_week["data"]["taskCount"] == 7 - 2 * tomorrow_is_next_week
    assert "Press day" not in this_week["content"]


# --- categories --------------------------------------------------------------------------------


def test_what_about_the_dresses_narrows_readiness_to_the_dresses(known, owner, session):
    ask(owner, "are we ready?", "logistics", session)

    dresses = ask(owner, "what about the dresses?", "logistics", session)
    outerwear = ask(owner, "and the outerwear?", "logistics", session)

    assert (dresses["intent"], dresses["skill"]) == ("readiness_check", "logistics")
    assert dresses["content"] == (
        "Dresses: 0 of 2 ready (0%). Not ready: Silk Gown (delayed), Satin Slip Dress "
        "(arrived, not yet on set)."
    )
    assert outerwear["content"] == (
        "Outerwear: 1 of 3 ready (33%). Not ready: Wool Coat (delayed), Velvet Blazer (in transit)."
    )
    assert outerwear["data"]["notReadyCount"] == 2


def test_and_the_outerwear_narrows_the_blockers(known, owner, session):
    ask(owner, "what's delayed?", "logistics", session)

    reply = ask(owner, "and the outerwear?", "logistics", session)

    assert reply["intent"] == "blocker_check"
    assert reply["content"].startswith("Outerwear: 1 sample delayed: Wool Coat. 1 blocker ")
    assert "Silk Gown" not in reply["content"]
    assert reply["content"].endswith("In transit: 1 sample (Velvet Blazer).")
    assert reply["data"]["delayed"] == [known.sample_id("Wool Coat")]


def test_and_the_knitwear_when_there_is_none(known, owner, session):
    ask(owner, "what's delayed?", "logistics", session)

    reply = ask(owner, "and the knitwear?", "logistics", session)

    assert (reply["intent"], reply["content"]) == (
        "blocker_check",
        "Knitwear: No sample is delayed.",
    )


def test_a_category_follow_up_on_the_batching_plan(known, owner, session):
    ask(owner, "how should we batch the shoot?", "logistics", session)

    reply = ask(owner, "what about the outerwear?", "logistics", session)

    assert reply["intent"] == "batching_plan"
    assert [b["category"] for b in reply["data"]["batching"]["batches"]] == ["Outerwear"]
    assert "Denim Jacket" in reply["content"]
    assert "Linen Shirt" not in reply["content"]


# --- context across turns ----------------------------------------------------------------------


def test_an_unknown_turn_does_not_erase_the_context(known, owner, session):
    ask(owner, "what's delayed?", "logistics", session)
    lost = ask(owner, "what's the weather in Paris?", "logistics", session)
    ask(owner, "thanks", "logistics", session)

    reply = ask(owner, "and the hero pieces?", "logistics", session)

    assert lost["intent"] == "unknown"
    assert (reply["intent"], reply["severity"]) == ("blocker_check", "critical")
    assert reply["content"].startswith("1 hero piece delayed: Silk Gown (hero).")


def test_a_help_turn_ends_the_context(known, owner, session):
    ask(owner, "what's delayed?", "logistics", session)
    ask(owner, "what can you do?", "logistics", session)

    reply = ask(owner, "which ones?", "logistics", session)

    assert reply["intent"] == "unknown"


def test_and_the_hero_pieces_with_no_previous_turn_gives_hero_readiness(known, owner, session):
    reply = ask(owner, "And the hero pieces?", "logistics", session)

    assert (reply["intent"], reply["skill"]) == ("readiness_check", "logistics")
    assert reply["content"] == (
        "Hero pieces: 0 of 2 ready (0%). Not ready: Silk Gown (delayed), Satin Slip Dress "
        "(arrived, not yet on set)."
    )


def test_the_readiness_suggestion_lists_the_samples_not_ready(known, owner, session):
    first = ask(owner, "are we ready?", "logistics", session)
    suggestion = first["followUp"][0]

    reply = ask(owner, suggestion, "logistics", session)

    assert reply["intent"] == "readiness_check"
    assert reply["data"]["notReady"] == first["data"]["notReady"]
    for name in ("Satin Slip Dress", "Silk Gown", "Wool Coat", "Velvet Blazer", "Cashmere Scarf"):
        assert name in reply["content"]
