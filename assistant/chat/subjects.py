"""The campaign's own things a message names: a sample ("what about the tote"), a task ("who
is doing the retouching?"), an asset or a person (an assignee: "the photographer").

Only the skills know these names (they are the campaign's data, not the detector's), so they
are found here, once the data is loaded, word for word against the names: a thing is named
when the message holds a word of its name that no other thing of its kind has in its name or
its group (a sample's category), or every word of its name. Words are compared as stems with
small typos forgiven ("retouchng" is "retouch"), and words that name no particular thing
("the", "samples", "shot") never count. So "the dresses" names no sample when two are
dresses (the Satin Slip Dress and a gown in the Dresses category), and the garment category
answers instead; "the tote" names the one tote even beside other bags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from assistant.intents.normalize import STOPWORDS, stem, tokenize, word_list

T = TypeVar("T")

# A message word and a name word this alike (rapidfuzz ratio, 0-100) are the same word; only
# for words of MIN_FUZZY_CHARS or more, as short words differ by a letter ("coat", "boat").
SAME_WORD = 85
MIN_FUZZY_CHARS = 5
MIN_WORD_CHARS = 3

# Words that say what kind of thing is meant, or ask, but never which one.
GENERIC_WORDS: frozenset[str] = frozenset(
    stem(word)
    for word in word_list("""
    sample samples garment garments look looks piece pieces item items thing things task tasks
    job jobs step steps asset assets image images photo photos picture pictures shot shots
    video videos content person people someone anyone everyone who whom whose what which when
    where why status state doing start started finish finished done ready best top campaign
    shoot shooting today tomorrow week hero heroes about any still yet
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
        if len(word) >= MIN_WORD_CHARS and word not in GENERIC_WORDS:
            words.append(word)
    return words


def _name_words(name: str) -> frozenset[str]:
    return frozenset(message_words(name))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_CHARS:
        return False
    return fuzz.ratio(a, b) >= SAME_WORD


def named(
    message: str,
    items: Iterable[T],
    *,
    name: Callable[[T], str],
    group: Callable[[T], str | None] | None = None,
) -> list[Named[T]]:
    """The items the message names (see the module docstring), in the order it names them.
    `group` gives an item's group label (a sample's category), whose words make a name word
    shared. O(words x items x name words)."""
    asked = message_words(message)
    if not asked:
        return []
    items = list(items)
    candidates = [(item, _name_words(name(item))) for item in items]
    frequency = Counter(
        word
        for item, words in candidates
        for word in words | (_name_words(group(item) or "") if group else frozenset())
    )
    found: list[Named[T]] = []
    for item, words in candidates:
        if not words:
            continue
        hits = {
            word: position
            for word in words
            for position, said in enumerate(asked)
            if _same(said, word)
        }
        if not hits:
            continue
        if hits.keys() == words or any(frequency[word] == 1 for word in hits):
            found.append(Named(item, min(hits.values())))
    found.sort(key=lambda named_item: named_item.position)
    return found


def named_one(
    message: str,
    items: Sequence[T],
    *,
    name: Callable[[T], str],
    group: Callable[[T], str | None] | None = None,
) -> T | None:
    """The one item the message names, or None when it names none or several."""
    found = named(message, items, name=name, group=group)
    return found[0].item if len(found) == 1 else None
