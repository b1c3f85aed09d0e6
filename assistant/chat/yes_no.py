"""Yes/no questions: whether a message asks one ("is the schedule tight?", "do we have enough
for tiktok", "any rights expiring?"), so the answer opens with "Yes" or "No" before the
figures that back it."""

from __future__ import annotations

from assistant.intents.normalize import tokenize, word_list

# Words a yes/no question opens with (after any of LEAD_INS): an auxiliary verb, or "any"
# ("any clashes?" asks whether there are some).
OPENERS: frozenset[str] = frozenset(
    word_list(
        "is are am was were isn aren do does did don doesn can could cant will would wont should "
        "shall has have had hasn haven must may might any anything anyone anybody"
    )
)
# Words said before the question proper: "so, are we ready?", "ok and is it tight".
LEAD_INS: frozenset[str] = frozenset(
    word_list("so ok okay and but hey hi right well quick question just also then")
)


def asks_yes_no(message: str) -> bool:
    """Whether `message` asks a yes/no question (its first word past any lead-in is an
    auxiliary verb or "any"). "Which tasks are late?" and "what about the tote" do not."""
    for token in tokenize(message):
        if token in LEAD_INS:
            continue
        return token in OPENERS
    return False


def yes_no(answer: bool) -> str:
    """The word that opens the answer: "Yes" or "No"."""
    return "Yes" if answer else "No"
