import pytest

from logistics.analysis.batching import (
    CATEGORY_TIMINGS,
    DEFAULT_MINUTES_PER_ITEM,
    DEFAULT_SETUP_MINUTES,
    batching,
    category_timing,
)
from logistics.analysis.categories import OTHER_CATEGORY
from logistics.tests.analysis.factories import NOW, minutes, sample


def arrived(i: int):
    return NOW + minutes(i)


def test_no_samples_is_an_empty_plan():
    plan = batching([])
    assert plan.total_batches == 0
    assert (plan.total_minutes, plan.arrival_order_minutes, plan.minutes_saved) == (0, 0, 0)
    assert plan.estimated_time_savings == "0min"
    assert plan.rationale == "No samples are on set or shot yet, so there is nothing to batch."


def test_only_ready_samples_are_batched():
    plan = batching(
        [
            sample("a", "arrived"),
            sample("b", "delayed"),
            sample("c", "on_set"),
            sample("d", "shot"),
            sample("e", "returned"),
        ]
    )
    assert [batch.item_ids for batch in plan.batches] == [("c", "d")]


def test_categories_are_grouped_case_insensitively_and_blank_is_other():
    plan = batching(
        [
            sample("1", category="Dresses"),
            sample("2", category="  dresses "),
            sample("3", category="DRESSES"),
            sample("4", category=None),
            sample("5", category="   "),
            sample("6", category="t-shirts"),
        ]
    )
    assert [(b.category, b.item_ids) for b in plan.batches] == [
        ("Dresses", ("1", "2", "3")),
        (OTHER_CATEGORY, ("4", "5")),
        ("T-shirts", ("6",)),
    ]


def test_estimated_time_is_setup_plus_time_per_item_from_the_table():
    plan = batching([sample(str(i), category="Jewellery") for i in range(3)])
    (batch,) = plan.batches
    assert CATEGORY_TIMINGS["jewellery"] == (35, 15)
    assert (batch.setup_minutes, batch.minutes_per_item, batch.estimated_minutes) == (35, 15, 80)
    assert plan.total_minutes == 80


def test_unknown_category_uses_the_defaults():
    (batch,) = batching(
        [sample("1", category="Swimwear"), sample("2", category="swimwear")]
    ).batches
    assert (DEFAULT_SETUP_MINUTES, DEFAULT_MINUTES_PER_ITEM) == (20, 15)
    assert (batch.category, batch.setup_minutes, batch.minutes_per_item) == ("Swimwear", 20, 15)
    assert batch.estimated_minutes == 20 + 2 * 15


def test_common_spellings_share_the_table_timings_but_not_the_batch():
    assert category_timing("Jewelry") == category_timing("jewellery") == (35, 15)
    assert category_timing("Shoes") == category_timing("FOOTWEAR") == (25, 10)
    assert category_timing(None) == category_timing("") == (20, 15)


def test_minutes_saved_are_the_setup_changes_avoided():
    # Arrival order: dress, bag, dress, bag, dress → 5 set-ups (3 dress, 2 bag).
    # Batched: 2 set-ups. Saved: 2 dress set-ups (30) + 1 bag set-up (25) = 85.
    samples = [
        sample("d1", category="Dresses", arrived_at=arrived(1)),
        sample("b1", category="Bags", arrived_at=arrived(2)),
        sample("d2", category="Dresses", arrived_at=arrived(3)),
        sample("b2", category="Bags", arrived_at=arrived(4)),
        sample("d3", category="Dresses", arrived_at=arrived(5)),
    ]
    plan = batching(samples)
    items = 3 * 20 + 2 * 12
    assert plan.arrival_order_setups == 5
    assert plan.arrival_order_minutes == items + 3 * 30 + 2 * 25 == 224
    assert plan.total_minutes == items + 30 + 25 == 139
    assert plan.minutes_saved == 85
    assert plan.estimated_time_savings == "1h 25min"
    assert [b.arrival_order_setups for b in plan.batches] == [3, 2]
    assert plan.rationale == (
        "5 ready samples in 2 batches: 2 set-ups instead of 5 in arrival order, saving 1h 25min."
    )
    assert plan.batches[0].rationale == (
        "Shoot 3 items of Dresses on one 30-minute set-up, 20 minutes per item. "
        "Arrival order would build this set-up 3 times (1h more)."
    )


def test_no_savings_when_arrival_order_is_already_grouped():
    samples = [
        sample("d1", category="Dresses", arrived_at=arrived(1)),
        sample("d2", category="Dresses", arrived_at=arrived(2)),
        sample("b1", category="Bags", arrived_at=arrived(3)),
    ]
    plan = batching(samples)
    assert (plan.minutes_saved, plan.arrival_order_setups, plan.total_batches) == (0, 2, 2)
    assert plan.rationale.endswith("so batching saves no time.")


