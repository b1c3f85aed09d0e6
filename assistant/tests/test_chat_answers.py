"""The chat's answers (issue 5) on the known campaign of `conftest.py`: every kit answers from
the campaign's real data and names the samples, tasks and assets concerned; a question that
belongs to another kit is answered by that kit's skill; data comes from
`userContext.campaignId`, inline lists, or the caller's most recent campaign."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.chat.clarify import OPTIONS
from assistant.chat.skills import events as events_skill
from assistant.chat.skills import general as general_skill
from assistant.chat.skills import logistics as logistics_skill
from assistant.chat.skills import media as media_skill
from assistant.chat.skills.general import SUGGESTIONS
from assistant.intents import PreviousTurn, detect_intent
from assistant.intents.definitions import INTENTS, INTENTS_BY_NAME, KITS
from assistant.models import Conversation
from assistant.tests.conftest import NOW
from fashionos.testing.clients import access_token_for, client_with_token
from fashionos.testing.factories import UserFactory
from logistics.models import CampaignRole
from logistics.services.samples import sample_create, sample_update
from logistics.tests.factories import CampaignFactory, MemberFactory

pytestmark = pytest.mark.django_db

OPTION_QUESTIONS = {option.question for option in OPTIONS.values()}

CHAT = "/api/v1/assistant/chat"

REPLY_KEYS = {
    "content",
    "type",
    "severity",
    "actions",
    "followUp",
    "intent",
    "skill",
    "data",
    "responseTime",
    "conversationId",
    "sessionId",
    "campaignId",
}


def ask(client, message: str, kit: str = "logistics", **body) -> dict:
    response = client.post(CHAT, {"message": message, "currentKit": kit, **body}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def owner(cast):
    return cast.client("owner")


# --- logistics -------------------------------------------------------------------------------


def test_readiness_percentage_and_the_samples_not_ready(known, owner):
    reply = ask(owner, "Are we ready?")

    assert set(reply) == REPLY_KEYS
    assert (reply["intent"], reply["skill"], reply["severity"]) == (
        "readiness_check",
        "logistics",
        "critical",
    )
    assert reply["type"] == "text"
    assert reply["content"].startswith("No: Campaign is 38% ready: 3 of 8 samples on set or shot.")
    assert (
        "Not ready yet: Satin Slip Dress (hero): arrived, not yet on set; Silk Gown (hero): "
        "delayed; Wool Coat: delayed; Velvet Blazer: in transit; Cashmere Scarf: requested, "
        "not yet shipped."
    ) in reply["content"]
    assert reply["data"]["overallPercentage"] == 38
    assert reply["data"]["notReady"] == [
        known.sample_id(name)
        for name in (
            "Satin Slip Dress",
            "Silk Gown",
            "Wool Coat",
            "Velvet Blazer",
            "Cashmere Scarf",
        )
    ]
    assert {"label": "Show delayed", "target": "sample-tracker:delayed", "primary": False} in (
        reply["actions"]
    )
    assert reply["followUp"] == ["Which samples aren't ready yet?", "What's blocking the shoot?"]
    assert reply["campaignId"] == str(known.campaign.pk)
    assert isinstance(reply["responseTime"], int) and reply["responseTime"] >= 0


def test_hero_readiness(known, owner):
    reply = ask(owner, "are the hero pieces ready?")

    assert reply["intent"] == "readiness_check"
    assert reply["content"] == (
        "No: Hero pieces: 0 of 2 ready (0%). Not ready: Silk Gown (delayed), Satin Slip Dress "
        "(arrived, not yet on set)."
    )
    assert sorted(reply["data"]["notReady"]) == sorted(
        [known.sample_id("Silk Gown"), known.sample_id("Satin Slip Dress")]
    )


def test_the_delayed_samples_are_named_hero_first(known, owner):
    reply = ask(owner, "what's delayed?")

    assert (reply["intent"], reply["skill"], reply["severity"]) == (
        "blocker_check",
        "logistics",
        "critical",
    )
    assert reply["content"].startswith(
        "2 samples delayed: Silk Gown (hero), Wool Coat. 2 blockers for the shoot (1 critical)."
    )
    assert "DHL DHL-4471, ETA" in reply["content"]
    assert "(in 4h 30min)" in reply["content"]
    assert reply["data"]["delayed"] == [known.sample_id("Silk Gown"), known.sample_id("Wool Coat")]
    assert [(b["name"], b["severity"]) for b in reply["data"]["blockers"]] == [
        ("Silk Gown", "critical"),
        ("Wool Coat", "high"),
    ]
    assert reply["actions"][0] == {
        "label": "Fix blockers",
        "target": "sample-tracker:delayed",
        "primary": True,
    }
    assert reply["actions"][1]["target"] == f"sample-tracker:{known.sample_id('Silk Gown')}"


def test_nothing_delayed_says_so_and_what_is_still_on_the_way(known, owner):
    for name in ("Silk Gown", "Wool Coat"):
        sample_update(sample=known.samples[name], data={"status": "on_set"})

    reply = ask(owner, "what's delayed?")

    assert reply["severity"] == "success"
    # A requested sample is not on its way: each status is worded by what it means.
    assert reply["content"] == (
        "No sample is delayed. In transit: 1 sample (Velvet Blazer). Requested, not yet "
        "shipped: 1 sample (Cashmere Scarf)."
    )
    assert reply["data"] == {
        "delayed": [],
        "delayedCount": 0,
        "blockerCount": 0,
        "outstandingCount": 2,
    }


def test_a_misspelt_sample_is_found_with_status_courier_and_eta(known, owner):
    reply = ask(owner, "where is the velvet blazr?")

    eta = (NOW + timedelta(days=1)).strftime("%a %d %b %H:%M")
    assert (reply["intent"], reply["skill"], reply["severity"]) == (
        "sample_lookup",
        "logistics",
        "info",
    )
    assert reply["content"] == (
        f"Velvet Blazer is in transit; courier UPS, tracking 1Z999AA1; ETA {eta} (in 1d); "
        "from Maison Test."
    )
    assert reply["data"]["sample"] == {
        "id": known.sample_id("Velvet Blazer"),
        "name": "Velvet Blazer",
        "status": "in_transit",
    }
    assert reply["actions"][0]["target"] == f"sample-tracker:{known.sample_id('Velvet Blazer')}"


def test_a_delayed_hero_lookup_is_critical(known, owner):
    reply = ask(owner, "has the silk gwon arrived?")

    assert reply["intent"] == "sample_lookup"
    assert reply["severity"] == "critical"
    assert reply["content"].startswith(
        "No: Silk Gown (hero) is delayed; courier DHL, tracking DHL-4471; ETA "
    )
    assert reply["data"]["sample"]["id"] == known.sample_id("Silk Gown")


def test_a_near_miss_gets_suggestions(known, owner):
    reply = ask(owner, "where is the wool jumper?")

    assert (reply["intent"], reply["severity"]) == ("sample_lookup", "warning")
    assert reply["content"] == (
        'I couldn\'t find a sample called "wool jumper". Did you mean Wool Coat?'
    )
    assert reply["followUp"] == ["Where is the Wool Coat?"]


def test_an_unknown_name_the_classifier_is_unsure_of_is_asked_about(known, owner):
    reply = ask(owner, "has paris arrived?")  # a sample, or the whole pull?

    assert reply["intent"] == "clarify"
    assert "sample_lookup" in [option["intent"] for option in reply["data"]["options"]]
    assert "Did you mean" not in reply["content"]


@pytest.mark.parametrize("message", ["where is the unicorn jumper?", "where is the paris top?"])
def test_a_sample_nothing_resembles_gets_no_false_suggestion(known, owner, message):
    reply = ask(owner, message)

    assert (reply["intent"], reply["severity"]) == ("sample_lookup", "info")
    assert reply["content"].startswith("No sample matches ")
    assert "Did you mean" not in reply["content"]
    assert 'e.g. "Where is the Satin Slip Dress?"' in reply["content"]  # a hero piece
    assert reply["followUp"] == [
        "Where is the Satin Slip Dress?",
        "Which samples aren't ready yet?",
    ]


@pytest.mark.parametrize(
    ("message", "kit"),
    [("where is paris", "logistics"), ("what time is it", "events"), ("tell me a joke", "media")],
)
def test_an_out_of_domain_question_is_not_answered_from_the_campaign(known, owner, message, kit):
    reply = ask(owner, message, kit)

    assert (reply["intent"], reply["skill"]) == ("unknown", "general")
    assert reply["content"].startswith("I'm not sure what you're asking.")
    assert reply["data"] == {}


def test_the_batching_plan_names_the_samples_of_each_batch_heroes_marked(known, owner):
    sample_update(sample=known.samples["Satin Slip Dress"], data={"status": "on_set"})
    sample_update(sample=known.samples["Velvet Blazer"], data={"status": "on_set"})

    reply = ask(owner, "how should we batch the shoot?")

    assert reply["intent"] == "batching_plan"
    assert (
        "Shooting order: 1. Dresses (1 item, ~50min: Satin Slip Dress (hero)); "
        in (reply["content"])
    )
    assert "Outerwear (2 items, ~1h 20min: Denim Jacket, Velvet Blazer)" in reply["content"]
    assert "Tops (1 item, ~32min: Linen Shirt)" in reply["content"]
    assert "Shoes (1 item, ~35min: Leather Boots)" in reply["content"]
    batches = reply["data"]["batching"]["batches"]
    assert [(b["category"], b["itemCount"]) for b in batches] == [
        ("Dresses", 1),  # the hero batch first, then by priority and arrival
        ("Tops", 1),
        ("Outerwear", 2),
        ("Shoes", 1),
    ]
    assert batches[0]["heroItems"] == [known.sample_id("Satin Slip Dress")]


def test_a_big_batch_names_its_first_samples_and_counts_the_rest(cast, owner, frozen_clock):
    samples = [
        {
            "id": f"s{n}",
            "name": f"Gown {n:02d}",
            "status": "on_set",
            "category": "Dresses",
            "isHero": n == 7,
            "priority": 3,
        }
        for n in range(12)
    ]

    reply = ask(owner, "what order should we shoot in", userContext={"sampleList": samples})

    assert (
        "1. Dresses (12 items, ~4h 30min: Gown 07 (hero), Gown 00, Gown 01 and 9 more)"
        in (reply["content"])
    )


# --- events ----------------------------------------------------------------------------------


def test_the_critical_path_titles_in_order(known, owner):
    reply = ask(owner, "what's on the critical path?", "events")

    assert (reply["intent"], reply["skill"]) == ("critical_path", "events")
    assert reply["content"].startswith(
        "The critical path takes 4h: Build set → Light test → Shoot hero looks → Wrap."
    )
    assert "the next tightest is Steam garments with 1h 45min of slack" in reply["content"]
    assert reply["data"]["criticalPath"] == [
        known.task_id(title) for title in ("Build set", "Light test", "Shoot hero looks", "Wrap")
    ]


def test_the_at_risk_task_with_its_minutes_late(known, owner):
    reply = ask(owner, "which tasks are at risk?", "events")

    assert (reply["intent"], reply["skill"], reply["severity"]) == (
        "at_risk_tasks",
        "events",
        "critical",
    )
    assert reply["content"] == "1 task will miss the deadline: Shoot hero looks late by 30min."
    assert [(t["taskId"], t["lateByMinutes"]) for t in reply["data"]["atRisk"]] == [
        (known.task_id("Shoot hero looks"), 30)
    ]
    assert reply["actions"][1]["target"] == f"event-schedule:{known.task_id('Shoot hero looks')}"


def test_a_double_booking(known, owner):
    reply = ask(owner, "is anyone double-booked?", "events")

    assert (reply["intent"], reply["severity"]) == ("conflict_check", "warning")
    assert reply["content"].startswith(
        "Yes: 1 double-booking: Ben Okafor has Fitting with talent and Press interview overlapping "
        "by 30min."
    )
    conflict = reply["data"]["conflicts"][0]
    assert conflict["taskIds"] == [
        known.task_id("Fitting with talent"),
        known.task_id("Press interview"),
    ]
    assert conflict["overlapMinutes"] == 30


def test_the_schedule(known, owner):
    reply = ask(owner, "what's the schedule?", "events")

    assert reply["intent"] == "schedule_overview"
    assert reply["content"].startswith("7 open tasks, finishing ")
    assert (
        f"{NOW.strftime('%a')} 08:00 Build set; {NOW.strftime('%a')} 09:00 Light test"
        in reply["content"]
    )
    # the deadline miss and the double-booking the analyzer finds reach the answer
    assert reply["content"].endswith(
        "; and 1 more. 1 task will miss the deadline. 1 double-booking in the plan as given "
        "(Ben Okafor: Fitting with talent and Press interview); the plan runs them one after "
        "the other."
    )
    assert (reply["data"]["atRiskCount"], reply["data"]["conflictCount"]) == (1, 1)
    assert len(reply["data"]["tasks"]) == 7


def test_a_cycle_is_explained_not_an_error(cast, owner, frozen_clock):
    tasks = [
        {"id": "a", "title": "Build set", "dependsOn": ["b"]},
        {"id": "b", "title": "Light test", "dependsOn": ["a"]},
    ]

    reply = ask(owner, "what's on the critical path?", "events", userContext={"tasks": tasks})

    assert (reply["intent"], reply["severity"]) == ("critical_path", "critical")
    assert reply["content"].startswith("I can't plan the schedule: Task dependencies form a cycle:")
    assert sorted(reply["data"]["cycle"][:-1]) == ["a", "b"]


# --- media -----------------------------------------------------------------------------------


def test_the_best_asset_for_a_channel(known, owner):
    reply = ask(owner, "which shots are best for instagram?", "media")

    assert reply["skill"] == "media"
    assert reply["intent"] in ("channel_fit", "asset_ranking")
    assert reply["content"].startswith(
        "Best for Instagram feed: Satin portrait (score 100, approved, 1080x1350 matches 4:5)."
    )
    assert reply["data"]["channel"] == "instagram_feed"
    assert reply["data"]["assets"][0] == known.asset_id("Satin portrait")
    assert reply["actions"][0]["target"] == f"media-library:{known.asset_id('Satin portrait')}"


def test_the_best_asset_for_stories(known, owner):
    reply = ask(owner, "what works best for instagram stories?", "media")

    assert reply["data"]["channel"] == "instagram_story"
    assert reply["data"]["assets"][0] == known.asset_id("Linen story")
    assert reply["content"].startswith("Best for Instagram story: Linen story (score 89")


def test_the_asset_ranking(known, owner):
    reply = ask(owner, "which are our best shots?", "media")

    assert reply["intent"] == "asset_ranking"
    # Gown banner (81) features the Silk Gown, which has not arrived: it comes after the
    # assets whose samples are all here, as the media analyzer ranks it.
    assert [row["assetId"] for row in reply["data"]["ranking"]] == [
        known.asset_id(title)
        for title in ("Satin portrait", "Linen story", "Small square", "Gown banner")
    ]
    assert [row["score"] for row in reply["data"]["ranking"]] == [100, 89, 65, 81]
    assert reply["content"].startswith("Top assets: Satin portrait (100/100, best for Instagram")


def test_coverage_gaps_name_the_hero_samples(known, owner):
    reply = ask(owner, "any coverage gaps?", "media")

    assert (reply["intent"], reply["severity"]) == ("coverage_gaps", "critical")
    assert reply["content"] == (
        "Yes: 1 hero piece without an approved asset: Silk Gown. 1 channel with no approved "
        "asset "
        "that fits: Web hero banner (16:9, at least 1920 px wide)."
    )
    gaps = reply["data"]["coverageGaps"]
    assert [gap["sampleId"] for gap in gaps["heroSamples"]] == [known.sample_id("Silk Gown")]
    assert gaps["heroSamples"][0]["candidateAssetId"] == known.asset_id("Gown banner")
    assert reply["actions"][1]["target"] == f"sample-tracker:{known.sample_id('Silk Gown')}"


def test_assets_that_cannot_be_used_are_named_with_why(cast, owner, frozen_clock):
    assets = [
        {"id": "a", "title": "Hero portrait", "status": "approved", "width": 1080, "height": 1350},
        {
            "id": "b",
            "title": "Old campaign still",
            "status": "approved",
            "width": 1080,
            "height": 1350,
            "rightsExpireAt": (NOW - timedelta(days=3)).isoformat(),
        },
        {"id": "c", "title": "Blurry test", "status": "rejected", "width": 800, "height": 800},
    ]

    reply = ask(owner, "which are our best shots?", "media", userContext={"assets": assets})

    assert reply["intent"] == "asset_ranking"
    assert "2 assets can't be used: " in reply["content"]
    assert "Old campaign still (rights expired)" in reply["content"]
    assert "Blurry test (rejected)" in reply["content"]
    assert sorted(reply["data"]["unusable"]) == ["b", "c"]
    assert reply["data"]["unusableCount"] == 2


def test_hero_coverage_gaps_only(known, owner):
    reply = ask(owner, "which hero pieces have no approved shot?", "media")

    assert reply["content"] == "1 hero piece without an approved asset: Silk Gown."


# --- general ---------------------------------------------------------------------------------


def test_recommendations_across_kits(known, owner):
    reply = ask(owner, "what should I do next?", "general")

    assert (reply["intent"], reply["skill"], reply["severity"]) == (
        "recommendations",
        "general",
        "critical",
    )
    assert reply["content"].startswith(
        "Next steps: 1. Chase delayed hero sample Silk Gown with DHL — "
    )
    assert "2. Shoot hero looks will miss its deadline by 30 minutes — " in reply["content"]
    assert [item["code"] for item in reply["data"]["recommendations"]] == [
        "chase_hero_sample",
        "deadline_miss",
        "chase_priority_sample",
    ]
    assert reply["actions"][0] == {
        "label": "Chase delayed hero sample Silk Gown with DHL",
        "target": f"sample-tracker:{known.sample_id('Silk Gown')}",
        "primary": True,
    }
    assert [action["primary"] for action in reply["actions"]] == [True, False, False]


def test_a_greeting_names_the_campaign(known, owner):
    reply = ask(owner, "hi", "general")

    assert reply["intent"] == "greeting"
    assert reply["content"].startswith("Hi! I'm looking at Resort 27.")


# --- across kits -----------------------------------------------------------------------------


def test_a_question_for_another_kit_is_answered_by_that_kits_skill(known, cast, owner):
    reply = ask(owner, "which tasks are late?", "logistics", currentRoute="/sample-tracker")

    assert (reply["intent"], reply["skill"]) == ("at_risk_tasks", "events")
    assert "Shoot hero looks late by 30min" in reply["content"]
    turn = Conversation.objects.get(pk=reply["conversationId"])
    assert (turn.kit_context, turn.skill_used, turn.intent_detected, turn.page_route) == (
        "logistics",
        "events",
        "at_risk_tasks",
        "/sample-tracker",
    )


def test_a_readiness_question_on_the_media_page(known, owner):
    reply = ask(owner, "how many samples are on set?", "media")

    assert (reply["intent"], reply["skill"]) == ("readiness_check", "logistics")
    assert reply["data"]["overallPercentage"] == 38


@pytest.mark.parametrize("kit", ["logistics", "events", "media", "general"])
def test_an_unknown_message_gets_suggestions_not_an_error(known, owner, kit):
    reply = ask(owner, "what's the weather in Paris?", kit)

    assert (reply["intent"], reply["skill"], reply["severity"]) == ("unknown", "general", "info")
    assert reply["content"].startswith("I'm not sure what you're asking.")
    assert reply["followUp"] == list(SUGGESTIONS[kit])
    assert Conversation.objects.get(pk=reply["conversationId"]).intent_detected == "unknown"


# --- where the data comes from ---------------------------------------------------------------


def test_no_campaign_at_all_gets_a_helpful_reply(frozen_clock):
    loner = UserFactory()
    client = client_with_token(access_token_for(loner))

    reply = ask(client, "are we ready?")

    assert reply["intent"] == "readiness_check"
    assert reply["content"].startswith("You don't have a campaign yet.")
    assert reply["actions"] == [
        {"label": "Create a campaign", "target": "campaigns:new", "primary": True}
    ]
    assert reply["campaignId"] is None
    assert Conversation.objects.filter(user=loner).count() == 1


def test_no_campaign_recommendations_get_a_helpful_reply(frozen_clock):
    client = client_with_token(access_token_for(UserFactory()))

    reply = ask(client, "what should I do next?", "general")

    assert reply["intent"] == "recommendations"
    assert reply["content"].startswith("You don't have a campaign yet.")


def test_inline_samples_are_answered_from_the_inline_data(known, owner):
    sample_list = [
        {"id": "a", "name": "Alpha", "status": "on_set"},
        {"id": "b", "name": "Beta", "status": "delayed", "isHero": True},
        {"id": "c", "name": "Gamma", "status": "requested"},
        {"id": "d", "name": "Delta", "status": "requested"},
    ]

    reply = ask(owner, "are we ready?", userContext={"sampleList": sample_list})

    assert reply["content"].startswith("No: Campaign is 25% ready: 1 of 4 samples on set or shot.")
    assert reply["data"]["notReady"] == ["b", "d", "c"]  # hero first, then by name
    assert reply["campaignId"] is None


def test_inline_tasks_are_answered_from_the_inline_data(known, owner):
    tasks = [
        {"id": "x", "title": "Steam", "durationMinutes": 20},
        {"id": "y", "title": "Shoot", "durationMinutes": 40, "dependsOn": ["x"]},
    ]

    reply = ask(owner, "what's on the critical path?", "events", userContext={"tasks": tasks})

    assert reply["content"].startswith("The critical path takes 1h: Steam → Shoot.")
    assert reply["data"]["criticalPath"] == ["x", "y"]


def test_bad_inline_data_is_a_400_naming_the_field(known, owner):
    response = owner.post(
        CHAT,
        {
            "message": "are we ready?",
            "currentKit": "logistics",
            "userContext": {"sampleList": [{"id": "a", "status": "lost"}]},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert list(response.json()["details"]) == ["userContext.sampleList[0].status"]
    assert Conversation.objects.count() == 0


def test_another_users_campaign_is_not_found(known, cast):
    response = cast.client("outsider").post(
        CHAT,
        {
            "message": "are we ready?",
            "currentKit": "logistics",
            "userContext": {"campaignId": str(known.campaign.pk)},
        },
        format="json",
    )

    assert response.status_code == 404
    assert response.json() == {
        "error": "No campaign with this id is visible to you.",
        "code": "NOT_FOUND",
    }
    assert Conversation.objects.count() == 0


def test_a_campaign_id_chooses_the_campaign(known, cast, owner):
    other = CampaignFactory(created_by=cast.owner)
    MemberFactory(campaign=other, user=cast.owner, role=CampaignRole.OWNER)
    sample_create(campaign=other, data={"name": "Only look", "status": "shot"})

    chosen = ask(owner, "are we ready?", userContext={"campaignId": str(known.campaign.pk)})
    recent = ask(owner, "are we ready?")

    assert chosen["data"]["overallPercentage"] == 38
    assert chosen["campaignId"] == str(known.campaign.pk)
    # Without one, the caller's most recently updated campaign.
    assert recent["data"]["overallPercentage"] == 100
    assert recent["campaignId"] == str(other.pk)


def test_a_viewer_is_answered_from_the_campaign(known, cast):
    reply = ask(cast.client("viewer"), "are we ready?")

    assert reply["data"]["overallPercentage"] == 38


# --- suggested follow-up questions -------------------------------------------------------------

SKILL_MODULES = (logistics_skill, events_skill, media_skill, general_skill)
# Where each question a skill suggests must lead, asked right after the answer offering it.
SUGGESTION_INTENTS = {
    "Which samples aren't ready yet?": {"readiness_check"},
    "What's blocking the shoot?": {"blocker_check"},
    "And the hero pieces?": {"blocker_check"},  # offered after a blocker check: its heroes
    "How should we batch the shoot?": {"batching_plan"},
    "Are we ready?": {"readiness_check"},
    "What is delayed?": {"blocker_check"},
    "What else is delayed?": {"blocker_check"},
    "What should I do next?": {"recommendations"},
    "What's on the critical path?": {"critical_path"},
    "Which tasks are at risk?": {"at_risk_tasks"},
    "Which tasks are late?": {"at_risk_tasks"},
    "Is anyone double-booked?": {"conflict_check"},
    "What's the schedule?": {"schedule_overview"},
    "Which hero pieces have no approved shot?": {"coverage_gaps"},
    "What works best for Instagram stories?": {"channel_fit", "asset_ranking"},
    "What works best for Instagram?": {"channel_fit", "asset_ranking"},
    "What works best for TikTok?": {"channel_fit", "asset_ranking"},
    "Which are our best shots?": {"asset_ranking"},
    "Is the schedule tight?": {"schedule_slack"},
    "Any usage rights expiring soon?": {"rights_check"},
}


def _offered() -> list[tuple[str, str, str]]:
    """(page, intent answered, question suggested) for every fixed suggestion of every skill;
    the general skill's suggestions are offered on every page."""
    offered = []
    for module in SKILL_MODULES:
        for intent, questions in module.SUGGESTED.items():
            kit = INTENTS_BY_NAME[intent].kit
            pages = KITS if kit == "general" else (kit,)
            offered += [(page, intent, q) for page in pages for q in questions]
    return offered


