"""What the logistics answers share: the skill's name, the questions they suggest, how a
sample is named in an answer (its status in words, "(hero)", its ETA against now), and the
reply to a campaign with no samples. Used by `logistics` (readiness, blockers, batching) and
`sample_lookup`."""

from __future__ import annotations

from datetime import datetime

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import Action, Reply
from assistant.intents import IntentMatch
from assistant.intents.normalize import stem, tokenize
from assistant.wording import format_minutes
from logistics.analysis.inputs import READY_STATUSES, SampleInput

SKILL = "logistics"

STATUS_WORDS = {
    "requested": "requested, not yet shipped",
    "in_transit": "in transit",
    "delayed": "delayed",
    "arrived": "arrived, not yet on set",
    "on_set": "on set",
    "shot": "shot",
    "returned": "returned",
}

# "Which samples are missing?" read as a new question is about the delayed ones; after a
# readiness answer the user wants the list behind the percentage, so that is what we offer.
ASK_NOT_READY = "Which samples aren't ready yet?"
ASK_BLOCKING = "What's blocking the shoot?"
ASK_HEROES = "And the hero pieces?"
ASK_BATCHING = "How should we batch the shoot?"
ASK_READY = "Are we ready?"
ASK_DELAYED = "What is delayed?"
ASK_ELSE_DELAYED = "What else is delayed?"
ASK_NEXT = "What should I do next?"
FOLLOW_UP_READINESS = (ASK_NOT_READY, ASK_BLOCKING)
FOLLOW_UP_BLOCKERS = (ASK_HEROES, ASK_BATCHING)
FOLLOW_UP_BATCHING = (ASK_READY, ASK_DELAYED)
FOLLOW_UP_LOOKUP = (ASK_READY, ASK_ELSE_DELAYED)


# What a yes/no question about one sample asks, by the words in it (stems), and the statuses
# that make the answer yes; a question naming none of them asks whether it has arrived.
STATE_CUES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"ready", "set"}), READY_STATUSES),
    (frozenset({"delay", "late", "stuck"}), frozenset({"delayed"})),
    (frozenset({"shot", "photograph"}), frozenset({"shot"})),
    (frozenset({"ship", "sent", "transit", "way"}), frozenset({"in_transit", "delayed"})),
    (frozenset({"return", "back"}), frozenset({"returned"})),
)
ARRIVED = frozenset({"arrived", "on_set", "shot", "returned"})


def sample_state_holds(message: str, sample: SampleInput) -> bool:
    """The answer to a yes/no question about one sample ("is the gown ready?", "has the tote
    arrived?"), read from its status."""
    words = {stem(token) for token in tokenize(message)}
    for cues, statuses in STATE_CUES:
        if words & cues:
            return sample.status in statuses
    return sample.status in ARRIVED


def sample_label(sample: SampleInput) -> str:
    """The sample's name, with "(hero)" for a hero piece."""
    return f"{sample.name} (hero)" if sample.is_hero else sample.name


def not_ready_line(sample: SampleInput) -> str:
    """ "Silk Gown (hero): in transit"."""
    return f"{sample_label(sample)}: {STATUS_WORDS[sample.status]}"


def eta_words(moment: datetime | None, now: datetime) -> str:
    """ "ETA Tue 04 Mar 09:00 (in 3d)", "ETA was … (2h ago)", or "no ETA"."""
    if moment is None:
        return "no ETA"
    minutes = int((moment - now).total_seconds() // 60)
    when = moment.strftime("%a %d %b %H:%M")
    if minutes >= 0:
        return f"ETA {when} (in {format_minutes(minutes)})"
    return f"ETA was {when} ({format_minutes(-minutes)} ago)"


def asked_for_list(match: IntentMatch) -> bool:
    """Whether the user asked for the names (a list, or the details of the last answer)."""
    return match.entities.names_requested or (
        match.follow_up is not None and match.follow_up.kind in ("list_items", "details")
    )


def no_samples(intent: str, ctx: AnalysisInput) -> Reply:
    """The answer to any logistics question about a campaign with no samples."""
    return Reply(
        content=f"{ctx.campaign_name} has no samples yet, so there is nothing to track.",
        intent=intent,
        skill=SKILL,
        severity="info",
        actions=(Action("Add samples", targets.SAMPLE_TRACKER, True),),
        follow_up=(ASK_NEXT,),
    )
