"""What an intent definition is, and the helpers the kit tables share."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IntentDefinition:
    name: str
    kit: str
    examples: tuple[str, ...]
    keywords: dict[str, float]
    # Weight added when an extracted entity is present (a named sample makes a lookup).
    slot_boosts: dict[str, float] = field(default_factory=dict)
    # Regular expressions over the normalised message (typos corrected) and their weights,
    # for shapes a phrase cannot say ("are the hero looks in": a question ending in "in").
    patterns: dict[str, float] = field(default_factory=dict)


# "How are we doing?" asked on a kit's page means that kit's overview intent.
OVERVIEW_KEYWORDS: dict[str, float] = {
    "status": 1.5,
    "overview": 1,
    "update": 1,
    "summary": 1,
    "how are we doing": 1.5,
    "how is it going": 1.5,
    "how are things": 1.5,
    "how are we looking": 1.5,
    "how is it looking": 1.5,
    "where are we at": 1.5,
    "what is going on": 1.5,
}
# "How's the pull looking?", "how are things going": the same, as a shape.
OVERVIEW_PATTERNS: dict[str, float] = {
    r"^how (?:is|are) (?:the|our|we|it|things|everything)\b.*\b(?:looking|going|doing)$": 1.5,
}


def phrases(
    heads: tuple[str, ...], tails: tuple[str, ...], weight: float, joiners: tuple[str, ...] = ("",)
) -> dict[str, float]:
    """Every "<head> <joiner><tail>" phrase of a vocabulary class, at one weight."""
    return {
        f"{head} {joiner}{tail}": weight for head in heads for joiner in joiners for tail in tails
    }
