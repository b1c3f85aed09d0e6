"""How usable one asset is: its 0-100 score with the breakdown, the channels it fits, its
usage rights and the flags it raises (facts only; `assistant/media_words.py` writes the notes).

Score (0-100) per asset, the sum of these components' points over the sum of their maxima:
- resolution (20) and aspect_ratio (15): the mean fit over the asset's target channels (an
  asset with none is judged on its best channel); no size → 0;
- hero_coverage (15): features a hero sample 15, only other samples 6, none 0;
- approval (20): approved 20, in_review 12, draft 5, rejected 0;
- rights (10): no expiry 10; expires within 30 days after now / the shoot day 5; expires
  before the end of the shoot day 0; already expired 0 and the asset is no longer usable;
- sharpness (10) and exposure (10): only for images measured from their pixels (otherwise
  these count for nothing either way, so a video is not marked down for them).

An asset that features a sample which has not arrived (`inputs.NOT_ARRIVED_STATUSES`) keeps
its score but carries the flag `sample_not_arrived` and the ids in `pending_sample_ids`: the
media analyzer ranks it after every asset whose samples are all here.

Each component carries a `code` saying which rule gave its points (COMPONENT_CODES).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from logistics.analysis.inputs import AssetInput, ImageMetrics
from logistics.analysis.media_channels import (
    ASPECT_POINTS,
    CHANNELS,
    RESOLUTION_POINTS,
    ChannelFit,
    channel_fit,
    channel_key,
    unsuitable_fit,
)
from logistics.analysis.rounding import percent_half_up

RIGHTS_SOON = timedelta(days=30)

HERO_POINTS = 15
FEATURES_SAMPLE_POINTS = 6
APPROVAL_POINTS = {"approved": 20, "in_review": 12, "draft": 5, "rejected": 0}
APPROVAL_MAX = 20
RIGHTS_POINTS = 10
RIGHTS_SOON_POINTS = 5
SHARPNESS_POINTS = 10
EXPOSURE_POINTS = 10

# Flags (machine-readable) an asset can carry.
FLAG_NO_SIZE = "no_size"
FLAG_LOW_RESOLUTION = "low_resolution"
FLAG_UNKNOWN_CHANNEL = "unknown_channel"
FLAG_REJECTED = "rejected"
FLAG_RIGHTS_EXPIRED = "rights_expired"
FLAG_RIGHTS_BEFORE_SHOOT = "rights_expire_before_shoot"
FLAG_RIGHTS_SOON = "rights_expiring_soon"
FLAG_SAMPLE_NOT_ARRIVED = "sample_not_arrived"

# The state of an asset's usage rights (Rights.code; also the rights component's code).
RIGHTS_NO_EXPIRY = "no_expiry"
RIGHTS_EXPIRED = FLAG_RIGHTS_EXPIRED
RIGHTS_BEFORE_SHOOT = FLAG_RIGHTS_BEFORE_SHOOT
RIGHTS_EXPIRING_SOON = FLAG_RIGHTS_SOON
RIGHTS_VALID = "valid"

# Which rule gave a component its points, by component (the approval's code is the status).
NO_SIZE = "no_size"
BELOW_MINIMUM = "below_minimum"  # resolution: too small for some judged channel
MEETS_MINIMUM = "meets_minimum"
JUDGED = "judged"  # aspect_ratio: judged on `AssetScore.judged_fits`
NO_CHANNEL = "no_channel"
FEATURES_HERO = "features_hero"
FEATURES_SAMPLES = "features_samples"
FEATURES_NONE = "features_none"
MEASURED = "measured"
NOT_MEASURED = "not_measured"
COMPONENT_CODES: dict[str, tuple[str, ...]] = {
    "resolution": (NO_SIZE, BELOW_MINIMUM, MEETS_MINIMUM),
    "aspect_ratio": (NO_SIZE, JUDGED, NO_CHANNEL),
    "hero_coverage": (FEATURES_HERO, FEATURES_SAMPLES, FEATURES_NONE),
    "approval": tuple(APPROVAL_POINTS),
    "rights": (
        RIGHTS_NO_EXPIRY,
        RIGHTS_EXPIRED,
        RIGHTS_BEFORE_SHOOT,
        RIGHTS_EXPIRING_SOON,
        RIGHTS_VALID,
    ),
    "sharpness": (MEASURED, NOT_MEASURED),
    "exposure": (MEASURED, NOT_MEASURED),
}


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class ScoreComponent:
    """One line of a score's breakdown: its points out of `max_points` (0 when it does not
    apply) and the `code` of the rule that gave them (COMPONENT_CODES)."""

    name: str
    points: float
    max_points: int
    code: str


@dataclass(frozen=True, slots=True)
class Rights:
    """An asset's usage rights judged at `now`: `code` (RIGHTS_*), the `points` they earn,
    `expires_at` (None: no expiry), `minutes_left` from now to the expiry, rounded down
    (negative once expired; None without expiry), and the `shoot_date` they were judged
    against (None without one)."""

    code: str
    points: int
    expires_at: datetime | None
    minutes_left: int | None
    shoot_date: date | None


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class AssetScore:
    """An asset's 0-100 score, its breakdown, and where it fits best.

    `target_channels` are the asset's known target channels (keys); `target_fits` how it
    fits each (none without a size); `judged_fits` the fits its channel points were judged
    on (the target fits, or its best channel's without targets); `best_channels` are the
    channels its kind suits, best fit first; `channel_scores` the score it would have if
    each were its only target (used to rank assets for a channel). `unknown_channels` are
    the target names that are no channel (as given, in order), `unknown_sample_ids` the
    featured ids that are no sample of the campaign (sorted); `measured` the pixel
    measurements the score used (None for a video or an unmeasured image). `usable` is
    False when the asset is rejected or its rights have expired.
    """

    asset_id: str
    title: str
    kind: str
    status: str
    score: int
    breakdown: tuple[ScoreComponent, ...]
    target_channels: tuple[str, ...]
    target_fits: tuple[ChannelFit, ...]
    judged_fits: tuple[ChannelFit, ...]
    best_channels: tuple[ChannelFit, ...]
    channel_scores: dict[str, int]
    features_hero: bool
    featured_sample_ids: tuple[str, ...]
    unknown_sample_ids: tuple[str, ...]
    unknown_channels: tuple[str, ...]
    rights: Rights
    measured: ImageMetrics | None
    flags: tuple[str, ...]
    usable: bool
    # Featured samples that have not arrived yet (sorted); see the module docstring.
    pending_sample_ids: tuple[str, ...] = ()

    def fit_for(self, channel: str) -> ChannelFit | None:
        """The fit for a channel key, or None if the asset's kind does not suit it."""
        return next((f for f in self.best_channels if f.channel == channel), None)

    def component(self, name: str) -> ScoreComponent:
        """One line of the breakdown by name (KeyError if there is none)."""
        for component in self.breakdown:
            if component.name == name:
                return component
        raise KeyError(name)


def _end_of_day(day: date, now: datetime) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=now.tzinfo)


