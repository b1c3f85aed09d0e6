"""Decide which intent a chat message expresses, which kit answers it, and what it names.

The score of an intent is the sum of:
- the weights of its keywords found in the message (typos corrected first, at a discount),
- a bonus when the message resembles one of its example phrases (rapidfuzz),
- the weights of its patterns that match (shapes a phrase cannot say),
- a bonus when an entity it needs is present (a named sample, a channel),
- and, only once the intent has ``MIN_EVIDENCE`` of its own, the cue nouns of its kit
  ("tasks", "samples", "photos") and a prior for the kit of the page the user is on: they
  choose between intents that have evidence, never make one out of a stray "where is". The
  page prior is left out when the message names only another kit's nouns ("any deliveries
  running late?" asked on the events page is about samples).
A keyword inside a longer keyword of another intent does not count ("on track" is not
"track"). Scores become a 0..1 confidence; below ``MIN_CONFIDENCE`` the answer is
``unknown``.

A short message that refers back ("which ones?", "and for instagram?") keeps the previous
turn's intent, and the filters of the previous message, unless it carries a strong intent of
its own. With nothing to refer back to, a refinement that names pieces ("and the hero
pieces?") asks about those pieces (``NO_CONTEXT_FOLLOW_UPS``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, fields, replace

from rapidfuzz import fuzz, process

from .definitions import (
    CATEGORY_TERMS,
    CHANNEL_ALIASES,
    FOLLOW_UP_CUES,
    FOLLOW_UP_KITS,
    FOLLOW_UP_MARKERS,
    FOLLOW_UP_MAX_TOKENS,
    FOLLOW_UP_ORDER,
    GENERIC_QUERY_WORDS,
    HERO_TERMS,
    INTENTS,
    INTENTS_BY_NAME,
    KIT_CUE_CAP,
    KIT_CUES,
    KITS,
    NAME_REQUEST_TERMS,
    NO_CONTEXT_FOLLOW_UPS,
    NO_CONTEXT_INTENTS,
    SAMPLE_NOUNS,
    SAMPLE_QUERY_PATTERNS,
    SAMPLE_QUERY_TRIM_END,
    SAMPLE_QUERY_TRIM_START,
    TIMEFRAMES,
    VAGUE_SAMPLE_QUERY_PATTERNS,
)
from .matching import Analysis, PhraseIndex, analyse
from .normalize import STOPWORDS, stem, tokenize

UNKNOWN = "unknown"

KIT_PRIOR = 1.0
EXAMPLE_WEIGHT = 1.5
EXAMPLE_MIN_SIMILARITY = 70.0
MAX_EXAMPLE_TOKENS = 24
CONFIDENCE_SCALE = 3.0
MIN_CONFIDENCE = 0.4
# Evidence of its own (keywords, examples, patterns, entities) an intent needs before the
# page prior and the kit's cue nouns are added.
MIN_EVIDENCE = 1.5
# Keyword weight of its own from which a short message is a new question, not a follow-up.
FOLLOW_UP_OVERRIDE = 2.0
FOLLOW_UP_CONFIDENCE = 0.75
NO_CONTEXT_CONFIDENCE = 0.6
MAX_LABEL_CHARS = 200
MAX_ALTERNATIVES = 3
# Entities that are a question's own evidence, not a refinement (a named sample).
_OWN_SLOTS = frozenset({"sample_query"})
# Filters a follow-up inherits from the previous message when it does not set them itself.
_INHERITED_SLOTS = ("channel", "hero_only", "timeframe", "category")


@dataclass(frozen=True, slots=True)
class FollowUp:
    """How a message refines the previous turn: ``list_items``, ``filter_hero``,
    ``category``, ``timeframe``, ``details`` or ``channel``."""

    kind: str


@dataclass(frozen=True, slots=True)
class Entities:
    """What the message names. ``sample_query`` is the sample as typed (typos kept);
    ``channel`` is one of the keys of ``CHANNEL_ALIASES``; ``timeframe`` one of
    ``TIMEFRAMES``; ``category`` one of ``CATEGORY_TERMS``."""

    sample_query: str | None = None
    channel: str | None = None
    hero_only: bool = False
    timeframe: str | None = None
    names_requested: bool = False
    category: str | None = None


@dataclass(frozen=True, slots=True)
class PreviousTurn:
    """The session's previous answered turn; ``message`` lets a follow-up keep its filters."""

    intent: str
    kit: str
    message: str | None = None


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """``score`` is the confidence in ``intent`` (for ``unknown``: that nothing fits);
    ``alternatives`` are the runner-up intents with their confidence, best first;
    ``message`` the message as asked (the skills find in it the campaign's own names, which
    only they know)."""

    intent: str
    kit: str
    score: float
    follow_up: FollowUp | None
    entities: Entities
    alternatives: tuple[tuple[str, float], ...]
    message: str = ""


