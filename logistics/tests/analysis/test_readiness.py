from fractions import Fraction
from math import floor

import pytest

from logistics.analysis.inputs import READY_STATUSES, SampleInput
from logistics.analysis.readiness import (
    ADVICE_ADD_SAMPLES,
    EMPTY,
    Advice,
    readiness,
    readiness_status,
)
from logistics.analysis.rounding import half_up, half_up_int, percent_half_up
from logistics.tests.analysis.factories import sample


def campaign(ready: int, total: int) -> list[SampleInput]:
    return [sample(str(i), "on_set" if i < ready else "in_transit") for i in range(total)]


def test_ready_means_on_set_or_shot_only():
    assert frozenset({"on_set", "shot"}) == READY_STATUSES
    result = readiness([sample("1", status) for status in ("on_set", "shot", "arrived")])
    assert (result.ready, result.total, result.overall_percentage) == (2, 3, 67)


@pytest.mark.parametrize(
    ("ready", "total", "expected"),
    [
        (1, 8, 13),  # 12.5 → 13, not banker's 12
        (3, 8, 38),  # 37.5 → 38
        (5, 8, 63),  # 62.5 → 63, not banker's 62
        (7, 8, 88),  # 87.5 → 88
        (1, 200, 1),  # 0.5 → 1, not banker's 0
        (1, 3, 33),
        (2, 3, 67),
        (0, 5, 0),
        (199, 200, 100),  # 99.5 → 100
    ],
)
def test_percentage_rounds_half_up(ready, total, expected):
    assert readiness(campaign(ready, total)).overall_percentage == expected


def test_percent_half_up_agrees_with_exact_arithmetic():
    for whole in range(1, 201):
        for part in range(whole + 1):
            assert percent_half_up(part, whole) == floor(
                Fraction(100 * part, whole) + Fraction(1, 2)
            )


def test_percent_half_up_refuses_nothing_to_divide_by():
    with pytest.raises(ValueError):
        percent_half_up(0, 0)


def test_half_up_helpers():
    assert half_up(2.675, 2) == 2.68
    assert half_up(0.05, 1) == 0.1
    assert half_up_int(0.5) == 1
    assert half_up_int(2.5) == 3
    assert half_up_int(56.25) == 56


@pytest.mark.parametrize(
    ("percentage", "status"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89, "good"),
        (80, "good"),
        (79, "acceptable"),
        (70, "acceptable"),
        (69, "critical"),
        (0, "critical"),
    ],
)
def test_status_thresholds(percentage, status):
    assert readiness_status(percentage) == status
    assert readiness(campaign(percentage, 100)).status == status


def test_thresholds_apply_to_the_rounded_percentage():
    # 8.95 of 10 would be 89.5 → 90: 179 of 200 is 89.5 % → 90 → excellent
    result = readiness(campaign(179, 200))
    assert (result.overall_percentage, result.status) == (90, "excellent")


def test_counts_by_status_cover_every_status():
    result = readiness(
        [
            sample("1", "delayed"),
            sample("2", "delayed"),
            sample("3", "shot"),
            sample("4", "returned"),
        ]
    )
    assert result.counts_by_status == {
        "requested": 0,
        "in_transit": 0,
        "delayed": 2,
        "arrived": 0,
        "on_set": 0,
        "shot": 1,
        "returned": 1,
    }


def test_unknown_status_is_refused_at_the_input():
    with pytest.raises(ValueError, match="status must be one of"):
        sample("x", "lost")


def test_priority_out_of_range_is_refused_at_the_input():
    with pytest.raises(ValueError, match="priority must be between 1 and 5"):
        sample("x", priority=0)


def test_ten_thousand_samples():
    statuses = ("requested", "in_transit", "delayed", "arrived", "on_set", "shot", "returned")
    samples = [
        sample(str(i), statuses[i % 7], is_hero=i % 50 == 0, priority=1 + i % 5)
        for i in range(10_000)
    ]
    result = readiness(samples)
    assert (result.ready, result.total) == (2_856, 10_000)
    assert result.overall_percentage == 29
    assert len(result.not_ready) == 7_144
    assert result.not_ready[0].is_hero


def test_an_empty_campaign_is_advised_to_add_samples():
    result = readiness([])
    assert (result.overall_percentage, result.status, result.total) == (0, EMPTY, 0)
    assert result.advice == (Advice(ADVICE_ADD_SAMPLES),)
    assert result.not_ready == ()
    assert result.ready == 0
    assert result.counts_by_status == {
        "requested": 0,
        "in_transit": 0,
        "delayed": 0,
        "arrived": 0,
        "on_set": 0,
        "shot": 0,
        "returned": 0,
    }


def test_advice_is_a_code_per_kind_of_missing_sample_with_the_samples_concerned():
    result = readiness(
        [
            sample("1", "on_set"),
            sample("2", "delayed", name="Silk Gown", is_hero=True),
            sample("3", "delayed", name="Wool Coat", is_hero=True),
            sample("4", "delayed", name="Scarf", priority=1),
            sample("5", "requested", name="Loafers"),
            sample("6", "requested", name="Cap"),
            sample("7", "in_transit", name="Tote"),
            sample("8", "arrived", name="Ring"),
            sample("9", "returned", name="Vest"),
        ]
    )
    assert [(a.code, [s.id for s in a.samples]) for a in result.advice] == [
        ("chase_delayed_heroes", ["2", "3"]),
        ("chase_delayed", ["4"]),
        ("confirm_requested", ["6", "5"]),
        ("track_in_transit", ["7"]),
        ("move_arrived", ["8"]),
        ("recall_returned", ["9"]),
    ]
    assert readiness(campaign(8, 10)).advice == ()  # 80 %: no advice