def asset_rights(expires: datetime | None, *, now: datetime, shoot_date: date | None) -> Rights:
    """An asset's usage rights at `now`, against the end of the shoot day when there is one."""
    if expires is None:
        return Rights(RIGHTS_NO_EXPIRY, RIGHTS_POINTS, None, None, shoot_date)
    left = (expires - now) // timedelta(minutes=1)
    if expires <= now:
        return Rights(RIGHTS_EXPIRED, 0, expires, left, shoot_date)
    horizon = now
    if shoot_date is not None:
        shoot_end = _end_of_day(shoot_date, now)
        if expires < shoot_end:
            return Rights(RIGHTS_BEFORE_SHOOT, 0, expires, left, shoot_date)
        horizon = max(now, shoot_end)
    if expires - horizon < RIGHTS_SOON:
        return Rights(RIGHTS_EXPIRING_SOON, RIGHTS_SOON_POINTS, expires, left, shoot_date)
    return Rights(RIGHTS_VALID, RIGHTS_POINTS, expires, left, shoot_date)


_RIGHTS_FLAGS = {
    RIGHTS_EXPIRED: FLAG_RIGHTS_EXPIRED,
    RIGHTS_BEFORE_SHOOT: FLAG_RIGHTS_BEFORE_SHOOT,
    RIGHTS_EXPIRING_SOON: FLAG_RIGHTS_SOON,
}


@dataclass(frozen=True, slots=True)
class SizeFits:
    """Channel fits shared by every asset of one size and kind (computed once per run)."""

    ranked: tuple[ChannelFit, ...]  # best fit first, table order on ties
    by_key: dict[str, ChannelFit]
    tenths: dict[str, int]  # channel points (resolution + aspect) in tenths of a point


def _size_fits(width: int, height: int, kind: str) -> SizeFits:
    fits = [f for spec in CHANNELS.values() if (f := channel_fit(width, height, kind, spec))]
    ranked = tuple(sorted(fits, key=lambda f: -f.fit))
    return SizeFits(
        ranked=ranked,
        by_key={f.channel: f for f in ranked},
        tenths={
            f.channel: _tenths(RESOLUTION_POINTS * f.resolution) + _tenths(ASPECT_POINTS * f.aspect)
            for f in ranked
        },
    )


def _tenths(points: float) -> int:
    """Non-negative points in whole tenths, rounded half up (the epsilon absorbs float error,
    so 2.675 * 10 = 26.749999… still rounds like 26.75)."""
    return int(points * 10 + 0.5 + 1e-9)