# ---- tables built once, at import -------------------------------------------------------

_KEYWORDS = PhraseIndex(
    (term, (intent.name, weight)) for intent in INTENTS for term, weight in intent.keywords.items()
)
_KIT_CUES = PhraseIndex(
    (term, (kit, weight)) for kit, cues in KIT_CUES.items() for term, weight in cues.items()
)
_CHANNELS = PhraseIndex(
    (alias, channel) for channel, aliases in CHANNEL_ALIASES.items() for alias in aliases
)
_TIMEFRAMES = PhraseIndex((term, name) for name, terms in TIMEFRAMES.items() for term in terms)
_HERO = PhraseIndex((term, True) for term in HERO_TERMS)
_CATEGORIES = PhraseIndex(
    (term, category) for category, terms in CATEGORY_TERMS.items() for term in terms
)
_SAMPLE_NOUNS = frozenset(stem(word) for noun in SAMPLE_NOUNS for word in tokenize(noun))
_PATTERNS = tuple(
    (intent.name, re.compile(pattern), weight)
    for intent in INTENTS
    for pattern, weight in intent.patterns.items()
)
_NAME_REQUESTS = PhraseIndex((term, True) for term in NAME_REQUEST_TERMS)
_FOLLOW_UP_CUES = PhraseIndex(
    (term, kind) for kind, terms in FOLLOW_UP_CUES.items() for term in terms
)
_MARKERS = tuple(tuple(tokenize(marker)) for marker in FOLLOW_UP_MARKERS)
# (pattern, whether what it names must look like a sample), tried in this order.
_SAMPLE_QUERY_PATTERNS = tuple(
    [(re.compile(pattern), False) for pattern in SAMPLE_QUERY_PATTERNS]
    + [(re.compile(pattern), True) for pattern in VAGUE_SAMPLE_QUERY_PATTERNS]
)
# A "sample name" made only of these is a question, not a name ("where are the samples").
_NOT_A_NAME = _KEYWORDS.single_words() | {stem(w) for w in GENERIC_QUERY_WORDS | STOPWORDS}
_ORDER = {intent.name: position for position, intent in enumerate(INTENTS)}


def _content(stems: list[str], tokens: list[str]) -> str:
    """The stems of the words that are not stopwords, as one string."""
    return " ".join(s for s, t in zip(stems, tokens, strict=False) if t not in STOPWORDS)


def _example_text(phrase: str) -> str:
    tokens = tokenize(phrase)
    return _content([stem(token) for token in tokens], tokens)


_EXAMPLE_INTENTS = [intent.name for intent in INTENTS for _ in intent.examples]
_EXAMPLE_TEXTS = [_example_text(example) for intent in INTENTS for example in intent.examples]


# ---- entities and follow-ups --------------------------------------------------------------


def _sample_query(analysis: Analysis) -> str | None:
    """The sample named after "where is", "status of", "has ... arrived" and the like, as
    typed. The patterns are tried on the words as typed, then with typos corrected."""
    for words in dict.fromkeys((tuple(analysis.raw), tuple(analysis.tokens))):
        positions = _sample_query_positions(list(words), analysis.stems)
        if positions:
            return " ".join(analysis.raw[i] for i in positions)
    return None


