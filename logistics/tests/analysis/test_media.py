from datetime import date, timedelta
from itertools import pairwise

import pytest

from logistics.analysis import media_scores
from logistics.analysis.inputs import ImageMetrics
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.media_channels import CHANNELS, ChannelFit, UnknownChannelError, channel_fit
from logistics.analysis.media_scores import (
    FLAG_LOW_RESOLUTION,
    FLAG_NO_SIZE,
    FLAG_REJECTED,
    FLAG_RIGHTS_BEFORE_SHOOT,
    FLAG_RIGHTS_EXPIRED,
    FLAG_RIGHTS_SOON,
    FLAG_UNKNOWN_CHANNEL,
)
from logistics.tests.analysis.factories import NOW, asset, sample

SHOOT = date(2025, 3, 10)
HERO = sample("hero", is_hero=True, name="Silk Gown", priority=1)
OTHER = sample("other", name="Belt")
SAMPLES = [HERO, OTHER]


def score(*assets, samples=SAMPLES, shoot_date=SHOOT):
    return score_assets(list(assets), samples=samples, shoot_date=shoot_date, now=NOW)


def fit_of(width, height, kind, channel) -> ChannelFit:
    fit = channel_fit(width, height, kind, CHANNELS[channel])
    assert fit is not None
    return fit


def breakdown(scored):
    return {c.name: (c.points, c.max_points) for c in scored.breakdown}


def codes(scored):
    return {c.name: c.code for c in scored.breakdown}


def test_perfect_asset_scores_100():
    (scored,) = score(
        asset("a", features=["hero"], pixels=ImageMetrics(sharpness=1.0, exposure=1.0))
    ).ranking
    assert scored.score == 100
    assert breakdown(scored) == {
        "resolution": (20.0, 20),
        "aspect_ratio": (15.0, 15),
        "hero_coverage": (15, 15),
        "approval": (20, 20),
        "rights": (10, 10),
        "sharpness": (10.0, 10),
        "exposure": (10.0, 10),
    }
    assert scored.flags == ()
    assert scored.usable
    assert codes(scored) == {
        "resolution": "meets_minimum",
        "aspect_ratio": "judged",
        "hero_coverage": "features_hero",
        "approval": "approved",
        "rights": "no_expiry",
        "sharpness": "measured",
        "exposure": "measured",
    }
    assert scored.measured == ImageMetrics(sharpness=1.0, exposure=1.0)


def test_score_is_points_over_available_points_rounded_half_up():
    (scored,) = score(
        asset("a", status="in_review", features=["other"], pixels=ImageMetrics(0.55, 0.25))
    ).ranking
    # 20 + 15 + 6 + 12 + 10 + 5.5 + 2.5 = 71 of 100
    assert breakdown(scored)["sharpness"] == (5.5, 10)
    assert breakdown(scored)["exposure"] == (2.5, 10)
    assert scored.score == 71


def test_unmeasured_assets_are_not_marked_down_for_pixels():
    (video,) = score(
        asset("v", kind="video", width=1920, height=1080, channels=["youtube"], features=["hero"])
    ).ranking
    assert breakdown(video)["sharpness"] == (0.0, 0)
    assert codes(video)["sharpness"] == codes(video)["exposure"] == "not_measured"
    assert video.measured is None
    assert video.score == 100


@pytest.mark.parametrize(
    ("status", "points"), [("approved", 20), ("in_review", 12), ("draft", 5), ("rejected", 0)]
)
def test_approval_points(status, points):
    (scored,) = score(asset("a", status=status)).ranking
    assert breakdown(scored)["approval"] == (points, 20)
    assert scored.usable == (status != "rejected")
    assert (FLAG_REJECTED in scored.flags) == (status == "rejected")


def test_hero_coverage_points():
    hero, other, nothing = (
        score(asset("a", features=f)).ranking[0] for f in (["hero", "other"], ["other"], [])
    )
    assert breakdown(hero)["hero_coverage"] == (15, 15)
    assert hero.features_hero
    assert breakdown(other)["hero_coverage"] == (6, 15)
    assert breakdown(nothing)["hero_coverage"] == (0, 15)
    assert [codes(a)["hero_coverage"] for a in (hero, other, nothing)] == [
        "features_hero",
        "features_samples",
        "features_none",
    ]


def test_asset_with_no_size_gets_no_channel_points_and_a_note():
    (scored,) = score(asset("a", width=None, height=None, features=["hero"])).ranking
    assert breakdown(scored)["resolution"] == (0.0, 20)
    assert breakdown(scored)["aspect_ratio"] == (0.0, 15)
    assert FLAG_NO_SIZE in scored.flags
    assert (codes(scored)["resolution"], codes(scored)["aspect_ratio"]) == ("no_size", "no_size")
    assert scored.judged_fits == scored.target_fits == scored.best_channels == ()
    # hero 15 + approval 20 + rights 10 = 45 of 80 available → 56.25 → 56
    assert scored.score == 56