@pytest.mark.parametrize(("page", "offered_after", "question"), _offered())
def test_every_suggested_question_leads_to_an_answer_that_fits(page, offered_after, question):
    kit = INTENTS_BY_NAME[offered_after].kit

    match = detect_intent(question, current_kit=page, previous=PreviousTurn(offered_after, kit))

    assert match.intent != "unknown"
    assert match.intent in SUGGESTION_INTENTS[question], (question, match)


def test_the_skills_suggest_only_registered_questions(known, owner):
    """Every followUp the answers below carry is one the skills registered (so the test
    above checked it), or a "Where is the <sample>?" with one of the campaign's names."""
    questions = [
        ("are we ready?", "logistics"),
        ("are the hero pieces ready?", "logistics"),
        ("what's delayed?", "logistics"),
        ("how should we batch the shoot?", "logistics"),
        ("where is the velvet blazer?", "logistics"),
        ("where is the wool jumper?", "logistics"),
        ("has paris arrived?", "logistics"),
        ("what's the schedule?", "events"),
        ("what's on the critical path?", "events"),
        ("which tasks are at risk?", "events"),
        ("is anyone double-booked?", "events"),
        ("which are our best shots?", "media"),
        ("any coverage gaps?", "media"),
        ("which shots work for instagram?", "media"),
        ("which assets fit which channels?", "media"),
        ("any usage rights expiring soon?", "media"),
        ("who is doing the light test?", "events"),
        ("what is ben doing?", "events"),
        ("who is doing the catering?", "events"),
        ("is the schedule tight?", "events"),
        ("what should I do next?", "general"),
        ("hi", "general"),
        ("help", "events"),
        ("tell me a joke", "media"),
    ]
    registered = {
        (intent, q)
        for module in SKILL_MODULES
        for intent, qs in module.SUGGESTED.items()
        for q in qs
    }
    names = set(known.samples)
    titles = set(known.tasks)
    seen = set()

    for message, kit in questions:
        reply = ask(owner, message, kit)
        seen.add(reply["intent"])
        for question in reply["followUp"]:
            assert (
                (reply["intent"], question) in registered
                or (reply["intent"] == "clarify" and question in OPTION_QUESTIONS)
                or (
                    reply["intent"] == "sample_lookup"
                    and question.startswith("Where is the ")
                    and question.removeprefix("Where is the ").removesuffix("?") in names
                )
                or (
                    reply["intent"] == "task_lookup"
                    and question.startswith("Who is doing ")
                    and question.removeprefix("Who is doing ").removesuffix("?") in titles
                )
            ), (message, question)
    assert seen - {"clarify"} == {intent.name for intent in INTENTS}


def test_a_named_person_narrows_the_events_answer_and_gets_a_yes_or_no(known, owner):
    booked = ask(owner, "is ben double booked?", "events")
    ana = ask(owner, "is ana running late?", "events")

    assert booked["intent"] == "task_lookup"
    assert booked["content"].startswith("Yes: Ben Okafor has 2 open tasks: ")
    assert (
        "Ben Okafor is double-booked on Fitting with talent and Press interview"
        in (booked["content"])
    )
    assert booked["data"]["assignee"] == "Ben Okafor"
    assert ana["content"].startswith("No: Ana Ruiz has 1 open task: ")
    assert "Build set" not in ana["content"]  # only her tasks


def test_a_named_task_narrows_the_events_answer(known, owner):
    reply = ask(owner, "will the light test finish on time?", "events")

    assert reply["intent"] == "task_lookup"
    assert reply["content"].startswith("Yes: Light test finishes ")
    assert reply["data"]["tasks"][0]["id"] == known.task_id("Light test")
