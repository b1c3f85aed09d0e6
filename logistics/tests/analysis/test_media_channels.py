import pytest

from logistics.analysis.media_channels import (
    CHANNELS,
    ChannelFit,
    ChannelSpec,
    channel_fit,
    channel_key,
)


def fit_of(width, height, kind, channel) -> ChannelFit:
    fit = channel_fit(width, height, kind, CHANNELS[channel])
    assert fit is not None
    return fit


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("instagram_feed", "instagram_feed"),
        ("Instagram", "instagram_feed"),
        ("IG", "instagram_feed"),
        ("story", "instagram_story"),
        ("Instagram Stories", "instagram_story"),
        ("TikTok", "tiktok"),
        ("web", "web_hero"),
        ("Web-Hero", "web_hero"),
        ("product page", "ecommerce"),
        ("e-commerce", "ecommerce"),
        ("YouTube", "youtube"),
        ("print", "print"),
        ("fax", None),
    ],
)
def test_channel_names_and_aliases(name, key):
    assert channel_key(name) == key


def test_channel_table():
    feed, story, web = CHANNELS["instagram_feed"], CHANNELS["instagram_story"], CHANNELS["web_hero"]
    assert (feed.ratios, feed.min_width) == (((4, 5), (1, 1)), 1080)
    assert (story.ratios, story.min_width, story.min_height) == (((9, 16),), 1080, 1920)
    assert (web.ratios, web.min_width) == (((16, 9),), 1920)
    assert CHANNELS["ecommerce"].ratios == ((4, 5), (1, 1), (3, 4))
    assert CHANNELS["youtube"].kinds == frozenset({"video"})


def test_exact_ratio_and_size_fits_fully():
    fit = fit_of(1080, 1350, "image", "instagram_feed")
    assert (fit.fit, fit.ratio, fit.fits, fit.resolution_ok, fit.aspect_ok) == (
        1.0,
        "4:5",
        True,
        True,
        True,
    )
    assert (fit.width, fit.height, fit.fit_percent, fit.keep_percent) == (1080, 1350, 100, 100)
    square = fit_of(1200, 1200, "image", "instagram_feed")
    assert (square.ratio, square.fit) == ("1:1", 1.0)


def test_a_ratio_within_two_percent_matches():
    near = fit_of(1080, 1340, "image", "instagram_feed")  # 0.75 % off 4:5
    assert (near.aspect_ok, near.aspect, near.fit) == (True, 1.0, 1.0)
    off = fit_of(1200, 1440, "image", "instagram_feed")  # 4.2 % off 4:5
    assert (off.aspect_ok, off.fits, off.resolution_ok) == (False, True, True)
    assert off.aspect == pytest.approx(0.8 / (1200 / 1440))
    assert off.keep_percent == 96
    # cropping the sides of a 1080-wide frame leaves it too narrow for the feed
    narrow = fit_of(1080, 1300, "image", "instagram_feed")
    assert (narrow.fits, narrow.resolution_ok, narrow.keep_percent) == (False, False, 96)
    assert (narrow.crop_width, narrow.crop_height, narrow.min_width, narrow.min_height) == (
        1040,
        1300,
        1080,
        0,
    )


def test_landscape_for_a_story_needs_a_big_crop_and_more_pixels():
    fit = fit_of(1920, 1080, "video", "instagram_story")
    # crop 16:9 to 9:16: 608x1080 keeps 31.6 % of the frame and is 56 % of the height needed
    assert fit.aspect == pytest.approx((9 / 16) / (16 / 9))
    assert fit.resolution == pytest.approx(1080 / 1920)
    assert fit.fit == pytest.approx((20 * 1080 / 1920 + 15 * (9 / 16) / (16 / 9)) / 35)
    assert (fit.fits, fit.resolution_ok, fit.aspect_ok) == (False, False, False)
    assert (fit.keep_percent, fit.crop_width, fit.crop_height) == (32, 608, 1080)
    assert (fit.min_width, fit.min_height) == (1080, 1920)


def test_small_crop_still_fits_but_loses_aspect_points():
    fit = fit_of(2000, 2000, "image", "instagram_feed")
    # 1:1 matches exactly, better than cropping to 4:5
    assert (fit.ratio, fit.fit) == ("1:1", 1.0)
    fit = fit_of(1600, 1000, "image", "ecommerce")
    # 16:10 to 1:1 keeps 62.5 %, to 4:5 50 %, to 3:4 47 %: best is 1:1, width 1000 < 1500
    assert fit.ratio == "1:1"
    assert (fit.aspect, fit.fits) == (0.625, False)


def test_kind_that_the_channel_does_not_take():
    assert channel_fit(1920, 1080, "video", CHANNELS["ecommerce"]) is None
    assert channel_fit(1920, 1080, "image", CHANNELS["youtube"]) is None


def test_a_crop_keeping_exactly_80_percent_still_fits():
    # A square frame cropped to A4's nearest ratio for print, 4:5, keeps exactly 0.8 of it.
    fit = fit_of(3600, 3600, "image", "print")
    assert (fit.ratio, fit.aspect, fit.resolution_ok, fit.fits) == ("4:5", 0.8, True, True)
    assert (fit.crop_width, fit.crop_height, fit.keep_percent) == (2880, 3600, 80)


def test_a_channel_without_a_minimum_size_takes_any_size():
    spec = ChannelSpec("anything", frozenset({"image"}), ((1, 1),), 0, 0)
    fit = channel_fit(10, 10, "image", spec)
    assert (fit.resolution, fit.resolution_ok, fit.fit, fit.fits) == (1.0, True, 1.0, True)


def test_ratios_that_fit_equally_well_give_the_earlier_one():
    spec = ChannelSpec("square", frozenset({"image"}), ((2, 2), (1, 1)), 100, 0)
    assert channel_fit(500, 500, "image", spec).ratio == "2:2"