def test_expired_rights_score_zero_flag_and_make_the_asset_unusable():
    expired = asset("a", features=["hero"], rights_expire_at=NOW - timedelta(days=1))
    (scored,) = score(expired).ranking
    assert breakdown(scored)["rights"] == (0, 10)
    assert FLAG_RIGHTS_EXPIRED in scored.flags
    assert (scored.rights.code, scored.rights.minutes_left) == ("rights_expired", -1440)
    assert not scored.usable


def test_rights_that_lapse_before_the_end_of_the_shoot_day():
    last_day = score(asset("a", rights_expire_at=NOW.replace(day=10, hour=18))).ranking[0]
    assert breakdown(last_day)["rights"] == (0, 10)
    assert FLAG_RIGHTS_BEFORE_SHOOT in last_day.flags
    assert (last_day.rights.code, last_day.rights.shoot_date) == (
        "rights_expire_before_shoot",
        SHOOT,
    )
    assert last_day.usable  # still usable today
    next_day = score(asset("a", rights_expire_at=NOW.replace(day=11))).ranking[0]
    assert breakdown(next_day)["rights"] == (5, 10)
    assert FLAG_RIGHTS_SOON in next_day.flags
    later = score(asset("a", rights_expire_at=NOW.replace(month=6))).ranking[0]
    assert breakdown(later)["rights"] == (10, 10)
    assert later.flags == ()
    assert later.rights.code == codes(later)["rights"] == media_scores.RIGHTS_VALID


def test_rights_without_a_shoot_date_are_judged_against_now():
    soon = score(asset("a", rights_expire_at=NOW + timedelta(days=3)), shoot_date=None).ranking[0]
    assert breakdown(soon)["rights"] == (5, 10)
    assert soon.rights == media_scores.Rights(
        "rights_expiring_soon", 5, NOW + timedelta(days=3), 3 * 24 * 60, None
    )


def test_unknown_channel_is_ignored_with_a_note():
    (scored,) = score(asset("a", channels=["instagram", "fax"])).ranking
    assert FLAG_UNKNOWN_CHANNEL in scored.flags
    assert scored.unknown_channels == ("fax",)
    assert [f.channel for f in scored.target_fits] == ["instagram_feed"]


def test_channel_fit_is_averaged_over_the_target_channels():
    (scored,) = score(asset("a", width=1080, height=1350, channels=["feed", "story"])).ranking
    story = fit_of(1080, 1350, "image", "instagram_story")
    assert breakdown(scored)["resolution"] == (round(20 * (1 + story.resolution) / 2, 1), 20)
    assert FLAG_LOW_RESOLUTION in scored.flags


def test_asset_kind_unsuitable_for_a_target_channel():
    (scored,) = score(
        asset("v", kind="video", width=1920, height=1080, channels=["youtube", "ecommerce"])
    ).ranking
    assert [(f.channel, f.fit) for f in scored.target_fits] == [
        ("youtube", 1.0),
        ("ecommerce", 0.0),
    ]
    assert breakdown(scored)["resolution"] == (10.0, 20)
    assert [(f.suitable, f.kind) for f in scored.target_fits] == [(True, "video"), (False, "video")]
    assert codes(scored)["resolution"] == "below_minimum"


def test_no_target_channel_is_judged_on_its_best_channel():
    (scored,) = score(asset("a", width=1920, height=1080, channels=[])).ranking
    assert breakdown(scored)["resolution"] == (20.0, 20)
    assert scored.target_fits == ()
    assert [f.channel for f in scored.judged_fits] == ["web_hero"]


def test_best_channels_are_ranked_by_fit():
    (scored,) = score(asset("a", width=1080, height=1920)).ranking
    assert [f.channel for f in scored.best_channels[:2]] == ["instagram_story", "tiktok"]
    assert all(a.fit >= b.fit for a, b in pairwise(scored.best_channels))
    assert "youtube" not in [f.channel for f in scored.best_channels]  # an image


def test_ranking_by_score_then_title():
    analysis = score(
        asset("low", status="draft"),
        asset("b", title="Beta", features=["hero"]),
        asset("a", title="Alpha", features=["hero"]),
    )
    assert [a.asset_id for a in analysis.ranking] == ["a", "b", "low"]
    assert analysis.asset("low").score < analysis.asset("a").score


