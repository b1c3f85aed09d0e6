"""What intent detection returns: the match of a message (``IntentMatch``), how it refines the
previous turn (``FollowUp``), and that previous turn as the detector reads it (``PreviousTurn``)."""

from __future__ import annotations

from dataclasses import dataclass

from .entity_rules import Entities


@dataclass(frozen=True, slots=True)
class FollowUp:
    """How a message refines the previous turn: ``list_items``, ``filter_hero``,
    ``category``, ``timeframe``, ``details`` or ``channel``."""

    kind: str


@dataclass(frozen=True, slots=True)
class PreviousTurn:
    """The session's previous answered turn; ``message`` lets a follow-up keep its filters.
    ``options`` are the intents a clarifying question offered (its intent is ``clarify``)."""

    intent: str
    kit: str
    message: str | None = None
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """``score`` is the probability of ``intent`` (for a follow-up, a fixed confidence);
    ``candidates`` are the likeliest intents with their probabilities, best first, and
    ``alternatives`` those after ``intent``. ``clarify`` names the 2 or 3 intents to ask
    between when the classifier is unsure (else empty); ``parts`` holds one match per part
    of a two-part question (else empty); ``message`` the message as asked (the skills find
    in it the campaign's own names, which only they know)."""

    intent: str
    kit: str
    score: float
    follow_up: FollowUp | None
    entities: Entities
    alternatives: tuple[tuple[str, float], ...]
    candidates: tuple[tuple[str, float], ...] = ()
    clarify: tuple[str, ...] = ()
    parts: tuple[IntentMatch, ...] = ()
    message: str = ""