def test_arrival_order_falls_back_to_input_order():
    # Without arrival times: input order d, b, d → 3 set-ups, saving one dress set-up.
    samples = [
        sample("d1", category="Dresses"),
        sample("b1", category="Bags"),
        sample("d2", category="Dresses"),
    ]
    assert batching(samples).minutes_saved == 30
    # Samples with an arrival time come first: b1, d1, d2 are in one run each → no saving.
    timed = [
        sample("d1", category="Dresses"),
        sample("b1", category="Bags", arrived_at=arrived(1)),
        sample("d2", category="Dresses"),
    ]
    assert batching(timed).minutes_saved == 0


def test_batches_with_heroes_first_and_heroes_first_within_a_batch():
    samples = [
        sample("bag", category="Bags", priority=1, arrived_at=arrived(1)),
        sample("d-late", category="Dresses", priority=2, arrived_at=arrived(2)),
        sample("d-early", category="Dresses", priority=2, arrived_at=arrived(0)),
        sample("d-hero", category="Dresses", priority=5, is_hero=True, arrived_at=arrived(9)),
        sample("d-p1", category="Dresses", priority=1, arrived_at=arrived(8)),
    ]
    plan = batching(samples)
    assert [b.category for b in plan.batches] == ["Dresses", "Bags"]
    assert plan.batches[0].item_ids == ("d-hero", "d-p1", "d-early", "d-late")
    assert plan.batches[0].hero_ids == ("d-hero",)
    assert "1 hero piece first" in plan.batches[0].rationale


def test_batches_without_heroes_by_best_priority_then_first_arrival_then_name():
    samples = [
        sample("k", category="Knitwear", priority=3, arrived_at=arrived(5)),
        sample("t", category="Tops", priority=3, arrived_at=arrived(1)),
        sample("f", category="Footwear", priority=2, arrived_at=arrived(9)),
    ]
    assert [b.category for b in batching(samples).batches] == ["Footwear", "Tops", "Knitwear"]
    assert [b.id for b in batching(samples).batches] == [1, 2, 3]


def test_overrides_per_category_case_insensitive_and_by_spelling():
    samples = [sample("1", category="Jewellery"), sample("2", category="Dresses")]
    plan = batching(samples, minutes_per_item={"DRESSES": 10}, setup_minutes={"jewelry": 50})
    assert [(b.category, b.setup_minutes, b.minutes_per_item) for b in plan.batches] == [
        ("Jewellery", 50, 15),
        ("Dresses", 30, 10),
    ]


@pytest.mark.parametrize("value", [-1, 1.5, "10", True])
def test_bad_overrides_are_refused(value):
    with pytest.raises(ValueError, match="must be a non-negative whole number of minutes"):
        batching([sample("1")], setup_minutes={"Dresses": value})


def test_to_dict_is_the_original_wire_shape_plus_details():
    data = batching(
        [
            sample("d1", category="Dresses", name="Gown", arrived_at=arrived(1)),
            sample("b1", category="Bags", name="Tote", arrived_at=arrived(2)),
            sample("d2", category="Dresses", name="Slip", arrived_at=arrived(3)),
        ]
    ).to_dict()
    assert data["totalBatches"] == 2
    assert data["estimatedTimeSavings"] == "30min"
    assert data["minutesSaved"] == 30
    assert list(data) == [
        "totalBatches",
        "totalItems",
        "totalMinutes",
        "arrivalOrderMinutes",
        "arrivalOrderSetups",
        "estimatedTimeSavings",
        "minutesSaved",
        "rationale",
        "batches",
    ]
    assert data["batches"][0] == {
        "id": 1,
        "category": "Dresses",
        "items": ["d1", "d2"],
        "itemNames": ["Gown", "Slip"],
        "heroItems": [],
        "setupMinutes": 30,
        "minutesPerItem": 20,
        "estimatedTime": 70,
        "arrivalOrderSetups": 2,
        "rationale": "Shoot 2 items of Dresses on one 30-minute set-up, 20 minutes per item. "
        "Arrival order would build this set-up 2 times (30min more).",
    }


def test_ten_thousand_samples():
    categories = ["Dresses", "Bags", "Footwear", "Knitwear", None, "Hats"]
    samples = [
        sample(str(i), "on_set", category=categories[i % 6], arrived_at=arrived(i))
        for i in range(10_000)
    ]
    plan = batching(samples)
    assert plan.total_batches == 6
    assert plan.total_items == 10_000
    assert plan.arrival_order_setups == 10_000
    # every category's set-up is built once instead of once per item in arrival order
    per_category = [(30, 1667), (25, 1667), (25, 1667), (20, 1667), (20, 1666), (20, 1666)]
    assert plan.minutes_saved == sum(setup * (count - 1) for setup, count in per_category)
