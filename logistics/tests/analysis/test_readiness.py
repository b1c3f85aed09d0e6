from fractions import Fraction
from math import floor

import pytest

from logistics.analysis.inputs import READY_STATUSES, SampleInput
from logistics.analysis.readiness import (
    EMPTY,
    EMPTY_MESSAGE,
    EMPTY_RECOMMENDATION,
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


def test_empty_campaign_is_a_clear_answer_not_a_crash():
    result = readiness([])
    assert result.overall_percentage == 0
    assert result.status == EMPTY
    assert result.message == EMPTY_MESSAGE
    assert result.recommendations == (EMPTY_RECOMMENDATION,)
    assert result.total == 0
    assert result.not_ready == ()
    assert set(result.counts_by_status.values()) == {0}


def test_all_ready_is_excellent_with_no_recommendations():
    result = readiness([sample("1", "on_set"), sample("2", "shot")])
    assert result.overall_percentage == 100
    assert result.status == "excellent"
    assert result.message == "Campaign is 100% ready: 2 of 2 samples on set or shot."
    assert result.recommendations == ()
    assert result.not_ready == ()


def test_one_sample_message_is_singular():
    assert readiness([sample("1")]).message == (
        "Campaign is 100% ready: 1 of 1 sample on set or shot."
    )


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


def test_not_ready_lists_heroes_first_then_priority_then_name():
    result = readiness(
        [
            sample("a", "requested", name="Belt", priority=1),
            sample("b", "delayed", name="Gown", is_hero=True, priority=2),
            sample("c", "arrived", name="Alpaca coat", priority=1),
            sample("d", "on_set", name="Ready", is_hero=True),
            sample("e", "in_transit", name="Cape", is_hero=True, priority=1),
        ]
    )
    assert [s.id for s in result.not_ready] == ["e", "b", "c", "a"]
    assert result.to_dict()["notReady"][0] == {
        "sampleId": "e",
        "name": "Cape",
        "status": "in_transit",
        "isHero": True,
        "priority": 1,
    }


def test_recommendations_name_the_samples_from_the_data():
    result = readiness(
        [
            sample("1", "on_set"),
            sample("2", "delayed", name="Silk Gown", is_hero=True, courier="DHL",
                   tracking_number="1Z999"),
            sample("3", "delayed", name="Wool Coat", is_hero=True),
            sample("4", "delayed", name="Scarf", priority=1, courier="FedEx"),
            sample("5", "requested", name="Loafers", designer="Maison A"),
            sample("6", "requested", name="Cap"),
            sample("7", "in_transit", name="Tote", tracking_number="T-1"),
            sample("8", "arrived", name="Ring"),
            sample("9", "returned", name="Vest"),
        ]
    )  # fmt: skip
    assert result.overall_percentage == 11
    assert result.status == "critical"
    assert result.message == "Campaign is 11% ready: 1 of 9 samples on set or shot."
    assert result.recommendations == (
        "Chase the delayed hero pieces: Silk Gown (hero, DHL 1Z999) and Wool Coat (hero).",
        "Chase 1 other delayed sample: Scarf (FedEx).",
        "Confirm 2 samples still only requested with the designers: Cap and Loafers (Maison A).",
        "Track 1 sample in transit: Tote (tracking T-1).",
        "Move 1 arrived sample to set: Ring.",
        "Call back 1 returned sample if still needed for the shoot: Vest.",
    )


def test_recommendations_name_five_then_count_the_rest():
    samples = [sample("ok", "on_set")] + [
        sample(str(i), "requested", name=f"Item {i:02d}") for i in range(8)
    ]
    (advice,) = readiness(samples).recommendations
    assert advice == (
        "Confirm 8 samples still only requested with the designers: "
        "Item 00, Item 01, Item 02, Item 03, Item 04 and 3 more."
    )


def test_no_recommendations_at_80_percent_or_more():
    samples = campaign(8, 10)
    samples[9] = sample("9", "delayed", is_hero=True)
    result = readiness(samples)
    assert (result.overall_percentage, result.status, result.recommendations) == (80, "good", ())


def test_recommendations_just_below_80():
    result = readiness(campaign(79, 100))
    assert result.status == "acceptable"
    assert result.recommendations == (
        "Track 21 samples in transit: Sample 79, Sample 80, Sample 81, Sample 82, Sample 83 "
        "and 16 more.",
    )


def test_to_dict_is_the_original_wire_shape_plus_details():
    data = readiness(campaign(1, 8)).to_dict()
    assert list(data) == [
        "overallPercentage",
        "status",
        "message",
        "recommendations",
        "totalSamples",
        "readySamples",
        "countsByStatus",
        "notReady",
    ]
    assert data["overallPercentage"] == 13
    assert data["status"] == "critical"
    assert data["message"] == "Campaign is 13% ready: 1 of 8 samples on set or shot."
    assert len(data["notReady"]) == 7


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
