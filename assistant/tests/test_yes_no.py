"""Yes/no questions and which way round their answer goes (assistant/chat/yes_no.py)."""

from __future__ import annotations

import pytest

from assistant.chat.yes_no import asks_about_problem, asks_yes_no, led, opening


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("are we ready?", True),
        ("do we even have enough content for tiktok", True),
        ("any usage rights expiring soon?", True),
        ("Can the photographer start lighting before load-in is done", True),
        ("so, is the schedule tight?", True),
        ("isn't it tight", True),
        ("which tasks are late?", False),
        ("what about the tote", False),
        ("who is doing the retouching?", False),
        ("how much buffer do we have", False),
        ("", False),
    ],
)
def test_a_yes_no_question_opens_with_an_auxiliary_or_any(message, expected):
    assert asks_yes_no(message) is expected


@pytest.mark.parametrize(
    ("message", "problem", "expected"),
    [
        ("are we ready?", True, "No: "),
        ("are we ready?", False, "Yes: "),
        ("is anything blocking us?", True, "Yes: "),
        ("is anything blocking us?", False, "No: "),
        ("is the schedule tight?", True, "Yes: "),
        ("do we have any wiggle room?", True, "No: "),
        ("are all the hero looks covered?", True, "No: "),
        ("any gaps in coverage?", True, "Yes: "),
        ("any usage rights expiring soon?", False, "No: "),
        ("do we have enough content for tiktok", False, "Yes: "),
        ("which tasks are late?", True, ""),
    ],
)
def test_the_answer_goes_the_way_the_question_is_asked(message, problem, expected):
    assert opening(message, problem=problem) == expected


def test_problem_words():
    assert asks_about_problem("is anyone double booked")
    assert asks_about_problem("are we running late")
    assert not asks_about_problem("are we on track")


def test_led_capitalises_without_a_lead():
    assert led("", "no asset") == "No asset"
    assert led("Yes: ", "no asset") == "Yes: no asset"
