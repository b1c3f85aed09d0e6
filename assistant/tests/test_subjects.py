"""Which of the campaign's own things a message names (assistant/chat/subjects.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chat import subjects
from assistant.chat.subjects import message_words, named, named_one

SAMPLES = [
    SimpleNamespace(name="Silk Column Gown", category="Dresses"),
    SimpleNamespace(name="Pleated Midi Dress", category="Dresses"),
    SimpleNamespace(name="Woven Raffia Tote", category="Bags"),
    SimpleNamespace(name="Leather Clutch", category="Bags"),
    SimpleNamespace(name="Silk Scarf", category="Accessories"),
]
TASKS = ["Studio load-in and set build", "Lighting test", "Retouch hero selects", "Wrap"]


def _sample(message):
    found = named_one(message, SAMPLES, name=lambda s: s.name, group=lambda s: s.category)
    return found.name if found else None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("what about the tote", "Woven Raffia Tote"),  # a word only its name has
        ("where is the silk gown?", "Silk Column Gown"),
        ("is the silk scarf here", "Silk Scarf"),  # "silk" is shared, "scarf" is not
        ("and the dresses?", None),  # a category word two dresses share: no one sample
        ("and the bags?", None),  # no name says "bag"
        ("what about the silk?", None),  # two silk pieces
        ("are we ready?", None),
        ("whats the status of the samples", None),  # words that name no particular thing
        # "tote" has four letters: too short to forgive a typo ("coat" is not "boat")
        ("the totte", None),
    ],
)
def test_a_sample_is_named_by_a_word_only_it_has(message, expected):
    assert _sample(message) == expected


def test_typos_are_forgiven_in_longer_words():
    assert named_one("who is doing the retouchng?", TASKS, name=str) == "Retouch hero selects"
    assert named_one("how's the lightning test", TASKS, name=str) == "Lighting test"


def test_several_named_things_keep_the_order_they_were_said_in():
    found = named("can we start lighting before load-in is done", TASKS, name=str)
    assert [(f.item, f.position) for f in found] == [
        ("Lighting test", 1),  # "start" is word 0
        ("Studio load-in and set build", 2),
    ]
    assert named_one("can we start lighting before load-in is done", TASKS, name=str) is None


def test_a_one_word_name_is_named_by_that_word():
    assert named_one("what time do we wrap?", TASKS, name=str) == "Wrap"
    assert named_one("what time do we wrap?", [], name=str) is None


def test_a_word_that_only_says_what_kind_of_thing_names_nothing_alone():
    tasks = ["Shoot hero looks", "Shoot knitwear story", "Retouch hero selects"]
    assert named_one("what's the status of the shoot?", tasks, name=str) is None
    assert named_one("is the hero shoot on track?", tasks, name=str) == "Shoot hero looks"
    assert named_one("when do we shoot the knitwear", tasks, name=str) == "Shoot knitwear story"


def test_message_words_drop_questions_and_stopwords():
    assert message_words("Who is doing the hero shoot today?") == ["hero", "shoot"]
    assert message_words("where's the Woven Raffia TOTE") == ["woven", "raffia", "tote"]


def test_ten_thousand_names_are_searched_not_read_word_by_word():
    samples = [
        SimpleNamespace(name=f"Velvet Coat {i:05d}", category="Outerwear") for i in range(10_000)
    ]
    subjects._name_words.cache_clear()

    assert _pick(samples, "whats blocking us?") is None
    assert _pick(samples, "what about the outerwear?") is None  # every coat holds it
    assert _pick(samples, "where is velvet coat 04242") == "Velvet Coat 04242"
    # only the labels holding a rare word of the message were split into words
    assert subjects._name_words.cache_info().misses <= 2 * (subjects.MAX_HOLDERS + 1)


def _pick(samples, message):
    found = named_one(message, samples, name=lambda s: s.name, group=lambda s: s.category)
    return found.name if found else None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.lists(st.text(max_size=30), max_size=8))
def test_any_message_and_any_names_give_an_answer_never_an_error(message, names):
    found = named(message, names, name=str, group=lambda n: n[::-1])
    assert all(item.item in names for item in found)
    assert [f.position for f in found] == sorted(f.position for f in found)


def test_a_line_break_inside_a_name_does_not_shift_the_names_after_it():
    names = ["Silk\nColumn Gown", "Wool Trench Coat"]

    found = named("where is the wool trench?", names, name=str)

    assert [match.item for match in found] == ["Wool Trench Coat"]
