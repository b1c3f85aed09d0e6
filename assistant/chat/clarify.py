"""Clarifying questions: when the detector cannot choose between two or three intents
(`IntentMatch.clarify`), the reply asks which one is meant, naming each option in plain
words, with one action per option; the session's next message picks one.

The reply's intent is `clarify` (so staff find these turns in the admin) and its
`data.options` lists what was offered; the selector of the previous turn reads them back, so
the answer to "the second one" or "which are late" is the chosen intent, asked with the
entities (sample, category, timeframe, channel) of the question that was clarified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant import targets
from assistant.chat.replies import Action, Reply
from assistant.intents import IntentMatch
from assistant.intents.definitions import INTENTS_BY_NAME
from assistant.intents.normalize import normalize, tokenize

CLARIFY = "clarify"
SKILL = "general"


@dataclass(frozen=True, slots=True)
class Option:
    """How an intent is offered: the words that finish "Do you mean …" and the question the
    action sends back (which, asked alone, is that intent)."""

    words: str
    question: str

    @property
    def label(self) -> str:
        return self.words[0].upper() + self.words[1:]


# Every intent a clarifying question may offer (the general ones but recommendations are
# never offered: `unknown` is for what is off-topic).
OPTIONS: dict[str, Option] = {
    "readiness_check": Option("how ready the samples are", "How ready are the samples?"),
    "blocker_check": Option("which samples are late", "Which samples are late?"),
    "batching_plan": Option("how to batch the shoot", "How should we batch the shoot?"),
    "sample_lookup": Option("where a sample is", "Where is a particular sample?"),
    "schedule_overview": Option("what the schedule is", "What's the schedule?"),
    "critical_path": Option("what the critical path is", "What's the critical path?"),
    "at_risk_tasks": Option("which tasks are at risk", "Which tasks are at risk?"),
    "conflict_check": Option("whether anyone is double-booked", "Is anyone double-booked?"),
    "asset_ranking": Option("which shots are best", "Which are our best shots?"),
    "coverage_gaps": Option(
        "which hero pieces have no approved shot", "Which hero pieces have no approved shot?"
    ),
    "channel_fit": Option("which shots fit each channel", "Which shots fit each channel?"),
    "recommendations": Option("what to do next", "What should I do next?"),
    # Intents of issue 15's answers branch, worded ahead of its merge (an option whose
    # intent the detector does not know is never offered).
    "task_lookup": Option("who is on a particular task", "Who is doing a particular task?"),
    "schedule_slack": Option(
        "how much slack the schedule has", "How much slack does the schedule have?"
    ),
    "rights_check": Option("whose usage rights run out", "Which usage rights expire soon?"),
}

# "the second one", "2", "option 3", "the latter": a pick by position.
_ORDINALS = {
    "first": 0, "1": 0, "1st": 0, "one": 0, "former": 0,
    "second": 1, "2": 1, "2nd": 1, "two": 1,
    "third": 2, "3": 2, "3rd": 2, "three": 2,
}  # fmt: skip
_LAST = frozenset({"last", "latter"})
_PICK = re.compile(
    r"^(?:(?:i mean|i meant|the|option|number|no)\s+)*(?P<which>\w+)"
    r"(?:\s+(?:one|option|question))?(?:\s+please)?$"
)
# A reply this short that names one option's intent among its candidates picks it.
MAX_PICK_TOKENS = 6
# A short reply names an option only when the classifier gives it this much; an off-topic
# reply picks nothing.
MIN_PICK = 0.2
UNKNOWN = "unknown"


def _offerable(intent: str) -> bool:
    return intent in OPTIONS and intent in INTENTS_BY_NAME


def clarify_reply(options: Sequence[str]) -> Reply:
    """Ask which of ``options`` (intent names, best first) is meant, with one action and
    one suggested question per option."""
    offered = [(name, OPTIONS[name]) for name in options if _offerable(name)]
    words = [option.words for _, option in offered]
    asked = words[0] if len(words) == 1 else ", ".join(words[:-1]) + ", or " + words[-1]
    return Reply(
        content=f"Do you mean {asked}?",
        intent=CLARIFY,
        skill=SKILL,
        actions=tuple(
            Action(option.label, targets.ask(name), index == 0, message=option.question)
            for index, (name, option) in enumerate(offered)
        ),
        follow_up=tuple(option.question for _, option in offered),
        data={
            "options": [
                {"intent": name, "label": option.label, "message": option.question}
                for name, option in offered
            ]
        },
    )


def clarify_choice(message: str, options: Sequence[str], match: IntentMatch) -> str | None:
    """The option ``message`` picks after a clarifying question offered ``options``: by
    position ("the second one"), by the option's own question, label or target, or by
    intent ("which are late", detected as ``match``). None when it picks none of them (a
    new question, answered as such)."""
    offered = [name for name in options if _offerable(name)]
    if not offered:
        return None
    text = normalize(message)
    pick = _PICK.match(text)
    if pick:
        which = pick["which"]
        if which in _LAST:
            return offered[-1]
        if which in _ORDINALS:
            # "the third one" of two picks nothing offered.
            return offered[_ORDINALS[which]] if _ORDINALS[which] < len(offered) else None
    for name in offered:
        option = OPTIONS[name]
        said = {normalize(option.question), normalize(option.words), normalize(name)}
        if text in said or message.strip() == targets.ask(name):
            return name
    if match.intent in offered and not match.clarify:
        return match.intent
    if len(tokenize(message)) <= MAX_PICK_TOKENS and match.intent != UNKNOWN:
        named = [name for name, p in match.candidates if name in offered and p >= MIN_PICK]
        if named:
            return named[0]
    return None
