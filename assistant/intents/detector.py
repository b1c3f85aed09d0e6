"""Decide which intent a chat message expresses, which kit answers it, and what it names.

The intent is the trained classifier's (``classifier.py``, learnt from ``data/training/``):
each intent's probability for the message, the page the user is on weighed in by the
calibration. Rules do only what rules are for:
- entities: the sample, channel, timeframe, category and hero pieces a message names (they are
  also features the classifier reads);
- follow-ups: a short message that refers back ("which ones?", "and for instagram?") keeps
  the previous turn's intent, and the filters of the previous message, unless the classifier
  is confident it asks something else on its own. With nothing to refer back to, a refinement
  that names pieces ("and the hero pieces?") asks about those pieces (``NO_CONTEXT_FOLLOW_UPS``).

When the classifier is unsure (its best probability below the threshold fitted on
cross-validated predictions, see ``IntentClassifier.clarify_below``), ``clarify`` holds the 2
or 3 intents to ask between. A two-part question ("are we ready and what's still missing?")
whose halves each get a confident, different intent has both in ``parts``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from dataclasses import replace
from itertools import islice

from .classifier import NEVER_CLARIFIED, IntentClassifier, MessageFeatures, train
from .definitions import (
    FOLLOW_UP_CUES,
    FOLLOW_UP_KITS,
    FOLLOW_UP_MARKERS,
    FOLLOW_UP_MAX_TOKENS,
    FOLLOW_UP_ORDER,
    GENERIC_QUERY_WORDS,
    KITS,
    NO_CONTEXT_FOLLOW_UPS,
    NO_CONTEXT_INTENTS,
)
from .entity_rules import MAX_LABEL_CHARS, Entities, find_entities
from .matches import FollowUp, IntentMatch, PreviousTurn
from .matching import MAX_INPUT_CHARS, Analysis, PhraseIndex, analyse
from .normalize import STOPWORDS, tokenize
from .training import load_examples

UNKNOWN = "unknown"
MAX_ALTERNATIVES = 3
MAX_CANDIDATES = 5
# Probability of an intent of its own from which a short message is a new question, not a
# follow-up ("which tasks are overdue?" after a readiness answer).
FOLLOW_UP_OVERRIDE = 0.5
FOLLOW_UP_CONFIDENCE = 0.75
NO_CONTEXT_CONFIDENCE = 0.6
# A message of this many words or more is also read sentence by sentence (at most
# MAX_SENTENCES of them).
LONG_MESSAGE_WORDS = 24
MAX_SENTENCES = 8
_SENTENCE_END = re.compile(r"[.?!;\n]+")
# Intents a clarifying question or a two-part answer never offers.
NOT_OFFERED = NEVER_CLARIFIED
# Where a message may be cut into two questions: a question mark, a semicolon, or a
# conjunction ("are we ready and what's still missing?"); the first MAX_PART_CUTS are tried.
MAX_PART_CUTS = 3
# A second half asks something when it opens with one of these (or ends with "?").
QUESTION_OPENERS = frozenset(
    {
        *("what", "which", "where", "when", "who", "whos", "how", "why"),
        *("are", "is", "am", "do", "does", "did", "has", "have", "any"),
        *("can", "could", "will", "would", "should", "shall"),
        *("show", "list", "give", "tell"),
    }
)
# A second half with these refers to what the first named (its filters carry over).
BACK_REFERENCES = frozenset({"ones", "they", "them", "those", "these", "it", "its"})
ELLIPTICAL_OPENINGS = frozenset({("which", "are"), ("which", "is"), ("what", "is")})
_PART_SPLIT = re.compile(r"\?+|;|\b(?:and also|and|also|plus|as well as)\b", re.IGNORECASE)
# Entities that are a question's own evidence, not a refinement (a named sample).
_OWN_SLOTS = frozenset({"sample_query"})
# Filters a follow-up inherits from the previous message when it does not set them itself.
_INHERITED_SLOTS = ("channel", "hero_only", "timeframe", "category")
# The entity kinds the classifier reads, as features.
_FEATURE_SLOTS = ("sample_query", "channel", "hero_only", "timeframe", "category")


# ---- the classifier, trained once per process ------------------------------------------


_TRAINING = threading.Lock()
_trained: IntentClassifier | None = None


def trained_classifier() -> IntentClassifier:
    """The classifier trained on ``load_examples()``, once per process: when the server
    starts (``classifier_warm_up``), or else by the first caller. Callers that arrive during
    the training wait for it rather than train again: a burst of first chat turns on a fresh
    worker would otherwise run one training per request thread, seconds of CPU each."""
    model = _trained
    if model is None:
        with _TRAINING:
            if _trained is None:
                _train_locked()
            model = _trained
    return model


def reload_classifier() -> IntentClassifier:
    """Train again from the data (new labels), for this process."""
    with _TRAINING:
        _train_locked()
        return _trained


def _train_locked() -> None:
    global _trained
    _trained = train(load_examples(), read=message_features)


# ---- tables built once, at import -------------------------------------------------------

_FOLLOW_UP_CUES = PhraseIndex(
    (term, kind) for kind, terms in FOLLOW_UP_CUES.items() for term in terms
)
_MARKERS = tuple(tuple(tokenize(marker)) for marker in FOLLOW_UP_MARKERS)
_MARKER_WORDS = frozenset(word for marker in _MARKERS for word in marker)


# ---- features and follow-ups --------------------------------------------------------------


def _features(
    analysis: Analysis, entities: Entities, masked: Collection[int] = frozenset()
) -> MessageFeatures:
    keep = [i for i in range(len(analysis.raw)) if i not in masked]
    return MessageFeatures(
        raw=tuple(analysis.raw[i] for i in keep),
        stems=tuple(analysis.stems[i] for i in keep),
        entities=tuple(name for name in _FEATURE_SLOTS if getattr(entities, name)),
    )


def message_features(message: str) -> MessageFeatures:
    """What the classifier reads of ``message`` (training and detection alike)."""
    analysis = analyse(message)
    entities, _ = find_entities(analysis)
    return _features(analysis, entities)


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


def _continues(previous: PreviousTurn, kind: str, kits: dict[str, str]) -> bool:
    """Whether a follow-up of ``kind`` can refine the previous turn."""
    if previous.intent not in kits:
        return False
    kit = kits[previous.intent]
    return previous.intent not in NO_CONTEXT_INTENTS and kit in FOLLOW_UP_KITS.get(kind, KITS)


def _own_words(analysis: Analysis, masked: set[int]) -> set[int]:
    """The positions of the words of a short message besides its follow-up cues, filters
    (``masked``), openings ("and", "what about"), generic nouns ("the pieces") and
    stopwords: what it says of its own."""
    return {
        i
        for i, word in enumerate(analysis.tokens)
        if i not in masked
        and word not in _MARKER_WORDS
        and word not in GENERIC_QUERY_WORDS
        and word not in STOPWORDS
    }


def _asks_something_else(
    model: IntentClassifier,
    analysis: Analysis,
    entities: Entities,
    masked: set[int],
    previous: PreviousTurn,
) -> bool:
    """Whether the words of a short message besides its follow-up cues and filters ask a
    question of their own ("which tasks are overdue?"), not the previous turn's."""
    own = _own_words(analysis, masked)
    if not own and not entities.sample_query:
        return False
    rest = _features(
        analysis,
        replace(Entities(), **{slot: getattr(entities, slot) for slot in _OWN_SLOTS}),
        set(range(len(analysis.raw))) - own,
    )
    best, probability = _ranked(model.predict(rest, None))[0]
    return best not in (UNKNOWN, previous.intent) and probability >= FOLLOW_UP_OVERRIDE