def score_asset(
    asset: AssetInput,
    *,
    heroes: set[str],
    known_samples: set[str],
    now: datetime,
    shoot_date: date | None,
    size_cache: dict[tuple[int, int, str], SizeFits],
    not_arrived: frozenset[str] | set[str] = frozenset(),
) -> AssetScore:
    """One asset's score (see the module docstring). `size_cache` keeps the channel fits of
    each size and kind across the assets of one run; `not_arrived` holds the ids of the
    campaign's samples that have not arrived. Refuses nothing."""
    flags: list[str] = []
    components: list[ScoreComponent] = []
    earned = 0  # tenths of a point: sums stay exact, so 62.5 never becomes 62.4999

    def add(name: str, tenths: int, max_points: int, code: str) -> None:
        nonlocal earned
        earned += tenths
        components.append(ScoreComponent(name, tenths / 10, max_points, code))

    targets: list[str] = []
    unknown_channels: list[str] = []
    for name in asset.target_channels:
        key = channel_key(name)
        if key is None:
            flags.append(FLAG_UNKNOWN_CHANNEL)
            unknown_channels.append(name)
        elif key not in targets:
            targets.append(key)

    sized: SizeFits | None = None
    target_fits: list[ChannelFit] = []
    judged: list[ChannelFit] = []
    if asset.width is not None and asset.height is not None:
        size_key = (asset.width, asset.height, asset.kind)
        sized = size_cache.get(size_key)
        if sized is None:
            sized = size_cache[size_key] = _size_fits(*size_key)
        for key in targets:
            fit = sized.by_key.get(key)
            if fit is None:
                fit = unsuitable_fit(CHANNELS[key], asset.kind, asset.width, asset.height)
            target_fits.append(fit)
        judged = target_fits if targets else list(sized.ranked[:1])
        count = len(judged) or 1
        low = any(not f.resolution_ok for f in judged)
        if low:
            flags.append(FLAG_LOW_RESOLUTION)
        add(
            "resolution",
            _tenths(RESOLUTION_POINTS * sum(f.resolution for f in judged) / count),
            RESOLUTION_POINTS,
            BELOW_MINIMUM if low else MEETS_MINIMUM,
        )
        add(
            "aspect_ratio",
            _tenths(ASPECT_POINTS * sum(f.aspect for f in judged) / count),
            ASPECT_POINTS,
            JUDGED if judged else NO_CHANNEL,
        )
    else:
        flags.append(FLAG_NO_SIZE)
        add("resolution", 0, RESOLUTION_POINTS, NO_SIZE)
        add("aspect_ratio", 0, ASPECT_POINTS, NO_SIZE)
    channel_tenths = earned

    featured = set(asset.featured_sample_ids)
    features_hero = not featured.isdisjoint(heroes)
    if features_hero:
        add("hero_coverage", 10 * HERO_POINTS, HERO_POINTS, FEATURES_HERO)
    elif not featured.isdisjoint(known_samples):
        add("hero_coverage", 10 * FEATURES_SAMPLE_POINTS, HERO_POINTS, FEATURES_SAMPLES)
    else:
        add("hero_coverage", 0, HERO_POINTS, FEATURES_NONE)

    if asset.status == "rejected":
        flags.append(FLAG_REJECTED)
    add("approval", 10 * APPROVAL_POINTS[asset.status], APPROVAL_MAX, asset.status)

    rights = asset_rights(asset.rights_expire_at, now=now, shoot_date=shoot_date)
    if rights.code in _RIGHTS_FLAGS:
        flags.append(_RIGHTS_FLAGS[rights.code])
    add("rights", 10 * rights.points, RIGHTS_POINTS, rights.code)

    pending = tuple(sorted(featured & not_arrived)) if not_arrived else ()
    if pending:
        flags.append(FLAG_SAMPLE_NOT_ARRIVED)

    measured = asset.pixels if asset.kind == "image" else None
    if measured is not None:
        add("sharpness", _tenths(SHARPNESS_POINTS * measured.sharpness), SHARPNESS_POINTS, MEASURED)
        add("exposure", _tenths(EXPOSURE_POINTS * measured.exposure), EXPOSURE_POINTS, MEASURED)
    else:
        add("sharpness", 0, 0, NOT_MEASURED)
        add("exposure", 0, 0, NOT_MEASURED)

    available = 10 * sum(c.max_points for c in components)
    rest = earned - channel_tenths  # everything but channel fit
    return AssetScore(
        asset_id=asset.id,
        title=asset.title,
        kind=asset.kind,
        status=asset.status,
        score=percent_half_up(earned, available),
        breakdown=tuple(components),
        target_channels=tuple(targets),
        target_fits=tuple(target_fits),
        judged_fits=tuple(judged),
        best_channels=sized.ranked if sized else (),
        channel_scores={
            key: percent_half_up(rest + tenths, available)
            for key, tenths in (sized.tenths.items() if sized else ())
        },
        features_hero=features_hero,
        featured_sample_ids=asset.featured_sample_ids,
        unknown_sample_ids=tuple(sorted(featured - known_samples)),
        unknown_channels=tuple(unknown_channels),
        rights=rights,
        measured=measured,
        flags=tuple(dict.fromkeys(flags)),
        usable=asset.status != "rejected" and rights.code != RIGHTS_EXPIRED,
        pending_sample_ids=pending,
    )
