"""The media scorer's facts in words and in the original wire shape
(assistant/media_words.py): the same assertions as when the analysis wrote its own notes and
messages, read through the words module."""

from datetime import timedelta

import pytest

from assistant.media_words import (
    CHANNEL_LABELS,
    NO_SIZE_NOTE,
    asset_dict,
    asset_notes,
    channel_gap_message,
    channel_label,
    channel_requirement,
    component_note,
    fit_note,
    hero_gap_message,
    media_report,
    unknown_channel_message,
)
from logistics.analysis.inputs import ImageMetrics
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.media_channels import CHANNELS, UnknownChannelError
from logistics.tests.analysis.factories import NOW, asset, sample
from logistics.tests.analysis.test_media import fit_of, score


def notes(scored):
    return tuple(asset_notes(scored))


def note(scored, name):
    return component_note(scored, scored.component(name))


def test_every_channel_has_a_name_and_a_requirement():
    assert set(CHANNEL_LABELS) == set(CHANNELS)
    assert channel_requirement("instagram_story") == "9:16, at least 1080x1920"
    assert channel_requirement("instagram_feed") == "4:5 or 1:1, at least 1080 px wide"
    assert channel_label("web_hero") == "Web hero banner"


# --- from logistics/tests/analysis/test_media_channels.py ------------------------------------


def test_exact_ratio_and_size_fits_fully():
    assert fit_note(fit_of(1080, 1350, "image", "instagram_feed")) == "1080x1350 matches 4:5"


def test_a_ratio_within_two_percent_matches():
    off = fit_of(1200, 1440, "image", "instagram_feed")  # 4.2 % off 4:5
    assert fit_note(off) == "crop to 4:5 keeps 96% of the frame"
    # cropping the sides of a 1080-wide frame leaves it too narrow for the feed
    narrow = fit_of(1080, 1300, "image", "instagram_feed")
    assert (narrow.fits, fit_note(narrow)) == (
        False,
        "crop to 4:5 keeps 96% of the frame; 1040x1300 after cropping is below 1080 wide",
    )


def test_landscape_for_a_story_needs_a_big_crop_and_more_pixels():
    fit = fit_of(1920, 1080, "video", "instagram_story")
    assert fit_note(fit) == (
        "crop to 9:16 keeps 32% of the frame; 608x1080 after cropping is below 1080x1920"
    )


# --- from logistics/tests/analysis/test_media.py ---------------------------------------------


def test_asset_with_no_size_gets_a_note():
    (scored,) = score(asset("a", width=None, height=None, features=["hero"])).ranking
    assert notes(scored) == (
        "no size: width and height are unknown, so channel fit cannot be judged",
    )
    assert note(scored, "resolution") == note(scored, "aspect_ratio") == NO_SIZE_NOTE


def test_rights_notes():
    soon = score(asset("a", rights_expire_at=NOW + timedelta(days=3)), shoot_date=None).ranking[0]
    assert soon.breakdown[4].name == "rights"
    assert component_note(soon, soon.breakdown[4]) == "rights expire in 3d (2025-03-04)"
    last_day = score(asset("a", rights_expire_at=NOW.replace(day=10, hour=18))).ranking[0]
    assert note(last_day, "rights") == (
        "rights expire on 2025-03-10, before the shoot on 2025-03-10 is over"
    )
    expired = score(asset("a", rights_expire_at=NOW - timedelta(days=1))).ranking[0]
    assert note(expired, "rights") == "rights expired on 2025-02-28"
    later = score(asset("a", rights_expire_at=NOW.replace(month=6))).ranking[0]
    assert note(later, "rights") == "rights valid until 2025-06-01"
    assert note(score(asset("a")).ranking[0], "rights") == "no expiry"


def test_unknown_channel_is_ignored_with_a_note():
    (scored,) = score(asset("a", channels=["instagram", "fax"])).ranking
    assert "unknown channel 'fax' ignored" in notes(scored)