def _classify(
    model: IntentClassifier, message: str, analysis: Analysis, entities: Entities, kit: str
) -> list[tuple[str, float]]:
    """The intents of a message, likeliest first. A long message with several sentences
    ("which tasks are late? the client keeps asking...") is read whole and sentence by
    sentence, and the sentence that asks something most surely, if surer than the whole,
    decides."""
    ranked = _ranked(model.predict(_features(analysis, entities), kit))
    if len(analysis.raw) < LONG_MESSAGE_WORDS:
        return ranked
    sentences = [s for s in _SENTENCE_END.split(message[:MAX_INPUT_CHARS]) if s.strip()]
    for sentence in sentences[:MAX_SENTENCES] if len(sentences) > 1 else ():
        part = analyse(sentence)
        part_entities, _ = find_entities(part)
        part_ranked = _ranked(model.predict(_features(part, part_entities), kit))
        if part_ranked[0][0] != UNKNOWN and part_ranked[0][1] > ranked[0][1]:
            ranked = part_ranked
    return ranked


# ---- the public API ----------------------------------------------------------------------


def _ranked(probabilities: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(probabilities.items(), key=lambda item: (-item[1], item[0]))


def _rounded(ranked: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    return tuple((name, round(p, 3)) for name, p in ranked[:MAX_CANDIDATES] if round(p, 3) > 0)


def _clarify(model: IntentClassifier, ranked: list[tuple[str, float]]) -> tuple[str, ...]:
    """The 2 or 3 intents to ask between when the best is below the fitted threshold."""
    best, probability = ranked[0]
    if best in NOT_OFFERED or probability >= model.clarify_below:
        return ()
    options = [
        name for name, p in ranked[:3] if name not in NOT_OFFERED and p >= model.clarify_option_min
    ]
    return tuple(options) if len(options) >= 2 else ()


def detect_intent(
    message: str, *, current_kit: str, previous: PreviousTurn | None = None
) -> IntentMatch:
    """Return the intent of ``message`` asked on the ``current_kit`` page (see ``_detect``),
    with the message itself (and each part's own words)."""
    return replace(_detect(message, current_kit=current_kit, previous=previous), message=message)


def _detect(message: str, *, current_kit: str, previous: PreviousTurn | None = None) -> IntentMatch:
    """Return the intent of ``message`` asked on the ``current_kit`` page.

    Never raises on odd text: empty, off-topic or unreadable messages give ``unknown``
    (kit ``general``). ``previous`` is the session's previous turn: a short follow-up
    ("which ones?") that asks nothing else on its own keeps that turn's intent and kit,
    and the filters (hero, category, timeframe, channel) of its message it does not
    replace, and says, in ``follow_up``, how it refines it. An unknown ``current_kit``
    gives no prior.
    """
    analysis = analyse(message)
    entities, slot_words = find_entities(analysis)
    if not analysis.tokens:
        return IntentMatch(UNKNOWN, "general", 0.0, None, entities, ())
    model = trained_classifier()
    ranked = _classify(model, message, analysis, entities, current_kit)
    candidates = _rounded(ranked)

    kind, cue_words = _follow_up(analysis, entities)
    if (
        kind
        and previous is not None
        and _continues(previous, kind, model.kits)
        and not _asks_something_else(model, analysis, entities, slot_words | cue_words, previous)
    ):
        if kind == "list_items":
            entities = replace(entities, names_requested=True)
        return IntentMatch(
            intent=previous.intent,
            kit=model.kits[previous.intent],
            score=FOLLOW_UP_CONFIDENCE,
            follow_up=FollowUp(kind),
            entities=_inherit(entities, previous),
            alternatives=tuple(c for c in candidates if c[0] != previous.intent)[:MAX_ALTERNATIVES],
            candidates=candidates,
        )

    best, probability = ranked[0]
    default = NO_CONTEXT_FOLLOW_UPS.get(kind or "", {})
    refined = default.get(current_kit, default.get("*"))
    if refined is not None and not _own_words(analysis, slot_words | cue_words):
        # A refinement with nothing to refine ("and the hero pieces?") asks about its pieces.
        return IntentMatch(
            intent=refined,
            kit=model.kits[refined],
            score=NO_CONTEXT_CONFIDENCE,
            follow_up=None,
            entities=entities,
            alternatives=tuple(c for c in candidates if c[0] != refined)[:MAX_ALTERNATIVES],
            candidates=candidates,
        )
    parts = _parts(model, message, current_kit)
    if parts:
        # Both parts are answered: the first is the turn's intent, nothing is asked.
        first = parts[0]
        return IntentMatch(
            intent=first.intent,
            kit=first.kit,
            score=first.score,
            follow_up=None,
            entities=entities,
            alternatives=tuple(c for c in candidates if c[0] != first.intent)[:MAX_ALTERNATIVES],
            candidates=candidates,
            parts=parts,
        )
    return IntentMatch(
        intent=best,
        kit=model.kits[best],
        score=round(probability, 3),
        follow_up=None,
        entities=entities,
        alternatives=candidates[1 : 1 + MAX_ALTERNATIVES],
        candidates=candidates,
        clarify=_clarify(model, ranked),
    )


def _parts(model: IntentClassifier, message: str, current_kit: str) -> tuple[IntentMatch, ...]:
    """One match per half of a two-part question: cut at the first place a question mark,
    a semicolon or a conjunction allows where the second half asks something (a question
    word first, or a question mark last) and both halves get a confident intent of their
    own, and different ones; empty when there is none. A second half of the same kit that
    refers back ("... and which ones are delayed?") keeps the filters of the first it does
    not set."""
    text = message[: 2 * MAX_LABEL_CHARS]
    for cut in islice(_PART_SPLIT.finditer(text), MAX_PART_CUTS):
        first, second = text[: cut.start()].strip(), text[cut.end() :].strip()
        halves = [analyse(first), analyse(second)]
        if not all(any(word not in STOPWORDS for word in half.tokens) for half in halves):
            continue
        asked = halves[1].tokens
        if asked[0] not in QUESTION_OPENERS and not second.endswith("?"):
            continue
        parts = []
        for words, half in zip((first, second), halves, strict=True):
            entities, _ = find_entities(half)
            name, p = _ranked(model.predict(_features(half, entities), current_kit))[0]
            if name in NOT_OFFERED or p < model.clarify_below:
                break
            kit = model.kits[name]
            parts.append(IntentMatch(name, kit, round(p, 3), None, entities, (), message=words))
        if len(parts) == 2 and parts[0].intent != parts[1].intent:
            left, right = parts
            if left.kit == right.kit and (
                set(asked) & BACK_REFERENCES or tuple(asked[:2]) in ELLIPTICAL_OPENINGS
            ):
                before = PreviousTurn(left.intent, left.kit, first)
                right = replace(right, entities=_inherit(right.entities, before))
            return left, right
    return ()


def two_parts(message: str, *, current_kit: str) -> tuple[IntentMatch, ...]:
    """The two questions of ``message`` (``detect_intent`` fills ``parts`` with them), or
    ``()`` when it asks one."""
    return _parts(trained_classifier(), message, current_kit)


def intent_chosen(message: str, *, intent: str, current_kit: str) -> IntentMatch:
    """The match of ``message``, a question the user was asked to clarify, once they chose
    ``intent``: that intent, its kit and the entities ``message`` names. Raises KeyError for
    a name that is not an intent."""
    asked = detect_intent(message, current_kit=current_kit)
    return IntentMatch(
        intent=intent,
        kit=trained_classifier().kits[intent],
        score=1.0,
        follow_up=None,
        entities=asked.entities,
        alternatives=(),
        candidates=((intent, 1.0),),
        message=message,
    )


def _inherit(entities: Entities, previous: PreviousTurn) -> Entities:
    """``entities`` with the filters of the previous message that this one leaves unset."""
    if not previous.message:
        return entities
    before, _ = find_entities(analyse(previous.message))
    kept = {
        slot: getattr(before, slot)
        for slot in _INHERITED_SLOTS
        if getattr(before, slot) and not getattr(entities, slot)
    }
    return replace(entities, **kept) if kept else entities
