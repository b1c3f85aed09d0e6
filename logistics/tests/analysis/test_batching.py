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


def test_within_a_batch_heroes_go_first_then_priority_then_arrival():
    samples = [
        sample("p1", category="Dresses", priority=1, arrived_at=arrived(1)),
        sample("p3", category="Dresses", priority=3, arrived_at=arrived(2)),
        sample("hero", category="Dresses", is_hero=True, priority=5, arrived_at=arrived(3)),
        sample("p1b", category="Dresses", priority=1, arrived_at=arrived(4)),
    ]
    (batch,) = batching(samples).batches
    assert batch.item_ids == ("hero", "p1", "p1b", "p3")
    assert batch.hero_ids == ("hero",)


def test_a_hero_arriving_last_still_puts_its_batch_first():
    samples = [
        sample("t", category="Tops", priority=1, arrived_at=arrived(1)),
        sample("d", category="Dresses", priority=1, arrived_at=arrived(2)),
        sample("dh", category="Dresses", is_hero=True, priority=5, arrived_at=arrived(3)),
    ]
    assert [b.category for b in batching(samples).batches] == ["Dresses", "Tops"]


@pytest.mark.parametrize("table", ["minutes_per_item", "setup_minutes"])
def test_a_bad_override_is_refused_naming_its_table_and_category(table):
    with pytest.raises(ValueError) as refused:
        batching([sample("1")], **{table: {"Dresses": -1}})
    assert str(refused.value) == (
        f"{table}['Dresses'] must be a non-negative whole number of minutes, not -1."
    )