def _sample_query_positions(words: list[str], stems: list[str]) -> list[int] | None:
    text = " ".join(words)
    offsets, position = [], 0
    for word in words:
        offsets.append(position)
        position += len(word) + 1
    for pattern, vague in _SAMPLE_QUERY_PATTERNS:
        for match in pattern.finditer(text):
            first = bisect_right(offsets, match.start("q")) - 1
            query = list(range(first, bisect_right(offsets, match.end("q") - 1)))
            while query and words[query[0]] in SAMPLE_QUERY_TRIM_START:
                query.pop(0)
            while query and words[query[-1]] in SAMPLE_QUERY_TRIM_END:
                query.pop()
            if not any(stems[i] not in _NOT_A_NAME for i in query):
                continue
            if vague and not any(stems[i] in _SAMPLE_NOUNS or words[i].isdigit() for i in query):
                continue
            return query
    return None


def _entities(analysis: Analysis) -> tuple[Entities, set[int]]:
    """The entities of the message, and the positions of the words that named them."""
    channel, channel_words = _CHANNELS.first(analysis.stems)
    timeframe, timeframe_words = _TIMEFRAMES.first(analysis.stems)
    category, category_words = _CATEGORIES.first(analysis.stems)
    # "web hero" is a channel, not a hero piece.
    hero_words = {
        i for hit in _HERO.find(analysis.stems) for i in hit.span if i not in channel_words
    }
    entities = Entities(
        sample_query=_sample_query(analysis),
        channel=channel.values[0] if channel else None,
        hero_only=bool(hero_words),
        timeframe=timeframe.values[0] if timeframe else None,
        names_requested=bool(_NAME_REQUESTS.find(analysis.stems)),
        category=category.values[0] if category else None,
    )
    return entities, channel_words | timeframe_words | hero_words | category_words


def _follow_up(analysis: Analysis, entities: Entities) -> tuple[str | None, set[int]]:
    """The follow-up kind of a short message (None for a long one), and its cue words."""
    opens_with_marker = any(tuple(analysis.tokens[: len(m)]) == m for m in _MARKERS)
    if len(analysis.tokens) > FOLLOW_UP_MAX_TOKENS + (4 if opens_with_marker else 0):
        return None, set()
    kinds = {
        "channel": entities.channel is not None,
        "filter_hero": entities.hero_only,
        "timeframe": entities.timeframe is not None,
        "category": entities.category is not None,
    }
    cue_words: set[int] = set()
    for hit in _FOLLOW_UP_CUES.find(analysis.stems):
        kinds[hit.values[0]] = True
        cue_words.update(hit.span)
    return next((kind for kind in FOLLOW_UP_ORDER if kinds.get(kind)), None), cue_words


def _continues(previous: PreviousTurn, kind: str) -> bool:
    """Whether a follow-up of ``kind`` can refine the previous turn."""
    if previous.intent not in INTENTS_BY_NAME:
        return False
    kit = INTENTS_BY_NAME[previous.intent].kit
    return previous.intent not in NO_CONTEXT_INTENTS and kit in FOLLOW_UP_KITS.get(kind, KITS)


# ---- scores ------------------------------------------------------------------------------


def _keyword_scores(analysis: Analysis, masked: Collection[int] = ()) -> dict[str, float]:
    """Sum of keyword weights per intent. A word counts once per intent, in the longest
    phrase that holds it; a repeated phrase counts once."""
    stems = ["" if i in masked else s for i, s in enumerate(analysis.stems)]
    scores: dict[str, float] = defaultdict(float)
    used: dict[str, set[int]] = defaultdict(set)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for hit in _KEYWORDS.outermost(stems):
        trust = min(analysis.trust[i] for i in hit.span)
        for intent, weight in hit.values:
            if (intent, hit.key) in seen or not used[intent].isdisjoint(hit.span):
                continue
            seen.add((intent, hit.key))
            used[intent].update(hit.span)
            scores[intent] += weight * trust
    return scores


