"""Channels an asset can be published on, and how well an asset of a given size fits one.

Channels (CHANNELS, by key; their names and requirements in words are the assistant's,
`assistant/media_words.py`). A channel accepts some kinds of asset, some aspect ratios
(width:height, preferred first) and a minimum size in pixels, checked after cropping to the
ratio:

| channel         | kinds        | ratios                 | minimum (w x h)  |
|-----------------|--------------|------------------------|------------------|
| instagram_feed  | image, video | 4:5, 1:1               | 1080 wide        |
| instagram_story | image, video | 9:16                   | 1080 x 1920      |
| tiktok          | image, video | 9:16                   | 1080 x 1920      |
| web_hero        | image, video | 16:9                   | 1920 wide        |
| ecommerce       | image        | 4:5, 1:1, 3:4          | 1500 wide        |
| youtube         | video        | 16:9                   | 1920 x 1080      |
| pinterest       | image, video | 2:3                    | 1000 x 1500      |
| print           | image        | 210:297 (A4), 2:3, 3:4, 4:5 | 2480 x 3508 (A4 at 300 dpi) |

Aliases (channel_key): "instagram"/"ig"/"feed" → instagram_feed, "story"/"stories"/"reels" →
instagram_story, "web"/"website"/"homepage" → web_hero, "pdp"/"product page"/"shop" →
ecommerce, and so on; case, spaces and hyphens do not matter.

Fit to one channel (ChannelFit), for an asset of known size:
- aspect: a ratio within 2 % is a match (full aspect points); otherwise the asset must be
  cropped and the aspect fraction is the share of the frame the crop keeps;
- resolution: the cropped size against the minimum, as a fraction capped at 1;
- the asset *fits* when the cropped size meets the minimum and the crop keeps ≥ 80 %;
- `fit` = (20 x resolution + 15 x aspect) / 35, the channel's share of the score.
The best of the channel's ratios is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from logistics.analysis.rounding import half_up_int

RATIO_TOLERANCE = 0.02  # 2 % off a ratio still counts as that ratio
MIN_CROP_KEEP = 0.8  # a crop that keeps less than this of the frame does not "fit"

# The share of an asset's score that channel fit weighs (see `media`).
RESOLUTION_POINTS = 20
ASPECT_POINTS = 15


class UnknownChannelError(ValueError):
    """A channel name (`name`) that is neither a channel key nor one of its aliases."""

    code = "UNKNOWN_CHANNEL"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(self.code, name)


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """What a channel accepts: kinds, aspect ratios (w, h; preferred first), minimum size
    (a minimum height of 0: any height)."""

    key: str
    kinds: frozenset[str]
    ratios: tuple[tuple[int, int], ...]
    min_width: int
    min_height: int


_BOTH = frozenset({"image", "video"})
CHANNELS: dict[str, ChannelSpec] = {
    spec.key: spec
    for spec in (
        ChannelSpec("instagram_feed", _BOTH, ((4, 5), (1, 1)), 1080, 0),
        ChannelSpec("instagram_story", _BOTH, ((9, 16),), 1080, 1920),
        ChannelSpec("tiktok", _BOTH, ((9, 16),), 1080, 1920),
        ChannelSpec("web_hero", _BOTH, ((16, 9),), 1920, 0),
        ChannelSpec("ecommerce", frozenset({"image"}), ((4, 5), (1, 1), (3, 4)), 1500, 0),
        ChannelSpec("youtube", frozenset({"video"}), ((16, 9),), 1920, 1080),
        ChannelSpec("pinterest", _BOTH, ((2, 3),), 1000, 1500),
        ChannelSpec(
            "print", frozenset({"image"}), ((210, 297), (2, 3), (3, 4), (4, 5)), 2480, 3508
        ),
    )
}  # fmt: skip

CHANNEL_ALIASES: dict[str, str] = {
    "instagram": "instagram_feed",
    "ig": "instagram_feed",
    "feed": "instagram_feed",
    "instagram_post": "instagram_feed",
    "instagram_feed_post": "instagram_feed",
    "story": "instagram_story",
    "stories": "instagram_story",
    "instagram_stories": "instagram_story",
    "ig_story": "instagram_story",
    "reels": "instagram_story",
    "instagram_reels": "instagram_story",
    "tik_tok": "tiktok",
    "web": "web_hero",
    "website": "web_hero",
    "homepage": "web_hero",
    "hero": "web_hero",
    "web_banner": "web_hero",
    "banner": "web_hero",
    "e_commerce": "ecommerce",
    "ecom": "ecommerce",
    "pdp": "ecommerce",
    "product_page": "ecommerce",
    "product": "ecommerce",
    "shop": "ecommerce",
    "yt": "youtube",
    "pin": "pinterest",
    "magazine": "print",
    "editorial_print": "print",
}


@lru_cache(maxsize=1024)
def channel_key(name: str) -> str | None:
    """The channel a name refers to ("Instagram" → "instagram_feed"), or None if unknown."""
    key = "_".join(name.replace("-", " ").split()).casefold()
    if key in CHANNELS:
        return key
    return CHANNEL_ALIASES.get(key)


@dataclass(frozen=True, slots=True)
class ChannelFit:
    """How an asset of some size and kind fits one channel: `fit` is 0..1, `ratio` the
    channel's ratio used ("4:5"), `aspect` the share of the frame a crop to it keeps (1.0 when
    `aspect_ok`, the frame matching the ratio), `resolution` the cropped size against the
    minimum (capped at 1); `fit_percent` and `keep_percent` are `fit` and `aspect` in whole
    percent, rounded half up. The facts behind them: the asset's `width` x `height`, the
    `crop_width` x `crop_height` after cropping, the channel's `min_width` x `min_height`.
    `suitable` is False when the channel does not take the asset's `kind` at all."""

    channel: str
    ratio: str
    fit: float
    resolution: float
    aspect: float
    resolution_ok: bool
    aspect_ok: bool
    fits: bool
    fit_percent: int
    keep_percent: int
    kind: str
    width: int
    height: int
    crop_width: int
    crop_height: int
    min_width: int
    min_height: int
    suitable: bool = True


