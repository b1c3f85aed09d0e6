"""Vocabulary classes shared by the kit tables."""

from __future__ import annotations

# Vocabulary classes: families of words that mean one thing, combined into keywords so that a
# new phrasing of a known idea is found without being written out ("haven't shown up" like
# "hasn't arrived"). The tables of each intent add or override single phrases.

# A sample reaching the studio. Said plainly it is readiness ("has the pull landed"); negated
# it is a blocker ("which pieces haven't shown up").
ARRIVAL_TERMS: tuple[str, ...] = (
    "arrived",
    "landed",
    "delivered",
    "received",
    "shown up",
    "turned up",
    "got here",
    "made it",
    "come through",
    "came through",
)
# Said only negated ("not come in"): plainly they are as often about people and times.
ARRIVAL_NEGATED_ONLY: tuple[str, ...] = (
    "come in",
    "came in",
    "show up",
    "turn up",
    "get here",
    "make it",
    "shipped",
    "sent",
    "dropped off",
)
# Putting pieces together to shoot them in one setup.
GROUPING_VERBS: tuple[str, ...] = ("group", "cluster", "bundle", "combine", "lump", "pair up")
NEGATIONS: tuple[str, ...] = ("not", "not yet", "not been", "never", "yet to", "still not")
# A piece getting its pictures taken, as a participle ("not photographed") and as a plain verb
# after a word that says it has not happened ("forgot to shoot").
SHOT_PARTICIPLES: tuple[str, ...] = (
    "shot",
    "photographed",
    "captured",
    "covered",
    "filmed",
    "snapped",
    "on camera",
    "got on camera",
)
SHOOT_VERBS: tuple[str, ...] = ("shoot", "photograph", "capture", "cover", "film", "get")
NOT_DONE_YET: tuple[str, ...] = ("forgot to", "forget to", "yet to", "still have to", "missed")
PICTURE_NOUNS: tuple[str, ...] = (
    "photo",
    "image",
    "picture",
    "shot",
    "asset",
    "visual",
    "frame",
    "coverage",
)
NONE_WORDS: tuple[str, ...] = ("no", "zero", "without", "lacking", "missing", "not a single")
# What decides when the day ends ("what's driving the end of day", "what gates wrap").
DECIDING_VERBS: tuple[str, ...] = ("drive", "determine", "decide", "dictate", "gate", "control")
FINISH_NOUNS: tuple[str, ...] = (
    "end",
    "end of day",
    "end of the day",
    "finish",
    "finish time",
    "end time",
    "wrap",
    "wrap time",
)
DETERMINERS: tuple[str, ...] = ("", "the ", "our ")
# A task that may not move is on the critical path ("which tasks can't slip").
MUST_NOT: tuple[str, ...] = ("can not", "must not", "can not afford to", "should not")
SLIPPING: tuple[str, ...] = ("slip", "move", "be late", "run over", "overrun", "slide")
# Two things in one slot.
SLOT_NOUNS: tuple[str, ...] = ("time", "slot", "hour", "moment", "spot")
BOOKED_VERBS: tuple[str, ...] = ("booked", "scheduled", "assigned", "rostered", "down", "called")
CLASH_NOUNS: tuple[str, ...] = ("conflict", "clash", "collision", "overlap")