def test_best_for_a_channel():
    analysis = score(
        asset("feed", width=1080, height=1350, channels=["instagram"]),
        asset("story", width=1080, height=1920, channels=["story"], features=["hero"]),
        asset("gone", width=1080, height=1350, rights_expire_at=NOW - timedelta(hours=1)),
        asset("no", status="rejected", width=1080, height=1350),
        asset("clip", kind="video", width=1920, height=1080, channels=["youtube"]),
    )
    # The story frame and the clip would need a big crop: they come after the frame that
    # fits, the story frame first because it features the hero. Expired and rejected: never.
    assert [a.asset_id for a in analysis.best_for("Instagram")] == ["feed", "story", "clip"]
    assert [a.asset_id for a in analysis.best_for("story", limit=1)] == ["story"]
    assert [a.asset_id for a in analysis.best_for("youtube")] == ["clip"]
    with pytest.raises(UnknownChannelError) as caught:
        analysis.best_for("fax")
    assert (caught.value.name, caught.value.code) == ("fax", "UNKNOWN_CHANNEL")


def test_coverage_gaps():
    analysis = score(
        asset("approved", features=["other"], channels=["instagram"]),
        asset("draft", status="draft", features=["hero"], channels=["story"]),
        asset("expired", features=["hero"], rights_expire_at=NOW - timedelta(days=1)),
    )
    (hero_gap,) = analysis.coverage_gaps.hero_samples
    assert (hero_gap.sample_id, hero_gap.name, hero_gap.candidate_asset_id) == (
        "hero",
        "Silk Gown",
        "draft",
    )
    (channel_gap,) = analysis.coverage_gaps.channels
    # closest: the usable asset that fits best (all three are the same size; ranking decides)
    assert (channel_gap.channel, channel_gap.closest_asset_id) == ("instagram_story", "approved")
    assert analysis.channels == ("instagram_feed", "instagram_story")


def test_assets_by_flag():
    analysis = score(
        asset("ok", rights_expire_at=NOW.replace(month=6)),
        asset("last", rights_expire_at=NOW.replace(day=10, hour=18)),
        asset("gone", rights_expire_at=NOW - timedelta(days=1)),
    )
    assert [a.asset_id for a in analysis.flagged(FLAG_RIGHTS_BEFORE_SHOOT)] == ["last"]
    assert [a.asset_id for a in analysis.flagged(FLAG_RIGHTS_EXPIRED)] == ["gone"]
    assert analysis.flagged(FLAG_NO_SIZE) == []


def test_approved_asset_that_needs_a_big_crop_does_not_close_a_channel_gap():
    analysis = score(asset("wide", width=3840, height=2160, channels=["instagram"]))
    assert [g.channel for g in analysis.coverage_gaps.channels] == ["instagram_feed"]


def test_a_channel_targeted_only_by_an_asset_with_no_size_is_a_gap():
    analysis = score(asset("a", width=None, height=None, channels=["tiktok"]))
    assert analysis.ranking[0].target_channels == ("tiktok",)
    assert [(g.channel, g.closest_asset_id) for g in analysis.coverage_gaps.channels] == [
        ("tiktok", None)
    ]


def test_no_assets():
    analysis = score()
    assert analysis.ranking == ()
    assert [g.sample_id for g in analysis.coverage_gaps.hero_samples] == ["hero"]
    assert analysis.coverage_gaps.channels == ()
    assert analysis.channels == ()


def test_unknown_samples_are_kept_as_facts():
    (scored,) = score(asset("a", features=["other", "zz", "aa"])).ranking
    assert scored.unknown_sample_ids == ("aa", "zz")
    assert breakdown(scored)["hero_coverage"] == (6, 15)


def test_bad_asset_inputs_are_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        asset("a", kind="gif")
    with pytest.raises(ValueError, match="width must be positive"):
        asset("a", width=0)
    with pytest.raises(ValueError, match="sharpness must be between 0 and 1"):
        ImageMetrics(sharpness=1.5, exposure=0.5)


def test_two_thousand_assets():
    channels = ["instagram", "story", "web", "ecommerce", "print", "tiktok"]
    sizes = [(1080, 1350), (1080, 1920), (1920, 1080), (3000, 3000), (800, 600), (None, None)]
    samples = [sample(f"s{i}", is_hero=i % 10 == 0) for i in range(500)]
    assets = [
        asset(
            f"a{i}",
            width=sizes[i % 6][0],
            height=sizes[i % 6][1],
            status=["approved", "draft", "in_review", "rejected"][i % 4],
            channels=[channels[i % 6], channels[(i + 1) % 6]],
            features=[f"s{i % 500}"],
            pixels=ImageMetrics(0.5, 0.5) if i % 3 == 0 else None,
        )
        for i in range(2_000)
    ]
    analysis = score_assets(assets, samples=samples, shoot_date=SHOOT, now=NOW)
    assert len(analysis.ranking) == 2_000
    assert all(0 <= a.score <= 100 for a in analysis.ranking)
    assert len(analysis.best_for("instagram")) > 0


