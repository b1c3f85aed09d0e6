"""The campaign's own things a message names: a sample ("what about the tote"), a task ("who
is doing the retouching?"), an asset or a person (an assignee: "the photographer").

Only the skills know these names (they are the campaign's data, not the detector's), so they
are found here, once the data is loaded, word for word against the names: a thing is named
when the words of its name the message holds are, together, held by no other thing of its
kind (in its name or its group: a sample's category), and are not one word that only says
what kind of thing is meant (KIND_WORDS: "shoot" names no task alone, but "the hero shoot"
names "Shoot hero looks" when no other task has both words). Words are compared as stems
with small typos forgiven ("retouchng" is "retouch"); question words and stopwords never
count. So "the dresses" names no sample when two are dresses (the Satin Slip Dress and a gown
in the Dresses category), and the garment category answers instead; "the tote" names the one
tote even beside other bags; "silk" names neither the Silk Gown nor the Silk Scarf, "silk
scarf" the scarf.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from assistant.intents.normalize import STOPWORDS, stem, tokenize, word_list

T = TypeVar("T")

# A message word and a name word this alike (rapidfuzz ratio, 0-100) are the same word; only
# for words of MIN_FUZZY_CHARS or more, as short words differ by a letter ("coat", "boat").
SAME_WORD = 85
MIN_FUZZY_CHARS = 5
MIN_WORD_CHARS = 3
PREFIX_CHARS = 4
# A message word found in more names (or groups) than this is too common to name one thing.
MAX_HOLDERS = 50

# Words that ask, or place the question in time, and are never part of a name.
QUESTION_WORDS: frozenset[str] = frozenset(
    stem(word)
    for word in word_list("""
    who whom whose what which when where why about any still yet today tomorrow week status
    state doing ready
    """)
)
# Words that say what kind of thing is meant: part of names, but naming nothing alone.
KIND_WORDS: frozenset[str] = frozenset(
    stem(word)
    for word in word_list("""
    sample samples garment garments look looks piece pieces item items thing things task tasks
    job jobs step steps asset assets image images photo photos picture pictures shot shots
    video videos content person people someone anyone everyone start started finish finished
    done best top campaign shoot shooting hero heroes
    """)
)


@dataclass(frozen=True, slots=True)
class Named(Generic[T]):
    """A thing the message names, with `position`: where in the message its first name word
    stands (so two named things keep the order the user said them in)."""

    item: T
    position: int


def message_words(message: str) -> list[str]:
    """The stems of the message's words that could name something, in order."""
    words = []
    for token in tokenize(message):
        if token in STOPWORDS:
            continue
        word = stem(token)
        if len(word) >= MIN_WORD_CHARS and word not in QUESTION_WORDS:
            words.append(word)
    return words


@lru_cache(maxsize=16_384)
def _name_words(name: str) -> frozenset[str]:
    """The words of a name or group label (labels repeat from turn to turn: cached)."""
    return frozenset(message_words(name))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_CHARS:
        return False
    return fuzz.ratio(a, b) >= SAME_WORD


class _Labels:
    """Labels (names, or groups) as one string, searched without regard to case: finding
    which labels hold a rare word costs next to nothing, however many there are."""

    def __init__(self, labels: list[str]) -> None:
        # One line a label: a line break inside a label (names are free text) would shift
        # every later label's index.
        blob = "\n".join(label.replace("\n", " ") for label in labels)
        folded = blob.casefold()
        # casefold may lengthen a label ("ß" -> "ss"); then lower(), which keeps positions
        # for every label people type, is the fallback.
        self.text = folded if len(folded) == len(blob) else blob.lower()

    def holding(self, word: str, *, limit: int) -> set[int]:
        """The indexes of the labels that hold `word` (casefolded), or more than `limit` of
        them when more do (the search stops there)."""
        found: set[int] = set()
        index, counted_to = 0, 0
        at = self.text.find(word)
        while at != -1 and len(found) <= limit:
            index += self.text.count("\n", counted_to, at)  # labels before this one
            counted_to = at
            found.add(index)
            at = self.text.find(word, at + 1)
        return found


def named(
    message: str,
    items: Iterable[T],
    *,
    name: Callable[[T], str],
    group: Callable[[T], str | None] | None = None,
    ignore: Collection[str] = (),
) -> list[Named[T]]:
    """The items the message names (see the module docstring), in the order it names them.
    `group` gives an item's group label (a sample's category), whose words make a name word
    shared; words of `ignore` (say, the channel the message names: "stories" is no asset's
    name in "what works best for stories?") never count.

    Only the items whose name or group holds the first PREFIX_CHARS letters of a message word
    are read word by word (a typo in those first letters is not forgiven), and a word held by
    more than MAX_HOLDERS of them is not read at all (it names none), so a question about
    10,000 samples costs a substring test per sample and word, not a tokenisation."""
    asked = message_words(message)
    if ignore:
        skipped = {word for phrase in ignore for word in message_words(phrase)}
        asked = ["" if word in skipped else word for word in asked]  # positions kept
    if not any(asked):
        return []
    items = list(items)
    names = [name(item) for item in items]
    prefixes = {word[:PREFIX_CHARS] for word in asked if word}
    in_names = _Labels(names)
    if not any(in_names.holding(prefix, limit=0) for prefix in prefixes):
        return []  # no name holds a word of the message: the groups need not be read
    groups = [group(item) or "" for item in items] if group else []
    labels = [in_names, *([_Labels(groups)] if group else [])]
    chosen: set[int] = set()
    for prefix in prefixes:
        holders: set[int] = set()
        for label in labels:
            holders |= label.holding(prefix, limit=MAX_HOLDERS)
        if len(holders) <= MAX_HOLDERS:
            chosen.update(holders)
        else:  # a word this many things hold names none of them: it is not read at all
            asked = ["" if word[:PREFIX_CHARS] == prefix else word for word in asked]
    candidates = [
        (
            items[index],
            _name_words(names[index]),
            _name_words(groups[index]) if group else frozenset(),
        )
        for index in sorted(chosen)
    ]
    hit_sets = []
    for item, words, extra in candidates:
        hits = {
            word: position
            for word in words
            for position, said in enumerate(asked)
            if said and _same(said, word)
        }
        hit_sets.append((item, hits, words | extra))
    found: list[Named[T]] = []
    for item, hits, _ in hit_sets:
        if not hits or (len(hits) == 1 and hits.keys() <= KIND_WORDS):
            continue
        held_elsewhere = any(
            other is not item and hits.keys() <= held for other, _, held in hit_sets
        )
        if not held_elsewhere:
            found.append(Named(item, min(hits.values())))
    found.sort(key=lambda named_item: named_item.position)
    return found


def named_one(
    message: str,
    items: Sequence[T],
    *,
    name: Callable[[T], str],
    group: Callable[[T], str | None] | None = None,
    ignore: Collection[str] = (),
) -> T | None:
    """The one item the message names, or None when it names none or several."""
    found = named(message, items, name=name, group=group, ignore=ignore)
    return found[0].item if len(found) == 1 else None
