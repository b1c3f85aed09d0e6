"""Turn what a user typed into tokens the intent detector can compare.

Pure functions, no Django. ``tokenize`` lower-cases, applies Unicode NFKC, expands
contractions and chat shorthand, and drops punctuation and emoji; ``stem`` folds inflections
(arrived / arrive / arriving) so the tables are written once in their plain form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def word_list(text: str) -> list[str]:
    """The words of a whitespace-separated list written in a string, for the tables."""
    return text.split()


# Chat shorthand and spelling variants, folded before matching (token -> replacement words).
SHORTHAND: dict[str, str] = {
    "whats": "what is",
    "wheres": "where is",
    "whos": "who is",
    "hows": "how is",
    "thats": "that is",
    "theres": "there is",
    "im": "i am",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "hasnt": "has not",
    "havent": "have not",
    "wasnt": "was not",
    "cant": "can not",
    "u": "you",
    "r": "are",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "ty": "thanks",
    "tysm": "thank you so much",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "2day": "today",
    "rn": "right now",
    "pic": "picture",
    "pics": "pictures",
    "pix": "pictures",
    "img": "image",
    "imgs": "images",
    "ig": "instagram",
    "insta": "instagram",
    "yt": "youtube",
    "ecom": "ecommerce",
    "ecomm": "ecommerce",
    "info": "information",
    "favourite": "favorite",
    "colour": "color",
    "organise": "organize",
    "prioritise": "prioritize",
    "prioritised": "prioritized",
    "wk": "week",
    "abt": "about",
    "gm": "good morning",
    "tnx": "thanks",
    "thnks": "thanks",
    "fav": "favorite",
    "fave": "favorite",
    "favs": "favorites",
    "faves": "favorites",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "lmk": "let me know",
    "b4": "before",
    "hv": "have",
    "thru": "through",
    "mia": "missing",
    "2nite": "tonight",
    # Production shorthand: hair and makeup, the makeup artist, the director of photography.
    "hmu": "hair and makeup",
    "mua": "makeup artist",
    "dop": "director of photography",
}

# Words too common to carry an intent; never typo-corrected, ignored in example similarity.
STOPWORDS: frozenset[str] = frozenset(
    word_list("""
    a about above after again all also am an and any anything are as at be been before being
    but by can could did do does doing done for from get got had has have having he her here
    him his how i if in into is it its just let like me more most my no not now of off ok okay
    on one ones only or our ours out over please really right same she should so some
    something such than that the their them then there these they this those through to too
    up us very was we were what when where which while who whom whose why will with would yes
    yet you your yours
    """)
)

# Everyday words (and brands: "Chanel") one typo away from a known word: never "corrected".
COMMON_WORDS: frozenset[str] = frozenset(
    word_list("""
    later lately lake lane date match catch watch patch short sport spot stuff start care
    cared core told gold bold heard hear near hire gear year wire word world tap tip type
    rely reply apply store stare tile title fine fire give live love move sale shape share
    stage state plate plane clan clean clear chair rain pain paint point pint came come home
    hope hole role rule pole poll bill fill full pull last lust must mist bust test text nest
    rest rust west think thing press black whole pulse border sort reset designed cheap
    chase push clear style trade affect
    chanel
    """)
)

# Words the suffix rules would merge with a different word ("missing" is not "miss").
STEM_EXCEPTIONS: dict[str, str] = {
    "missing": "missing",
    "morning": "morning",
    "evening": "evening",
    "during": "during",
    "news": "news",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'d\b"), " would"),
    # "where's", and a misspelt "wher's", are "where is"; "tomorrow's" is a possessive.
    (re.compile(r"\b(wh\w*|how|it|that|there|here|he|she)'s\b"), r"\1 is"),
    (re.compile(r"'s\b"), ""),  # possessive: "tomorrow's shoot" -> "tomorrow shoot"
)
_SYMBOLS = (("%", " percent "), ("&", " and "), ("@", " at "))
# Anything that is not a letter or digit (punctuation, emoji, symbols, underscores) splits words.
_NON_WORD = re.compile(r"[\W_]+")
# A letter typed three times or more is typed once: "heyyy" is "hey", "pleeease" "please".
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")

_VOWELS = frozenset("aeiouy")


def normalize(text: str) -> str:
    """Return ``text`` lower-cased, NFKC-normalised, contractions and shorthand expanded,
    stretched letters shortened, punctuation and emoji removed, whitespace collapsed to
    single spaces."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    for symbol, word in _SYMBOLS:
        text = text.replace(symbol, word)
    words = _NON_WORD.sub(" ", _STRETCHED.sub(r"\1", text)).split()
    return " ".join(SHORTHAND.get(word, word) for word in words)


def tokenize(text: str) -> list[str]:
    """Return the normalised words of ``text``."""
    return normalize(text).split()


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Return a light stem of one normalised word: plural, -ed, -ing and a final -e removed,
    so that "arrived", "arrive", "arrives" and "arriving" all give "arriv".

    It is deliberately crude (no dictionary); both the tables and messages go through it, so
    only consistency matters.
    """
    if not word.isalpha() or len(word) <= 3:
        return word
    if word in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[word]
    if word.endswith("ies") or word.endswith("ied"):
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4:
        word = _undouble(word[:-2])
    elif word.endswith(("ches", "shes", "sses", "xes", "zes")) or (
        word.endswith("oes") and len(word) > 5
    ):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ie") and len(word) > 4:
        word = word[:-2] + "y"  # "movie" like "movies", "selfie" like "selfies"
    elif word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _undouble(word: str) -> str:
    """ "shipp" -> "ship", "overlapp" -> "overlap"; keeps "ll", "ss", "zz" ("stall", "pass")."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS | set("lsz"):
        return word[:-1]
    return word