def _pattern_scores(analysis: Analysis) -> dict[str, float]:
    """Per intent, the weights of its patterns that match the words as typed or corrected."""
    scores: dict[str, float] = defaultdict(float)
    texts = {" ".join(analysis.raw), " ".join(analysis.tokens)}
    for intent, pattern, weight in _PATTERNS:
        if any(pattern.search(text) for text in texts):
            scores[intent] += weight
    return scores


def _slot_scores(entities: Entities, slots: Collection[str] | None = None) -> dict[str, float]:
    """Per intent, the boosts of the entities present (of ``slots`` only, when given)."""
    present = {
        f.name
        for f in fields(Entities)
        if getattr(entities, f.name) and (slots is None or f.name in slots)
    }
    return {
        intent.name: sum(w for slot, w in intent.slot_boosts.items() if slot in present)
        for intent in INTENTS
        if intent.slot_boosts
    }


def _kit_cue_scores(analysis: Analysis) -> dict[str, float]:
    scores: dict[str, float] = defaultdict(float)
    for hit in _KIT_CUES.find(analysis.stems):
        for kit, weight in hit.values:
            scores[kit] += weight
    return {kit: min(score, KIT_CUE_CAP) for kit, score in scores.items()}


def _example_scores(analysis: Analysis) -> dict[str, float]:
    """Per intent, a bonus for the example phrase the message is closest to (word order
    ignored, typos tolerated)."""
    content = _content(analysis.stems[:MAX_EXAMPLE_TOKENS], analysis.tokens)
    scores: dict[str, float] = {}
    if not content:
        return scores
    for _, similarity, index in process.extract(
        content,
        _EXAMPLE_TEXTS,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=EXAMPLE_MIN_SIMILARITY,
        limit=None,
    ):
        bonus = (similarity - EXAMPLE_MIN_SIMILARITY) / (100.0 - EXAMPLE_MIN_SIMILARITY)
        intent = _EXAMPLE_INTENTS[index]
        scores[intent] = max(scores.get(intent, 0.0), EXAMPLE_WEIGHT * bonus)
    return scores


def _scores(analysis: Analysis, entities: Entities, current_kit: str) -> dict[str, float]:
    parts = (
        _keyword_scores(analysis),
        _example_scores(analysis),
        _pattern_scores(analysis),
        _slot_scores(entities),
    )
    kit_cues = _kit_cue_scores(analysis)
    # Nouns of other kits and none of the page's: the message is about another kit's things.
    prior = 0.0 if kit_cues and current_kit not in kit_cues else KIT_PRIOR
    scores = {}
    for intent in INTENTS:
        score = sum(part.get(intent.name, 0.0) for part in parts)
        if score >= MIN_EVIDENCE and intent.name != UNKNOWN:
            score += kit_cues.get(intent.kit, 0.0)
            score += prior if intent.kit == current_kit else 0.0
        scores[intent.name] = score
    return scores


def _confidence(score: float) -> float:
    return round(1.0 - math.exp(-score / CONFIDENCE_SCALE), 3)


def _ranked(scores: dict[str, float], current_kit: str) -> list[tuple[str, float]]:
    """Intents with any evidence, best first; a tie goes to the current kit, then to the
    intent defined first (its kit's overview)."""
    names = sorted(
        (name for name, score in scores.items() if score > 0),
        key=lambda name: (
            -round(scores[name], 6),
            INTENTS_BY_NAME[name].kit != current_kit,
            _ORDER[name],
        ),
    )
    return [(name, _confidence(scores[name])) for name in names]


# ---- the public API ----------------------------------------------------------------------


def detect_intent(
    message: str, *, current_kit: str, previous: PreviousTurn | None = None
) -> IntentMatch:
    """Return the intent of ``message`` asked on the ``current_kit`` page (see
    ``_detect``), with the message itself."""
    return replace(_detect(message, current_kit, previous), message=message)