def test_asset_kind_unsuitable_for_a_target_channel():
    (scored,) = score(
        asset("v", kind="video", width=1920, height=1080, channels=["youtube", "ecommerce"])
    ).ranking
    assert "a video does not suit E-commerce product page" in notes(scored)
    assert note(scored, "resolution") == "too small for E-commerce product page"
    assert note(scored, "aspect_ratio") == (
        "YouTube: 1920x1080 matches 16:9; E-commerce product page: E-commerce product page "
        "does not take a video"
    )


def test_no_target_channel_is_judged_on_its_best_channel():
    (scored,) = score(asset("a", width=1920, height=1080, channels=[])).ranking
    assert notes(scored) == ("no target channel: judged on its best channel, Web hero banner",)


def test_featured_samples_that_are_not_the_campaigns():
    (scored,) = score(asset("a", features=["other", "zz", "aa"])).ranking
    assert notes(scored) == ("features unknown samples: aa, zz",)
    assert note(scored, "hero_coverage") == "features samples, no hero"


def test_unknown_channel_message():
    analysis = score(asset("a"))
    with pytest.raises(UnknownChannelError) as caught:
        analysis.best_for("fax")
    assert unknown_channel_message(caught.value).startswith(
        "Unknown channel 'fax'; known channels: instagram_feed, instagram_story, tiktok"
    )


def test_coverage_gap_messages():
    analysis = score(
        asset("approved", features=["other"], channels=["instagram"]),
        asset("draft", status="draft", features=["hero"], channels=["story"]),
    )
    (hero_gap,) = analysis.coverage_gaps.hero_samples
    assert hero_gap_message(hero_gap) == "Hero sample Silk Gown has no approved asset featuring it."
    (channel_gap,) = analysis.coverage_gaps.channels
    assert channel_gap_message(channel_gap) == (
        "No approved asset fits Instagram story (9:16, at least 1080x1920)."
    )


def test_no_assets():
    assert media_report(score())["bestByChannel"] == {}


def test_to_dict_shape():
    data = media_report(score(asset("a", features=["hero"], pixels=ImageMetrics(0.9, 0.8))))
    assert list(data) == ["ranking", "assets", "coverageGaps", "channels", "bestByChannel"]
    assert data["ranking"] == ["a"]
    assert data["bestByChannel"] == {"instagram_feed": ["a"]}
    assert data["coverageGaps"] == {"heroSamples": [], "channels": []}
    item = data["assets"][0]
    assert list(item) == [
        "assetId",
        "title",
        "kind",
        "status",
        "score",
        "breakdown",
        "targetChannels",
        "targetFits",
        "bestChannels",
        "featuresHero",
        "featuredSampleIds",
        "pendingSampleIds",
        "rightsExpireAt",
        "flags",
        "notes",
        "usable",
    ]
    assert item["score"] == 97
    assert item["breakdown"][5] == {
        "name": "sharpness",
        "points": 9.0,
        "maxPoints": 10,
        "note": "measured sharpness 0.90",
    }
    assert item["targetChannels"] == ["instagram_feed"]
    assert item["targetFits"][0] == {
        "channel": "instagram_feed",
        "label": "Instagram feed",
        "ratio": "4:5",
        "fit": 100,
        "score": 97,
        "fits": True,
        "resolutionOk": True,
        "aspectOk": True,
        "note": "1080x1350 matches 4:5",
    }


def test_an_asset_featuring_a_sample_not_arrived_says_so():
    gown = sample("gown", "delayed", is_hero=True, name="Silk Gown")
    scored = score_assets(
        [asset("a", features=["gown"])], samples=[gown], shoot_date=None, now=NOW
    ).asset("a")

    assert asset_dict(scored)["pendingSampleIds"] == ["gown"]
    assert "sample_not_arrived" in asset_dict(scored)["flags"]
    assert asset_notes(scored)[-1] == (
        "features samples that have not arrived (ranked after the assets whose samples are "
        "all here): gown"
    )
