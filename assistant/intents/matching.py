"""Reading a message against the phrase tables: typo correction and phrase look-up.

``analyse`` turns a message into parallel word lists (as typed, typos corrected, stemmed);
``PhraseIndex`` finds the phrases of a table in those stems.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .definitions import (
    CATEGORY_TERMS,
    CHANNEL_ALIASES,
    FOLLOW_UP_CUES,
    GENERIC_QUERY_WORDS,
    HERO_TERMS,
    KIT_NOUNS,
    TIMEFRAMES,
)
from .normalize import COMMON_WORDS, STOPWORDS, stem, tokenize
from .training import read_file, training_files

# Work is bounded whatever the message length: only its start is read.
MAX_INPUT_CHARS = 2000
MAX_TOKENS = 200
MAX_FUZZY_TOKENS = 48
# How much a corrected word counts, by the edits it took: a two-edit guess ("sleeping" for
# "slipping") is weak evidence on its own.
TRUST_BY_EDITS = (1.0, 0.85, 0.5)


class Hit(NamedTuple):
    start: int
    length: int
    key: tuple[str, ...]
    values: tuple[Any, ...]

    @property
    def span(self) -> range:
        return range(self.start, self.start + self.length)


class PhraseIndex:
    """The phrases of one table, stemmed, each with the values it stands for."""

    def __init__(self, entries: Iterable[tuple[str, Any]]) -> None:
        by_key: dict[tuple[str, ...], list[Any]] = defaultdict(list)
        for phrase, value in entries:
            key = tuple(stem(word) for word in tokenize(phrase))
            if key:
                by_key[key].append(value)
        self._by_key = {key: tuple(values) for key, values in by_key.items()}
        # Phrases by first word: most words of a message start no phrase at all.
        self._by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for key in self._by_key:
            self._by_first[key[0]].append(key)

    def single_words(self) -> frozenset[str]:
        return frozenset(key[0] for key in self._by_key if len(key) == 1)

    def find(self, stems: Sequence[str]) -> list[Hit]:
        """Every occurrence in ``stems``, longest first, then left to right."""
        hits = [
            Hit(start, len(key), key, self._by_key[key])
            for start, word in enumerate(stems)
            for key in self._by_first.get(word, ())
            if tuple(stems[start : start + len(key)]) == key
        ]
        hits.sort(key=lambda hit: (-hit.length, hit.start))
        return hits

    def outermost(self, stems: Sequence[str]) -> list[Hit]:
        """Every occurrence that no longer phrase holds ("on track" hides its "track"),
        longest first, then left to right."""
        kept: list[Hit] = []
        for hit in self.find(stems):
            if not any(
                other.length > hit.length
                and other.start <= hit.start
                and hit.start + hit.length <= other.start + other.length
                for other in kept
            ):
                kept.append(hit)
        return kept

    def first(self, stems: Sequence[str]) -> tuple[Hit | None, set[int]]:
        """The leftmost of the longest non-overlapping hits, and the positions they cover."""
        used: set[int] = set()
        chosen = []
        for hit in self.find(stems):
            if used.isdisjoint(hit.span):
                used.update(hit.span)
                chosen.append(hit)
        return min(chosen, default=None, key=lambda hit: hit.start), used


# A word of the training messages is one a typo may be corrected to when this many examples
# of the intents other than ``unknown`` use it.
MIN_EXAMPLES_FOR_VOCABULARY = 2


def _training_words() -> tuple[frozenset[str], frozenset[str]]:
    """The words of the training files' messages: those of the domain (used by examples of
    the intents other than ``unknown`` at least MIN_EXAMPLES_FOR_VOCABULARY times), and
    those only off-topic examples use."""
    domain: Counter[str] = Counter()
    off_topic: set[str] = set()
    for path in training_files():
        for example in read_file(path):
            words = set(tokenize(example.message))
            if example.intent == "unknown":
                off_topic |= words
            else:
                domain.update(words)
    known = frozenset(
        w for w, n in domain.items() if n >= MIN_EXAMPLES_FOR_VOCABULARY and w.isalpha()
    )
    return known, frozenset(off_topic - set(domain))


_TRAINING_WORDS, _OFF_TOPIC_WORDS = _training_words()
# The words of the tables: the entities', the kits' nouns, the follow-up cues, and the longer
# stopwords and generic nouns ("eveerything" is not a sample name).
_TABLE_WORDS = frozenset(
    word
    for phrases in (
        [term for nouns in KIT_NOUNS.values() for term in nouns],
        [alias for aliases in CHANNEL_ALIASES.values() for alias in aliases],
        [term for terms in CATEGORY_TERMS.values() for term in terms],
        [term for terms in TIMEFRAMES.values() for term in terms],
        [term for terms in FOLLOW_UP_CUES.values() for term in terms],
        HERO_TERMS,
        GENERIC_QUERY_WORDS,
        STOPWORDS,
    )
    for phrase in phrases
    for word in tokenize(phrase)
    if word.isalpha() and len(word) >= 4
)
_TABLE_STEMS = frozenset(stem(word) for word in _TABLE_WORDS)
# The words of the domain: those the training examples use, except a misspelling of a table
# word ("wher" stems like "where"), which stays a typo to correct.
DOMAIN_WORDS = frozenset(
    w for w in _TRAINING_WORDS if w in _TABLE_WORDS or stem(w) not in _TABLE_STEMS
)
# Words a typo may be corrected to. Off-topic words never are (a typo never makes a message
# off-topic).
_VOCABULARY = _TABLE_WORDS | frozenset(w for w in DOMAIN_WORDS if len(w) >= 4)
# Off-topic words are known words too: "stock" is not a typo of "stuck".
_OFF_TOPIC_STEMS = frozenset(stem(word) for word in _OFF_TOPIC_WORDS)
_COMMON_STEMS = frozenset(stem(word) for word in COMMON_WORDS)
_INFLECTIONS = ("ing", "ed")
# A word that stems like a vocabulary word ("wher" like "where") is read as that word.
_VOCABULARY_BY_STEM: dict[str, str] = {}
for _word in sorted(_VOCABULARY, key=lambda word: (len(word), word)):
    _VOCABULARY_BY_STEM.setdefault(stem(_word), _word)
# What a typo is compared with: vocabulary words and their stems ("samlpes" is one edit from
# the stem "sampl"), each leading back to its vocabulary word.
_TARGETS: dict[str, str] = {**_VOCABULARY_BY_STEM, **{word: word for word in _VOCABULARY}}
_TARGETS_BY_LENGTH: dict[int, tuple[str, ...]] = {
    length: tuple(sorted(target for target in _TARGETS if len(target) == length))
    for length in {len(target) for target in _TARGETS}
}


@lru_cache(maxsize=4096)
def correct_typo(word: str) -> tuple[str, int]:
    """Return the vocabulary word ``word`` was probably meant to be, and the edits it took
    (0 when it is left alone).

    The word, and its stem, may be one edit away from a vocabulary word or stem (a
    transposition is one edit: "instagarm", "rnak"), or two from 8 letters ("depndncy").
    Words (or stems) of 5 letters or less, and two-edit corrections, must keep their first
    letter, and one of 4 letters or less may not have a letter changed ("feel" is not
    "feed"); among
    equally near words the one most like the typed word wins ("whih" is "which", not "while").
    Stopwords, off-topic words and everyday words near a known word ("later", "match", and their
    inflections: "resetting") are never changed.
    """
    if (
        len(word) < 4
        or not word.isalpha()
        or word in _VOCABULARY
        or word in COMMON_WORDS
        or stem(word) in _COMMON_STEMS
        or stem(word) in _OFF_TOPIC_STEMS
    ):
        return word, 0
    if stem(word) in _VOCABULARY_BY_STEM:
        return _VOCABULARY_BY_STEM[stem(word)], 0
    # A word with a well-formed -ing/-ed ending is almost always a real word, and two edits
    # from a known word it is another word ("chasing" is not "chain", "cleared" not "cheers").
    max_edits = 2 if len(word) >= 8 and not word.endswith(_INFLECTIONS) else 1
    candidates = []
    for spelling in {word, stem(word)} - {""}:
        if len(spelling) < 4:
            continue
        for length in range(len(spelling) - max_edits, len(spelling) + max_edits + 1):
            for target, edits, _ in process.extract(
                spelling,
                _TARGETS_BY_LENGTH.get(length, ()),
                scorer=OSA.distance,
                score_cutoff=max_edits,
                limit=None,
            ):
                # The rules for short words hold for a short stem too: "pressing" is
                # compared as "press", which is not "dress".
                if (len(spelling) <= 5 or edits == 2) and target[0] != word[0]:
                    continue
                # In a word this short, a changed letter usually makes another real word
                # ("feel", "feed"); only a letter added, dropped or swapped is a typo.
                if (
                    len(spelling) <= 4
                    and len(target) == len(spelling)
                    and sorted(target) != sorted(spelling)
                ):
                    continue
                candidates.append((edits, -fuzz.ratio(word, _TARGETS[target]), _TARGETS[target]))
    if not candidates:
        return word, 0
    # Fewest edits; on a tie, the word most like what was typed ("whih" is "which").
    edits, _, corrected = min(candidates)
    return corrected, edits


class Analysis(NamedTuple):
    """A message as parallel word lists (same length, same positions)."""

    raw: list[str]  # normalised words, as typed
    tokens: list[str]  # typos corrected
    stems: list[str]  # stems of the corrected words
    trust: list[float]  # 1.0 for a word spelt right, less for a corrected one


def analyse(message: str) -> Analysis:
    """Read the first ``MAX_TOKENS`` words of ``message``; correct typos in the first
    ``MAX_FUZZY_TOKENS``."""
    raw = tokenize(message[:MAX_INPUT_CHARS])[:MAX_TOKENS]
    tokens, trust = [], []
    for position, word in enumerate(raw):
        corrected, edits = correct_typo(word) if position < MAX_FUZZY_TOKENS else (word, 0)
        tokens.append(corrected)
        trust.append(TRUST_BY_EDITS[edits])
    return Analysis(raw, tokens, [stem(token) for token in tokens], trust)