def _detect(message: str, current_kit: str, previous: PreviousTurn | None) -> IntentMatch:
    """The intent of ``message`` asked on the ``current_kit`` page.

    Never raises on odd text: empty, off-topic or unreadable messages give ``unknown``
    (kit ``general``). ``previous`` is the session's previous turn: a short follow-up
    ("which ones?") without a strong intent of its own keeps that turn's intent and kit,
    and the filters (hero, category, timeframe, channel) of its message it does not
    replace, and says, in ``follow_up``, how it refines it. An unknown ``current_kit``
    gives no prior.
    """
    analysis = analyse(message)
    entities, slot_words = _entities(analysis)
    if not analysis.tokens:
        return IntentMatch(UNKNOWN, "general", 0.0, None, entities, ())
    scores = _scores(analysis, entities, current_kit)
    ranked = _ranked(scores, current_kit)

    kind, cue_words = _follow_up(analysis, entities)
    if kind and previous is not None and _continues(previous, kind):
        own = _keyword_scores(analysis, masked=slot_words | cue_words)
        for name, boost in _slot_scores(entities, _OWN_SLOTS).items():
            own[name] += boost
        if max(own.values(), default=0.0) < FOLLOW_UP_OVERRIDE:
            if kind == "list_items":
                entities = replace(entities, names_requested=True)
            alternatives = [item for item in ranked if item[0] != previous.intent]
            return IntentMatch(
                intent=previous.intent,
                kit=INTENTS_BY_NAME[previous.intent].kit,
                score=FOLLOW_UP_CONFIDENCE,
                follow_up=FollowUp(kind),
                entities=_inherit(entities, previous),
                alternatives=tuple(alternatives[:MAX_ALTERNATIVES]),
            )

    best, confidence = ranked[0] if ranked else (UNKNOWN, 0.0)
    if best == UNKNOWN or confidence < MIN_CONFIDENCE:
        alternatives = [item for item in ranked if item[0] != UNKNOWN]
        default = NO_CONTEXT_FOLLOW_UPS.get(kind or "", {})
        intent = default.get(current_kit, default.get("*"))
        if intent is not None and scores[UNKNOWN] == 0:
            return IntentMatch(
                intent=intent,
                kit=INTENTS_BY_NAME[intent].kit,
                score=NO_CONTEXT_CONFIDENCE,
                follow_up=None,
                entities=entities,
                alternatives=tuple(alternatives[:MAX_ALTERNATIVES]),
            )
        return IntentMatch(
            intent=UNKNOWN,
            kit="general",
            score=confidence if best == UNKNOWN else round(1.0 - confidence, 3),
            follow_up=None,
            entities=entities,
            alternatives=tuple(alternatives[:MAX_ALTERNATIVES]),
        )
    return IntentMatch(
        intent=best,
        kit=INTENTS_BY_NAME[best].kit,
        score=confidence,
        follow_up=None,
        entities=entities,
        alternatives=tuple(ranked[1 : 1 + MAX_ALTERNATIVES]),
    )


def category_of(text: str) -> str | None:
    """The garment category (a key of ``CATEGORY_TERMS``) that ``text`` names first, if any:
    "the knitwear" -> "knitwear", "Shoes" -> "footwear". No typo correction: it reads labels."""
    hit, _ = _CATEGORIES.first([stem(word) for word in tokenize(text[:MAX_LABEL_CHARS])])
    return hit.values[0] if hit else None


def _inherit(entities: Entities, previous: PreviousTurn) -> Entities:
    """``entities`` with the filters of the previous message that this one leaves unset."""
    if not previous.message:
        return entities
    before, _ = _entities(analyse(previous.message))
    kept = {
        slot: getattr(before, slot)
        for slot in _INHERITED_SLOTS
        if getattr(before, slot) and not getattr(entities, slot)
    }
    return replace(entities, **kept) if kept else entities
