"""Yes/no questions: whether a message asks one ("is the schedule tight?", "do we have enough
for tiktok", "any rights expiring?"), so the answer opens with "Yes" or "No" before the
figures that back it.

Which way round depends on what is asked about: "are we ready?" is answered yes when nothing
is wrong, "is anything blocking us?" yes when something is. A question that names a problem
(PROBLEM_WORDS: late, blocking, gaps, tight, expiring, double-booked, ...) asks whether there
is one; any other asks whether all is well. Each skill says whether its analyzer found the
problem it answers about; `opening` turns that into the right word.
"""

from __future__ import annotations

from assistant.intents.normalize import stem, tokenize, word_list

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


# Stems of the words that make a yes/no question ask about a problem.
PROBLEM_WORDS: frozenset[str] = frozenset(
    stem(word)
    for word in word_list(
        "late delay delayed block blocking blocker blockers miss missing gap gaps risk behind "
        "conflict conflicts clash clashes overlap double stuck problem problems issue issues "
        "expire expiring expired tight slip slipping overdue wrong hold holding short lacking "
        "without uncovered lapse lapsing overbooked booked twice trouble"
    )
)


def asks_about_problem(message: str) -> bool:
    """Whether the question names a problem ("any blockers?") rather than asking whether all
    is well ("are we ready?")."""
    return any(stem(token) in PROBLEM_WORDS for token in tokenize(message))


def opening(message: str, *, problem: bool) -> str:
    """ "Yes: " or "No: " to open the answer to a yes/no question, given whether the analyzer
    found the problem the answer is about; "" when the message asks no yes/no question."""
    if not asks_yes_no(message):
        return ""
    return f"{yes_no(problem if asks_about_problem(message) else not problem)}: "


def led(lead: str, text: str) -> str:
    """`text` after the yes/no `lead`, or capitalised to open the answer when there is none."""
    return lead + text if lead else text[:1].upper() + text[1:]
