"""How a follow-up to the previous turn is recognised."""

from __future__ import annotations

# Follow-up kinds found from cue phrases; filter_hero, category, timeframe and channel come
# from the entities. When several are present the first kind in this order is reported.
FOLLOW_UP_ORDER: tuple[str, ...] = (
    "channel",
    "filter_hero",
    "category",
    "timeframe",
    "list_items",
    "details",
)
FOLLOW_UP_CUES: dict[str, tuple[str, ...]] = {
    "list_items": (
        "which",
        "who",
        "show me",
        "names",
        "list them",
        "name them",
        "what are they",
        "show them",
        "which one",
        "whose",
    ),
    "details": (
        "why",
        "how come",
        "how so",
        "more",
        "tell me more",
        "more details",
        "details",
        "detail",
        "explain",
        "elaborate",
        "what else",
        "go on",
        "information",
    ),
}
# Openings that tie a short message to the previous turn ("and ...", "what about ...").
FOLLOW_UP_MARKERS: tuple[str, ...] = (
    "and",
    "what about",
    "how about",
    "only",
    "just",
    "also",
    "but",
    "then",
    "so",
    "ok",
    "okay",
)
FOLLOW_UP_MAX_TOKENS = 6
# Kinds that only make sense after certain kits: a channel question after a logistics answer
# is a new media question, not a follow-up.
FOLLOW_UP_KITS: dict[str, tuple[str, ...]] = {"channel": ("media",), "category": ("logistics",)}
# Previous turns that carry nothing to follow up on.
NO_CONTEXT_INTENTS: frozenset[str] = frozenset({"greeting", "unknown"})
# A refinement with nothing to refine ("and the hero pieces?" as the first message) still
# asks about the pieces it names: kind -> page kit -> intent ("*": any other page).
NO_CONTEXT_FOLLOW_UPS: dict[str, dict[str, str]] = {
    "filter_hero": {"media": "coverage_gaps", "*": "readiness_check"},
    "category": {"*": "readiness_check"},
}