def _crop(width: int, height: int, rw: int, rh: int) -> tuple[bool, float, int, int]:
    """(matches the ratio, share of the frame kept, cropped width, cropped height)."""
    ratio, target = width / height, rw / rh
    if abs(ratio / target - 1) <= RATIO_TOLERANCE:
        return True, 1.0, width, height
    if ratio > target:  # too wide: crop the sides
        return False, target / ratio, round(height * target), height
    return False, ratio / target, width, round(width / target)  # too tall: crop top and bottom


def channel_fit(width: int, height: int, kind: str, spec: ChannelSpec) -> ChannelFit | None:
    """How an asset of this size and kind fits a channel (its best ratio, the earlier one on
    a tie), or None if the channel does not take this kind of asset."""
    if kind not in spec.kinds:
        return None
    options = []
    for position, (rw, rh) in enumerate(spec.ratios):
        matches, keep, crop_w, crop_h = _crop(width, height, rw, rh)
        resolution = min(
            1.0,
            crop_w / spec.min_width if spec.min_width else 1.0,
            crop_h / spec.min_height if spec.min_height else 1.0,
        )
        fit = (RESOLUTION_POINTS * resolution + ASPECT_POINTS * keep) / (
            RESOLUTION_POINTS + ASPECT_POINTS
        )
        options.append((fit, -position, resolution, keep, matches, crop_w, crop_h, rw, rh))
    fit, _, resolution, keep, matches, crop_w, crop_h, rw, rh = max(options)
    resolution_ok = resolution >= 1.0
    return ChannelFit(
        channel=spec.key,
        ratio=f"{rw}:{rh}",
        fit=fit,
        resolution=resolution,
        aspect=keep,
        resolution_ok=resolution_ok,
        aspect_ok=matches,
        fits=resolution_ok and keep >= MIN_CROP_KEEP,
        fit_percent=half_up_int(fit * 100),
        keep_percent=half_up_int(keep * 100),
        kind=kind,
        width=width,
        height=height,
        crop_width=crop_w,
        crop_height=crop_h,
        min_width=spec.min_width,
        min_height=spec.min_height,
    )


def unsuitable_fit(spec: ChannelSpec, kind: str, width: int, height: int) -> ChannelFit:
    """The fit of an asset whose kind the channel does not take: none at all."""
    return ChannelFit(
        spec.key, "", 0.0, 0.0, 0.0, False, False, False, 0, 0, kind, width, height, 0, 0,
        spec.min_width, spec.min_height, suitable=False,
    )  # fmt: skip
