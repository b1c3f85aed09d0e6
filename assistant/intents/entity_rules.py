"""What a message names besides its intent, found by rules: the sample it asks about (as
typed), a channel, a timeframe, a garment category, hero pieces, a request for names.

The classifier reads these as features, the follow-up rules use them to narrow the previous
turn, and the skills to narrow their answers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .definitions import (
    CATEGORY_TERMS,
    CHANNEL_ALIASES,
    GENERIC_QUERY_WORDS,
    HERO_TERMS,
    NAME_REQUEST_TERMS,
    SAMPLE_NOUNS,
    SAMPLE_QUERY_PATTERNS,
    SAMPLE_QUERY_TRIM_END,
    SAMPLE_QUERY_TRIM_START,
    TIMEFRAMES,
    VAGUE_SAMPLE_QUERY_PATTERNS,
)
from .matching import DOMAIN_WORDS, Analysis, PhraseIndex
from .normalize import STOPWORDS, stem, tokenize

MAX_LABEL_CHARS = 200


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


_CHANNELS = PhraseIndex(
    (alias, channel) for channel, aliases in CHANNEL_ALIASES.items() for alias in aliases
)
_TIMEFRAMES = PhraseIndex((term, name) for name, terms in TIMEFRAMES.items() for term in terms)
_HERO = PhraseIndex((term, True) for term in HERO_TERMS)
_CATEGORIES = PhraseIndex(
    (term, category) for category, terms in CATEGORY_TERMS.items() for term in terms
)
_SAMPLE_NOUNS = frozenset(stem(word) for noun in SAMPLE_NOUNS for word in tokenize(noun))
_NAME_REQUESTS = PhraseIndex((term, True) for term in NAME_REQUEST_TERMS)
# (pattern, whether what it names must look like a sample), tried in this order.
_SAMPLE_QUERY_PATTERNS = tuple(
    [(re.compile(pattern), False) for pattern in SAMPLE_QUERY_PATTERNS]
    + [(re.compile(pattern), True) for pattern in VAGUE_SAMPLE_QUERY_PATTERNS]
)
# A "sample name" made only of these is a question, not a name ("where are the samples"):
# the words the training examples use (garment nouns aside), generic nouns and stopwords.
_NOT_A_NAME = (frozenset(stem(w) for w in DOMAIN_WORDS) - _SAMPLE_NOUNS) | {
    stem(w) for w in GENERIC_QUERY_WORDS | STOPWORDS
}


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


def find_entities(analysis: Analysis) -> tuple[Entities, set[int]]:
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


def category_of(text: str) -> str | None:
    """The garment category (a key of ``CATEGORY_TERMS``) that ``text`` names first, if any:
    "the knitwear" -> "knitwear", "Shoes" -> "footwear". No typo correction: it reads labels."""
    hit, _ = _CATEGORIES.first([stem(word) for word in tokenize(text[:MAX_LABEL_CHARS])])
    return hit.values[0] if hit else None