def test_one_line_of_the_breakdown_by_name():
    scored = score(asset("a", status="in_review")).ranking[0]
    approval = scored.component("approval")
    assert (approval.name, approval.points, approval.max_points, approval.code) == (
        "approval",
        12.0,
        20,
        "in_review",
    )
    assert scored.component("rights").code == "no_expiry"
    with pytest.raises(KeyError) as missing:
        scored.component("glamour")
    assert missing.value.args == ("glamour",)


def test_an_asset_featuring_a_sample_not_arrived_is_flagged_and_ranked_after_the_rest():
    gown = sample("gown", "delayed", is_hero=True, name="Silk Gown")
    requested = sample("earrings", "requested", name="Hoops")
    here = sample("shirt", "on_set", name="Shirt")
    analysis = score(
        asset("gown", title="Gown on the terrace", features=["gown"]),
        asset("both", title="Shirt and hoops", features=["shirt", "earrings"]),
        asset("shirt", title="Shirt", status="in_review", features=["shirt"]),
        samples=[gown, requested, here],
    )
    gown_shot = analysis.asset("gown")
    assert media_scores.FLAG_SAMPLE_NOT_ARRIVED in gown_shot.flags
    assert gown_shot.pending_sample_ids == ("gown",)
    assert analysis.asset("both").pending_sample_ids == ("earrings",)
    assert analysis.asset("shirt").pending_sample_ids == ()
    # The gown shot scores highest, but its gown is not here: the asset whose samples are
    # all here comes first, overall and for the channel.
    assert gown_shot.score > analysis.asset("shirt").score
    assert [a.asset_id for a in analysis.ranking] == ["shirt", "gown", "both"]
    assert [a.asset_id for a in analysis.best_for("instagram")] == ["shirt", "gown", "both"]
    assert [a.asset_id for a in analysis.flagged(media_scores.FLAG_SAMPLE_NOT_ARRIVED)] == [
        "gown",
        "both",
    ]


def test_covering_a_channel_is_the_coverage_gap_rule():
    analysis = score(
        asset("fits", channels=["instagram"]),
        asset("draft", status="draft", width=1080, height=1920, channels=["story"]),
        asset("crop", width=1920, height=1080, channels=["web"]),
        asset("gone", width=1080, height=1920, rights_expire_at=NOW - timedelta(days=1)),
    )
    assert [a.asset_id for a in analysis.covering("instagram_feed")] == ["fits"]
    # a draft that fits, an expired asset that fits: neither gives the story content
    assert analysis.covering("story") == []
    assert [a.asset_id for a in analysis.covering("web")] == ["crop"]
    # tiktok is targeted by nobody: not a gap in the report, but nothing covers it either
    assert analysis.covering("tiktok") == []
    gaps = {gap.channel for gap in analysis.coverage_gaps.channels}
    for channel in analysis.channels:
        assert (channel in gaps) == (analysis.covering(channel) == [])
    with pytest.raises(UnknownChannelError):
        analysis.covering("fax")


def test_covered_samples_is_covering_sample_for_every_sample():
    analysis = score(
        asset("approved", features=["hero", "other"]),
        asset("draft", status="draft", features=["hero"]),
        asset("gone", features=["other"], rights_expire_at=NOW - timedelta(days=1)),
        asset("late", features=["hero"], rights_expire_at=NOW + timedelta(hours=5)),
    )
    covered = analysis.covered_samples()
    assert {k: [a.asset_id for a in v] for k, v in covered.items()} == {
        "hero": ["approved", "late"],
        "other": ["approved"],
    }
    for sample_id in ("hero", "other"):
        assert analysis.covering_sample(sample_id) == covered[sample_id]
    assert [a.asset_id for a in analysis.featuring("other")] == ["approved", "gone"]


def test_hero_gaps_of_the_same_priority_and_name_are_ordered_by_id():
    twins = [
        sample("b", is_hero=True, name="Gown", priority=2),
        sample("a", is_hero=True, name="Gown", priority=2),
        sample("c", is_hero=True, name="Coat", priority=2),
        sample("z", is_hero=True, name="Another", priority=1),
    ]
    analysis = score(samples=twins)
    assert [gap.sample_id for gap in analysis.coverage_gaps.hero_samples] == ["z", "c", "a", "b"]
