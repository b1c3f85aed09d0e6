"""The general skill: greetings, help, next-step recommendations across every kit, and a
helpful answer when the question is not one we understand."""

from __future__ import annotations

from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import LIST_LIMIT, Action, Reply, severity_of
from assistant.intents import IntentMatch
from assistant.recommendations import recommendations_word
from logistics.analysis.recommendations import recommend

SKILL = "general"
TOP = 3

SUGGESTIONS = {
    "logistics": ("Are we ready?", "What is delayed?", "How should we batch the shoot?"),
    "events": ("What's the schedule?", "Which tasks are at risk?", "Is anyone double-booked?"),
    "media": (
        "Which are our best shots?",
        "Which hero pieces have no approved shot?",
        "What works best for Instagram?",
    ),
    "general": ("Are we ready?", "Which tasks are late?", "What should I do next?"),
}
# Every question an answer of this skill may suggest, by intent (checked by the tests).
SUGGESTED: dict[str, tuple[str, ...]] = dict.fromkeys(
    ("greeting", "help", "recommendations", "unknown"),
    tuple(dict.fromkeys(q for questions in SUGGESTIONS.values() for q in questions)),
)

CAPABILITIES = (
    "Logistics: readiness, delayed samples and blockers, the batching plan, where a sample is. "
    "Events: the schedule, the critical path, tasks at risk, double-bookings. "
    "Media: the best assets, coverage gaps, which assets fit each channel. "
    "And: what to do next, across all of it."
)


def _suggestions(kit: str) -> tuple[str, ...]:
    return SUGGESTIONS.get(kit, SUGGESTIONS["general"])


def greeting(ctx: AnalysisInput, match: IntentMatch, kit: str) -> Reply:
    if ctx.campaign is not None:
        intro = f"Hi! I'm looking at {ctx.campaign.name}."
    elif ctx.inline:
        intro = "Hi! I'm looking at the data on this page."
    else:
        intro = "Hi!"
    return Reply(
        content=f"{intro} Ask me about readiness, the schedule or your best shots.",
        intent="greeting",
        skill=SKILL,
        follow_up=_suggestions(kit),
    )


def help_reply(ctx: AnalysisInput, match: IntentMatch, kit: str) -> Reply:
    return Reply(
        content=f"I answer from your campaign's live data. {CAPABILITIES}",
        intent="help",
        skill=SKILL,
        follow_up=_suggestions(kit),
    )


def recommendations(ctx: AnalysisInput, match: IntentMatch, kit: str) -> Reply:
    if not ctx.has_data:
        return _no_campaign("recommendations", kit)
    found = recommendations_word(
        recommend(
            samples=ctx.samples,
            tasks=ctx.tasks,
            assets=ctx.assets,
            now=ctx.now,
            shoot_date=ctx.shoot_date,
        )
    )
    if not found:
        return Reply(
            content="Nothing needs your attention right now: samples, schedule and media are "
            "on track.",
            intent="recommendations",
            skill=SKILL,
            severity="success",
            follow_up=_suggestions(kit),
        )
    shown = found[: LIST_LIMIT if match.entities.names_requested else TOP]
    content = "Next steps: " + " ".join(
        f"{index}. {item.title} — {item.reason}" for index, item in enumerate(shown, start=1)
    )
    if len(found) > len(shown):
        content += f" ({len(found) - len(shown)} more.)"
    return Reply(
        content=content,
        intent="recommendations",
        skill=SKILL,
        severity=severity_of(found[0].severity),
        actions=tuple(
            Action(item.title, item.target, index == 0) for index, item in enumerate(shown)
        ),
        follow_up=_suggestions(kit),
        data={"recommendations": [item.to_dict() for item in shown]},
    )


def unknown(ctx: AnalysisInput, match: IntentMatch, kit: str) -> Reply:
    return Reply(
        content="I'm not sure what you're asking. I can help with samples, the shoot schedule "
        "and media — try one of these questions.",
        intent="unknown",
        skill=SKILL,
        follow_up=_suggestions(kit),
    )


def _no_campaign(intent: str, kit: str) -> Reply:
    return Reply(
        content="You don't have a campaign yet. Create one, or open a campaign you're a member "
        "of, and ask again.",
        intent=intent,
        skill=SKILL,
        actions=(Action("Create a campaign", "campaigns:new", True),),
        follow_up=_suggestions(kit),
    )


def no_campaign(intent: str, kit: str) -> Reply:
    """The answer to any data question when the caller has no campaign and sent no data."""
    return _no_campaign(intent, kit)


HANDLERS = {
    "greeting": greeting,
    "help": help_reply,
    "recommendations": recommendations,
    "unknown": unknown,
}
