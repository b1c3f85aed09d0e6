"""Edges of the analysis that mutation testing found unpinned (issue 11, item 7): boundary
values, tie-breaks, errors naming the bad value, and the caller's image left untouched."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from PIL import Image, JpegImagePlugin

from logistics.analysis import recommendations as recommendations_module
from logistics.analysis.batching import batching, category_timing
from logistics.analysis.categories import category_key
from logistics.analysis.conflicts import conflicts
from logistics.analysis.critical_path import critical_path
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.image_metrics import (
    IMAGE_TOO_LARGE_MESSAGE,
    InvalidImageError,
    exposure_score,
    laplacian_variance,
    measure_image,
)
from logistics.analysis.inputs import ImageMetrics
from logistics.analysis.logistics_analyzer import analyze_logistics
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.media_channels import UnknownChannelError
from logistics.analysis.media_scores import (
    FLAG_RIGHTS_BEFORE_SHOOT,
    FLAG_RIGHTS_EXPIRED,
    FLAG_RIGHTS_SOON,
    RIGHTS_SOON,
)
from logistics.analysis.readiness import ADVICE_CHASE_DELAYED, readiness
from logistics.analysis.recommendations import recommend
from logistics.analysis.rounding import half_up, percent_half_up
from logistics.analysis.task_graph import CycleError

from .factories import NOW, asset, sample, task

# --- severity near the shoot ---------------------------------------------------------------


def test_raising_a_severity_stops_at_critical():
    raise_ = recommendations_module._raise
    assert [raise_(s, True) for s in ("critical", "high", "medium", "low")] == [
        "critical",
        "critical",
        "high",
        "medium",
    ]
    assert raise_("low", False) == "low"


def test_the_shoot_is_soon_up_to_two_days_ahead():
    soon = recommendations_module._shoot_soon
    assert soon(NOW, (NOW + timedelta(days=2)).date()) is True
    assert soon(NOW, (NOW + timedelta(days=3)).date()) is False
    assert soon(NOW, None) is False


# --- recommendations' order and subjects ---------------------------------------------------


def test_delayed_heroes_keep_the_blockers_order_priority_before_name():
    found = recommend(
        samples=[
            sample("z", "delayed", name="Zed gown", is_hero=True, priority=1),
            sample("a", "delayed", name="Amy skirt", is_hero=True, priority=3),
        ],
        tasks=[],
        assets=[],
        now=NOW,
        shoot_date=None,
    )
    heroes = [r.subject for r in found if r.code == "chase_hero_sample"]
    assert heroes == ["z", "a"]


def test_the_shoot_day_itself_counts_as_after_the_shoot_for_media():
    hero = sample("h", "on_set", name="Gown", is_hero=True)

    def gap(shoot_date):
        found = recommend(samples=[hero], tasks=[], assets=[], now=NOW, shoot_date=shoot_date)
        (gap,) = [r for r in found if r.code == "hero_without_asset"]
        return gap.severity, gap.facts["after_shoot"]

    assert gap(NOW.date()) == ("high", True)
    assert gap((NOW + timedelta(days=1)).date()) == ("medium", False)


def test_a_channel_gap_without_any_candidate_names_none():
    found = recommend(
        samples=[sample("s")],
        tasks=[],
        # A video cannot serve an image-only channel: there is no candidate at all.
        assets=[asset("a", kind="video", width=1920, height=1080, channels=["ecommerce"])],
        now=NOW,
        shoot_date=None,
    )
    (gap,) = [r for r in found if r.code == "channel_without_asset"]
    assert gap.facts["closest"] is None and gap.facts["gap"].closest_asset_id is None


# --- media -----------------------------------------------------------------------------------


def test_best_for_puts_the_better_fit_first_between_equal_scores():
    exact = asset("exact", title="Zed", width=1080, height=1350)  # 4:5 exactly
    close = asset("close", title="Amy", width=1080, height=1400)  # needs a little crop
    analysis = score_assets([close, exact], samples=[], shoot_date=None, now=NOW)
    scores = {a.asset_id: a.channel_scores["instagram_feed"] for a in analysis.ranking}
    assert scores["exact"] == scores["close"]
    assert [a.asset_id for a in analysis.best_for("instagram_feed")] == ["exact", "close"]


def test_an_unknown_channel_error_keeps_the_name():
    error = UnknownChannelError("myspace")
    assert (error.name, error.code, error.args) == (
        "myspace",
        "UNKNOWN_CHANNEL",
        (error.code, "myspace"),
    )


def test_an_asset_featuring_unknown_samples_lists_them_sorted():
    analysis = score_assets(
        [asset("a", features=["x2", "s", "x1"])], samples=[sample("s")], shoot_date=None, now=NOW
    )
    assert analysis.ranking[0].unknown_sample_ids == ("x1", "x2")


def test_an_asset_with_only_a_width_has_no_size():
    analysis = score_assets(
        [asset("a", width=1080, height=None)], samples=[], shoot_date=None, now=NOW
    )
    assert analysis.ranking[0].fit_for("instagram_feed") is None


def _rights_flags(expires, shoot_date=None) -> list[str]:
    analysis = score_assets(
        [asset("a", rights_expire_at=expires)], samples=[], shoot_date=shoot_date, now=NOW
    )
    return list(analysis.ranking[0].flags)


def test_rights_ending_now_have_expired():
    assert FLAG_RIGHTS_EXPIRED in _rights_flags(NOW)
    assert FLAG_RIGHTS_EXPIRED not in _rights_flags(NOW + timedelta(seconds=1))


def test_rights_ending_exactly_when_the_shoot_day_ends_last_the_shoot():
    shoot = (NOW + timedelta(days=3)).date()
    shoot_end = datetime.combine(shoot + timedelta(days=1), time.min, tzinfo=NOW.tzinfo)
    assert FLAG_RIGHTS_BEFORE_SHOOT in _rights_flags(shoot_end - timedelta(seconds=1), shoot)
    assert FLAG_RIGHTS_BEFORE_SHOOT not in _rights_flags(shoot_end, shoot)
    # Soon means under RIGHTS_SOON after the shoot: exactly RIGHTS_SOON is not soon.
    assert _rights_flags(shoot_end + RIGHTS_SOON, shoot) == []
    assert FLAG_RIGHTS_SOON in _rights_flags(shoot_end + RIGHTS_SOON - timedelta(1), shoot)


def test_equal_samples_and_assets_are_ordered_by_id():
    ready = readiness(
        [sample("b", "requested", name="Same"), sample("a", "requested", name="Same")]
    )
    assert [s.id for s in ready.not_ready] == ["a", "b"]
    media = score_assets(
        [asset("b", title="Same"), asset("a", title="Same")], samples=[], shoot_date=None, now=NOW
    )
    assert [a.asset_id for a in media.ranking] == ["a", "b"]


# --- schedule ---------------------------------------------------------------------------------


def test_a_cycle_error_without_titles_uses_the_ids():
    error = CycleError(["a", "b", "a"])
    assert error.titles == ["a", "b", "a"]
    assert (error.code, error.args) == ("DEPENDENCY_CYCLE", ("DEPENDENCY_CYCLE", ["a", "b", "a"]))


def test_a_cycle_is_found_when_the_first_task_is_outside_it():
    tasks = [task("free", 5), task("a", 10, ["c"]), task("b", 10, ["a"]), task("c", 10, ["b"])]
    with pytest.raises(CycleError) as found:
        analyze_events(tasks, start=NOW)
    assert found.value.cycle == ["a", "b", "c", "a"]
    assert found.value.titles == ["A", "B", "C", "A"]


def test_a_done_task_is_placed_at_once_whatever_its_earliest_start():
    analysis = analyze_events(
        [task("a", 30, status="done", earliest_start=NOW + timedelta(hours=2))], start=NOW
    )
    (planned,) = analysis.schedule.tasks
    assert planned.start_minute == 0


def test_a_done_task_holds_nobody():
    # b is critical and goes first for ana; the done task a must not wait behind it.
    analysis = analyze_events(
        [task("a", 10, status="done", assignee="ana"), task("b", 30, assignee="ana")],
        start=NOW,
    )
    starts = {planned.id: planned.start_minute for planned in analysis.schedule.tasks}
    assert starts == {"a": 0, "b": 0}


def test_one_minute_tasks_of_one_person_at_once_are_a_conflict():
    found = conflicts(
        [
            task("a", 1, assignee="ana", earliest_start=NOW),
            task("b", 1, assignee="ana", earliest_start=NOW),
        ]
    )
    assert [(c.task_ids, c.overlap_minutes) for c in found] == [(("a", "b"), 1)]


def test_the_critical_path_result_keeps_the_topological_order():
    result = critical_path([task("b", 10, ["a"]), task("a", 10)])
    assert result.topological_order == ("a", "b")


# --- batching timings, logistics errors, inputs ---------------------------------------------


def test_category_timing_overrides_and_names_the_table_of_a_bad_one():
    default = category_timing("dresses")
    assert category_timing("dresses", minutes_per_item={"dresses": 5}) == (default[0], 5)
    assert category_timing("dresses", setup_minutes={"Dresses": 50}) == (50, default[1])
    with pytest.raises(ValueError, match="minutes_per_item"):
        category_timing("dresses", minutes_per_item={"dresses": -1})
    with pytest.raises(ValueError, match="setup_minutes"):
        category_timing("dresses", setup_minutes={"dresses": True})


def test_a_zero_minute_override_is_allowed_and_a_bad_one_is_quoted():
    assert category_timing("dresses", setup_minutes={"dresses": 0})[0] == 0
    with pytest.raises(ValueError) as refused:
        category_timing("dresses", minutes_per_item={"Dresses": -2})
    assert str(refused.value) == (
        "minutes_per_item['Dresses'] must be a non-negative whole number of minutes, not -2."
    )
    with pytest.raises(ValueError) as refused:
        category_timing("dresses", setup_minutes={"Dresses": -1})
    assert str(refused.value).startswith("setup_minutes['Dresses'] must be")


def test_batches_without_heroes_follow_the_first_arrival_of_their_category():
    plan = batching(
        [
            sample("t1", category="Tops", arrived_at=NOW - timedelta(hours=5)),
            sample("d1", category="Dresses", arrived_at=NOW - timedelta(hours=4)),
            sample("t2", category="Tops", arrived_at=NOW - timedelta(hours=3)),
            sample("b1", category="Bags", arrived_at=NOW - timedelta(hours=2)),
        ]
    )
    assert [batch.category for batch in plan.batches] == ["Tops", "Dresses", "Bags"]


def test_a_batch_holding_a_hero_comes_first_whatever_its_arrival():
    plan = batching(
        [
            sample("t1", category="Tops", arrived_at=NOW - timedelta(hours=5)),
            sample("d1", category="Dresses", is_hero=True, arrived_at=NOW - timedelta(hours=1)),
        ]
    )
    assert [batch.category for batch in plan.batches] == ["Dresses", "Tops"]
    assert plan.batches[0].hero_ids == ("d1",)


def test_bad_batching_overrides_name_their_table():
    with pytest.raises(ValueError, match="minutes_per_item"):
        batching([sample("a")], minutes_per_item={"dresses": -1})
    with pytest.raises(ValueError, match="setup_minutes"):
        batching([sample("a")], setup_minutes={"dresses": 1.5})


def test_category_keys_collapse_spaces_and_case():
    assert category_key("  Evening   Wear ") == "evening wear"
    assert category_key(None) == category_key("   ") == "other"


def test_an_unknown_analysis_type_is_named_in_the_error():
    with pytest.raises(ValueError) as refused:
        analyze_logistics([], "nonsense", now=NOW)
    assert str(refused.value) == (
        "analysisType must be one of readiness, blockers, batching, all, not 'nonsense'."
    )


def test_image_metrics_outside_0_1_are_named_in_the_error():
    with pytest.raises(ValueError, match=r"sharpness must be between 0 and 1, not 1\.5"):
        ImageMetrics(sharpness=1.5, exposure=0.5)


def test_delayed_samples_without_heroes_are_chased_as_such():
    advice = readiness([sample("d", "delayed", name="Coat"), sample("o", "on_set")]).advice
    assert [(a.code, [s.id for s in a.samples]) for a in advice] == [(ADVICE_CHASE_DELAYED, ["d"])]


# --- rounding -------------------------------------------------------------------------------


def test_half_up_rounds_to_whole_numbers_by_default():
    assert half_up(2.5) == 3.0
    assert half_up(2.45) == 2.0
    assert half_up(2.45, 1) == 2.5
    assert half_up(0.0425, 3) == 0.043


def test_percent_half_up_refuses_nothing_and_negative_parts_in_words():
    with pytest.raises(ValueError) as nothing:
        percent_half_up(1, 0)
    assert str(nothing.value) == "whole must be positive"
    with pytest.raises(ValueError) as negative:
        percent_half_up(-1, 8)
    assert str(negative.value) == "part must not be negative"
    assert percent_half_up(1, 8) == 13 and percent_half_up(0, 8) == 0


# --- pixels ---------------------------------------------------------------------------------


def _gray(width: int, height: int, pixels: dict[tuple[int, int], int]) -> Image.Image:
    image = Image.new("L", (width, height), 0)
    for xy, value in pixels.items():
        image.putpixel(xy, value)
    return image


def test_laplacian_variance_of_a_known_image():
    # One pixel of 60 at (1, 1): the inner 3 x 3 holds -240 there, +60 at its two inner
    # neighbours, 0 elsewhere: mean -120/9, mean of squares 64,800/9.
    image = _gray(5, 5, {(1, 1): 60})
    expected = 64_800 / 9 - (120 / 9) ** 2
    assert laplacian_variance(image) == pytest.approx(expected)


@pytest.mark.parametrize("size", [(2, 2), (2, 10), (10, 2), (1, 1)])
def test_images_too_small_to_filter_have_no_laplacian(size):
    assert laplacian_variance(_gray(*size, {(0, 0): 200})) == 0.0


@pytest.mark.parametrize("size", [(3, 5), (5, 3)])
def test_three_pixels_on_a_side_are_enough(size):
    width, height = size
    pixels = {(x, y): (x * 70 + y * 50) % 256 for x in range(width) for y in range(height)}
    assert laplacian_variance(_gray(width, height, pixels)) > 0.0


def test_exposure_of_an_empty_image_is_zero():
    assert exposure_score(Image.new("L", (0, 0))) == 0.0


def test_exposure_counts_only_values_up_to_the_shadow_clip_as_clipped():
    # All pixels at 5 (just above SHADOW_CLIP = 4): dark but not clipped.
    assert exposure_score(Image.new("L", (4, 4), 5)) == pytest.approx(1 - 113 / 118)
    assert exposure_score(Image.new("L", (4, 4), 4)) == 0.0


def test_exposure_is_rounded_to_three_places():
    assert measure_image(Image.new("L", (8, 8), 5)).exposure == 0.042


def test_a_decompression_bomb_is_refused_with_its_own_message(monkeypatch):
    buffer = io.BytesIO()
    Image.new("L", (20, 20)).save(buffer, format="PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 400 pixels is over twice this
    with pytest.raises(InvalidImageError) as refused:
        measure_image(io.BytesIO(buffer.getvalue()))
    assert str(refused.value) == IMAGE_TOO_LARGE_MESSAGE


def test_a_jpeg_opened_by_the_caller_is_not_drafted_by_measuring_it():
    buffer = io.BytesIO()
    Image.new("RGB", (2048, 1536), (120, 110, 100)).save(buffer, format="JPEG")
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        measure_image(image, max_decode_bytes=10**9)
        assert image.size == (2048, 1536)  # a draft would have shrunk the caller's image


def test_a_jpeg_opened_here_is_drafted_to_grayscale_at_the_measuring_size(monkeypatch):
    calls = []
    real = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        calls.append((mode, size))
        return real(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    buffer = io.BytesIO()
    Image.new("RGB", (2048, 1536), (120, 110, 100)).save(buffer, format="JPEG")
    buffer.seek(0)
    measure_image(buffer)
    assert calls == [("L", (512, 512))]


def test_a_rejected_asset_ranked_first_does_not_hide_the_next_assets_rights():
    # The rejected asset features a hero and has no expiry: it outscores the approved one
    # whose rights have lapsed, and its own rights call for nothing.
    found = recommend(
        samples=[sample("h", is_hero=True)],
        tasks=[],
        assets=[
            asset("rejected", status="rejected", features=["h"]),
            asset("lapsed", rights_expire_at=NOW - timedelta(days=1)),
            asset("review", status="in_review", title="Look", rights_expire_at=NOW),
        ],
        now=NOW,
        shoot_date=None,
    )
    media = [(r.code, r.subject) for r in found if r.kit == "media"]
    assert ("rights_expired", "lapsed") in media and ("rights_expired", "review") in media
    assert ("rights_expired", "rejected") not in media


def test_best_for_keeps_assets_that_tie_on_everything():
    # Two inline assets may share an id, a title and a score while differing elsewhere
    # (here an unknown featured sample): both are candidates, in input order.
    twins = [asset("a", title="Same", features=["x"]), asset("a", title="Same")]
    analysis = score_assets(twins, samples=[], shoot_date=None, now=NOW)
    best = analysis.best_for("instagram_feed")
    assert [(a.asset_id, a.unknown_sample_ids) for a in best] == [("a", ("x",)), ("a", ())]


def test_the_minutes_left_on_the_rights_are_whole_and_rounded_down():
    def left(expires):
        (scored,) = score_assets(
            [asset("a", rights_expire_at=expires)], samples=[], shoot_date=None, now=NOW
        ).ranking
        return scored.rights.minutes_left

    assert left(NOW + timedelta(seconds=90)) == 1
    assert left(NOW - timedelta(seconds=30)) == -1
    assert isinstance(left(NOW + timedelta(seconds=90)), int)
