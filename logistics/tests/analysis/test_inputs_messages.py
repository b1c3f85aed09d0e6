"""The analysis inputs refuse bad values with messages naming the item, the field, the rule
and the value (issue 11, item 7: mutation testing left these messages free to change), and
normalise what they accept (lists to tuples, an empty assignee to none)."""

from __future__ import annotations

import pytest

from logistics.analysis.inputs import (
    AssetInput,
    ImageMetrics,
    SampleInput,
    TaskInput,
)

from .factories import asset, sample, task


def _message(build) -> str:
    with pytest.raises(ValueError) as refused:
        build()
    return str(refused.value)


def test_a_sample_status_outside_the_choices():
    assert _message(lambda: sample("s1", "lost")) == (
        "Sample 's1': status must be one of requested, in_transit, delayed, arrived, on_set, "
        "shot, returned, not 'lost'."
    )


@pytest.mark.parametrize("priority", [0, 6, -1])
def test_a_sample_priority_outside_1_to_5(priority):
    assert _message(lambda: sample("s1", priority=priority)) == (
        f"Sample 's1': priority must be between 1 and 5, not {priority}."
    )


@pytest.mark.parametrize("priority", [1, 5])
def test_priorities_1_and_5_are_accepted(priority):
    assert sample("s1", priority=priority).priority == priority


def test_a_task_status_outside_the_choices():
    assert _message(lambda: task("t1", status="paused")) == (
        "Task 't1': status must be one of todo, in_progress, blocked, done, not 'paused'."
    )


def test_a_negative_task_duration():
    assert _message(lambda: task("t1", -5)) == (
        "Task 't1': duration_minutes must not be negative, not -5."
    )


def test_a_task_of_zero_minutes_is_accepted():
    assert task("t1", 0).duration_minutes == 0


def test_a_task_takes_its_dependencies_as_a_tuple_and_an_empty_assignee_as_none():
    built = TaskInput(
        id="t1",
        title="T",
        status="todo",
        duration_minutes=5,
        depends_on=["a", "b"],
        assignee="",
        earliest_start=None,
        deadline=None,
    )
    assert built.depends_on == ("a", "b") and built.assignee is None
    assert task("t2", assignee="ana").assignee == "ana"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "audio"}, "Asset 'a1': kind must be one of image, video, not 'audio'."),
        (
            {"status": "lost"},
            "Asset 'a1': status must be one of draft, in_review, approved, rejected, not 'lost'.",
        ),
        ({"width": 0}, "Asset 'a1': width must be positive, not 0."),
        ({"height": -3}, "Asset 'a1': height must be positive, not -3."),
    ],
)
def test_an_asset_refuses_with_a_message_naming_the_field(changes, message):
    fields = {"kind": "image", "status": "approved", "width": 1080, "height": 1350, **changes}
    assert _message(lambda: asset("a1", **fields)) == message


def test_an_asset_takes_its_lists_as_tuples_and_sizes_of_1_pixel():
    built = AssetInput(
        id="a1",
        title="A",
        kind="image",
        status="draft",
        width=1,
        height=1,
        duration_seconds=None,
        target_channels=["web"],
        featured_sample_ids=["s1"],
        rights_expire_at=None,
    )
    assert built.target_channels == ("web",) and built.featured_sample_ids == ("s1",)
    assert built.has_size
    assert not asset("a2", width=None).has_size and not asset("a3", height=None).has_size


@pytest.mark.parametrize("field", ["sharpness", "exposure"])
@pytest.mark.parametrize("value", [-0.01, 1.01])
def test_image_metrics_outside_0_to_1(field, value):
    values = {"sharpness": 0.5, "exposure": 0.5, field: value}
    assert _message(lambda: ImageMetrics(**values)) == (
        f"{field} must be between 0 and 1, not {value!r}."
    )


def test_image_metrics_at_0_and_1_and_their_dict():
    assert ImageMetrics(sharpness=0.0, exposure=1.0).to_dict() == {
        "sharpness": 0.0,
        "exposure": 1.0,
    }


def test_a_sample_is_ready_on_set_or_shot_only():
    assert [sample("s", status).is_ready for status in ("on_set", "shot", "arrived")] == [
        True,
        True,
        False,
    ]
    assert isinstance(sample("s"), SampleInput)
