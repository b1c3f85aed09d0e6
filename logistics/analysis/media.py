"""Media scoring: how usable each asset is, for which channels, and what the campaign lacks.

Channels, and how an asset of a given size fits one, are described in `channels`.

Score (0-100) per asset, the sum of these components' points over the sum of their maxima:
- resolution (20) and aspect_ratio (15): the mean fit over the asset's target channels (an
  asset with none is judged on its best channel); no size → 0 and a note;
- hero_coverage (15): features a hero sample 15, only other samples 6, none 0;
- approval (20): approved 20, in_review 12, draft 5, rejected 0;
- rights (10): no expiry 10; expires within 30 days after now / the shoot day 5; expires
  before the end of the shoot day 0; already expired 0 and the asset is no longer usable;
- sharpness (10) and exposure (10): only for images measured from their pixels (otherwise
  these count for nothing either way, so a video is not marked down for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from logistics.analysis.inputs import AssetInput, SampleInput
from logistics.analysis.media_channels import (
    ASPECT_POINTS,
    CHANNELS,
    RESOLUTION_POINTS,
    ChannelFit,
    UnknownChannelError,
    channel_fit,
    channel_key,
    unsuitable_fit,
)
from logistics.analysis.ordering import rank_then_name
from logistics.analysis.rounding import percent_half_up
from logistics.analysis.wording import format_minutes

ALGORITHM_VERSION = "1"

RIGHTS_SOON = timedelta(days=30)
TOP_PER_CHANNEL = 3  # assets listed per channel in `best_by_channel`

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


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class ScoreComponent:
    """One line of a score's breakdown. A component that does not apply has max_points 0."""

    name: str
    points: float
    max_points: int
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": self.points,
            "maxPoints": self.max_points,
            "note": self.note,
        }


@dataclass(slots=True)  # not frozen: built once per input item (see inputs.py)
class AssetScore:
    """An asset's 0-100 score, its breakdown, and where it fits best.

    `target_channels` are the asset's known target channels (keys); `target_fits` how it
    fits each (none without a size); `best_channels` are the channels its kind suits, best
    fit first; `channel_scores` the
    score it would have if each were its only target (used to rank assets for a channel).
    `usable` is False when the asset is rejected or its rights have expired.
    """

    asset_id: str
    title: str
    kind: str
    status: str
    score: int
    breakdown: tuple[ScoreComponent, ...]
    target_channels: tuple[str, ...]
    target_fits: tuple[ChannelFit, ...]
    best_channels: tuple[ChannelFit, ...]
    channel_scores: dict[str, int]
    features_hero: bool
    featured_sample_ids: tuple[str, ...]
    rights_expire_at: datetime | None
    flags: tuple[str, ...]
    notes: tuple[str, ...]
    usable: bool

    def fit_for(self, channel: str) -> ChannelFit | None:
        """The fit for a channel key, or None if the asset's kind does not suit it."""
        return next((f for f in self.best_channels if f.channel == channel), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "assetId": self.asset_id,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "score": self.score,
            "breakdown": [component.to_dict() for component in self.breakdown],
            "targetChannels": list(self.target_channels),
            "targetFits": [
                fit.to_dict(self.channel_scores.get(fit.channel, 0)) for fit in self.target_fits
            ],
            "bestChannels": [
                fit.to_dict(self.channel_scores[fit.channel]) for fit in self.best_channels
            ],
            "featuresHero": self.features_hero,
            "featuredSampleIds": list(self.featured_sample_ids),
            "rightsExpireAt": self.rights_expire_at.isoformat() if self.rights_expire_at else None,
            "flags": list(self.flags),
            "notes": list(self.notes),
            "usable": self.usable,
        }


@dataclass(frozen=True, slots=True)
class HeroGap:
    """A hero sample with no approved, usable asset featuring it. `candidate_asset_id` is
    the best-scoring usable asset that features it but is not approved yet, if any."""

    sample_id: str
    name: str
    candidate_asset_id: str | None = None

    @property
    def message(self) -> str:
        return f"Hero sample {self.name} has no approved asset featuring it."

    def to_dict(self) -> dict[str, Any]:
        return {
            "sampleId": self.sample_id,
            "name": self.name,
            "candidateAssetId": self.candidate_asset_id,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ChannelGap:
    """A channel the campaign targets for which no approved, usable asset fits.
    `closest_asset_id` is the usable asset (approved or not) that fits it best, if any."""

    channel: str
    label: str
    requirement: str
    closest_asset_id: str | None

    @property
    def message(self) -> str:
        return f"No approved asset fits {self.label} ({self.requirement})."

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "label": self.label,
            "requirement": self.requirement,
            "closestAssetId": self.closest_asset_id,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class CoverageGaps:
    hero_samples: tuple[HeroGap, ...]
    channels: tuple[ChannelGap, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "heroSamples": [gap.to_dict() for gap in self.hero_samples],
            "channels": [gap.to_dict() for gap in self.channels],
        }


@dataclass(frozen=True, slots=True)
class MediaAnalysis:
    """Scores of every asset, best first (`ranking`), and the campaign's coverage gaps.

    `channels` are the channels the campaign's assets target (table order).
    """

    ranking: tuple[AssetScore, ...]
    coverage_gaps: CoverageGaps
    channels: tuple[str, ...]
    _by_id: dict[str, AssetScore] = field(default_factory=dict, repr=False, compare=False)

    def asset(self, asset_id: str) -> AssetScore:
        return self._by_id[asset_id]

    def best_for(self, channel: str, *, limit: int | None = None) -> list[AssetScore]:
        """Usable assets that suit `channel` (a key or an alias), best first: those that fit
        it before those that would need more cropping or pixels, then by the score the asset
        would have with that channel as its only target, then by fit, then by title.
        Raises UnknownChannelError for a name that is not a channel. O(n log n)."""
        key = channel_key(channel)
        if key is None:
            raise UnknownChannelError(channel)
        candidates: list[tuple[tuple[bool, int, float, str, str], AssetScore]] = []
        for asset in self.ranking:
            fit = asset.fit_for(key) if asset.usable else None
            if fit is not None:
                score = asset.channel_scores[key]
                order = (not fit.fits, -score, -fit.fit, asset.title.casefold(), asset.asset_id)
                candidates.append((order, asset))
        candidates.sort(key=lambda pair: pair[0])
        return [asset for _, asset in candidates[:limit]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ranking": [asset.asset_id for asset in self.ranking],
            "assets": [asset.to_dict() for asset in self.ranking],
            "coverageGaps": self.coverage_gaps.to_dict(),
            "channels": list(self.channels),
            "bestByChannel": {
                key: [a.asset_id for a in self.best_for(key, limit=TOP_PER_CHANNEL)]
                for key in self.channels
            },
        }


def _end_of_day(day: date, now: datetime) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=now.tzinfo)


def _rights(
    expires: datetime | None, *, now: datetime, shoot_date: date | None
) -> tuple[int, str, str | None]:
    """(points, note, flag) for an asset's usage rights."""
    if expires is None:
        return RIGHTS_POINTS, "no expiry", None
    if expires <= now:
        return 0, f"rights expired on {expires.date().isoformat()}", FLAG_RIGHTS_EXPIRED
    horizon = now
    if shoot_date is not None:
        shoot_end = _end_of_day(shoot_date, now)
        if expires < shoot_end:
            return (
                0,
                f"rights expire on {expires.date().isoformat()}, before the shoot on "
                f"{shoot_date.isoformat()} is over",
                FLAG_RIGHTS_BEFORE_SHOOT,
            )
        horizon = max(now, shoot_end)
    if expires - horizon < RIGHTS_SOON:
        left = (expires - now) // timedelta(minutes=1)
        return (
            RIGHTS_SOON_POINTS,
            f"rights expire in {format_minutes(left)} ({expires.date().isoformat()})",
            FLAG_RIGHTS_SOON,
        )
    return RIGHTS_POINTS, f"rights valid until {expires.date().isoformat()}", None


@dataclass(frozen=True, slots=True)
class _SizeFits:
    """Channel fits shared by every asset of one size and kind (computed once per run)."""

    ranked: tuple[ChannelFit, ...]  # best fit first, table order on ties
    by_key: dict[str, ChannelFit]
    tenths: dict[str, int]  # channel points (resolution + aspect) in tenths of a point


def _size_fits(width: int, height: int, kind: str) -> _SizeFits:
    fits = [f for spec in CHANNELS.values() if (f := channel_fit(width, height, kind, spec))]
    ranked = tuple(sorted(fits, key=lambda f: -f.fit))
    return _SizeFits(
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


def _score_asset(
    asset: AssetInput,
    *,
    heroes: set[str],
    known_samples: set[str],
    now: datetime,
    shoot_date: date | None,
    size_cache: dict[tuple[int, int, str], _SizeFits],
) -> AssetScore:
    flags: list[str] = []
    notes: list[str] = []
    components: list[ScoreComponent] = []
    earned = 0  # tenths of a point: sums stay exact, so 62.5 never becomes 62.4999

    def add(name: str, tenths: int, max_points: int, note: str) -> None:
        nonlocal earned
        earned += tenths
        components.append(ScoreComponent(name, tenths / 10, max_points, note))

    targets: list[str] = []
    for name in asset.target_channels:
        key = channel_key(name)
        if key is None:
            flags.append(FLAG_UNKNOWN_CHANNEL)
            notes.append(f"unknown channel {name!r} ignored")
        elif key not in targets:
            targets.append(key)

    sized: _SizeFits | None = None
    target_fits: list[ChannelFit] = []
    if asset.width is not None and asset.height is not None:
        size_key = (asset.width, asset.height, asset.kind)
        sized = size_cache.get(size_key)
        if sized is None:
            sized = size_cache[size_key] = _size_fits(*size_key)
        for key in targets:
            fit = sized.by_key.get(key)
            if fit is None:
                notes.append(f"a {asset.kind} does not suit {CHANNELS[key].label}")
                fit = unsuitable_fit(CHANNELS[key], asset.kind)
            target_fits.append(fit)
        judged = target_fits if targets else list(sized.ranked[:1])
        if not targets and judged:
            notes.append(f"no target channel: judged on its best channel, {judged[0].label}")
        count = len(judged) or 1
        low = [f.label for f in judged if not f.resolution_ok]
        if low:
            flags.append(FLAG_LOW_RESOLUTION)
        add(
            "resolution",
            _tenths(RESOLUTION_POINTS * sum(f.resolution for f in judged) / count),
            RESOLUTION_POINTS,
            f"too small for {', '.join(low)}" if low else "meets every channel's minimum",
        )
        add(
            "aspect_ratio",
            _tenths(ASPECT_POINTS * sum(f.aspect for f in judged) / count),
            ASPECT_POINTS,
            "; ".join(f"{f.label}: {f.note.split('; ')[0]}" for f in judged) or "no channel",
        )
    else:
        flags.append(FLAG_NO_SIZE)
        note = "no size: width and height are unknown, so channel fit cannot be judged"
        notes.append(note)
        add("resolution", 0, RESOLUTION_POINTS, note)
        add("aspect_ratio", 0, ASPECT_POINTS, note)
    channel_tenths = earned

    featured = set(asset.featured_sample_ids)
    unknown = sorted(featured - known_samples)
    if unknown:
        notes.append(f"features unknown samples: {', '.join(unknown)}")
    features_hero = not featured.isdisjoint(heroes)
    if features_hero:
        add("hero_coverage", 10 * HERO_POINTS, HERO_POINTS, "features a hero sample")
    elif not featured.isdisjoint(known_samples):
        add("hero_coverage", 10 * FEATURES_SAMPLE_POINTS, HERO_POINTS, "features samples, no hero")
    else:
        add("hero_coverage", 0, HERO_POINTS, "features no sample")

    if asset.status == "rejected":
        flags.append(FLAG_REJECTED)
    add("approval", 10 * APPROVAL_POINTS[asset.status], APPROVAL_MAX, asset.status)

    points, note, flag = _rights(asset.rights_expire_at, now=now, shoot_date=shoot_date)
    if flag:
        flags.append(flag)
    add("rights", 10 * points, RIGHTS_POINTS, note)

    if asset.kind == "image" and asset.pixels is not None:
        sharp, exposure = asset.pixels.sharpness, asset.pixels.exposure
        add(
            "sharpness",
            _tenths(SHARPNESS_POINTS * sharp),
            SHARPNESS_POINTS,
            f"measured sharpness {sharp:.2f}",
        )
        add(
            "exposure",
            _tenths(EXPOSURE_POINTS * exposure),
            EXPOSURE_POINTS,
            f"measured exposure {exposure:.2f}",
        )
    else:
        why = "not measured (videos and unmeasured images are not marked down)"
        add("sharpness", 0, 0, why)
        add("exposure", 0, 0, why)

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
        best_channels=sized.ranked if sized else (),
        channel_scores={
            key: percent_half_up(rest + tenths, available)
            for key, tenths in (sized.tenths.items() if sized else ())
        },
        features_hero=features_hero,
        featured_sample_ids=asset.featured_sample_ids,
        rights_expire_at=asset.rights_expire_at,
        flags=tuple(dict.fromkeys(flags)),
        notes=tuple(notes),
        usable=asset.status != "rejected" and FLAG_RIGHTS_EXPIRED not in flags,
    )


def score_assets(
    assets: Iterable[AssetInput],
    *,
    samples: Sequence[SampleInput],
    shoot_date: date | None,
    now: datetime,
) -> MediaAnalysis:
    """Score every asset 0-100 with its breakdown (see the module docstring), rank them, and
    find the campaign's coverage gaps: hero samples with no approved, usable asset featuring
    them, and targeted channels with no approved, usable asset that fits.

    An asset with no size gets no channel points and a note; unknown channel names are
    ignored with a note and a flag. Refuses nothing beyond what the inputs refuse.
    O(n log n) in assets and samples (a fixed number of channels).
    """
    heroes = {s.id for s in samples if s.is_hero}
    known = {s.id for s in samples}
    size_cache: dict[tuple[int, int, str], _SizeFits] = {}
    scored = [
        _score_asset(
            a,
            heroes=heroes,
            known_samples=known,
            now=now,
            shoot_date=shoot_date,
            size_cache=size_cache,
        )
        for a in assets
    ]
    ranking = rank_then_name(
        scored,
        rank=lambda a: -2 * a.score + (not a.usable),
        name=lambda a: a.title,
        ident=lambda a: a.asset_id,
    )

    covered: set[str] = set()  # samples featured by an approved, usable asset
    targeted: set[str] = set()
    fitting: set[str] = set()  # channels an approved, usable asset fits
    closest: dict[str, tuple[float, str]] = {}  # channel → (best fit, asset id), usable assets
    candidate: dict[str, str] = {}  # sample → best usable asset featuring it, not approved
    for asset in ranking:
        targeted.update(asset.target_channels)
        approved = asset.usable and asset.status == "approved"
        if approved:
            covered.update(asset.featured_sample_ids)
        elif asset.usable:
            for sample_id in asset.featured_sample_ids:
                candidate.setdefault(sample_id, asset.asset_id)  # ranking order: best first
        for fit in asset.best_channels:
            if approved and fit.fits:
                fitting.add(fit.channel)
            if asset.usable and (fit.channel not in closest or fit.fit > closest[fit.channel][0]):
                closest[fit.channel] = (fit.fit, asset.asset_id)

    hero_gaps = tuple(
        HeroGap(s.id, s.name, candidate.get(s.id))
        for s in rank_then_name(
            (s for s in samples if s.is_hero and s.id not in covered),
            rank=lambda s: s.priority,
            name=lambda s: s.name,
            ident=lambda s: s.id,
        )
    )
    channels = tuple(key for key in CHANNELS if key in targeted)
    channel_gaps = tuple(
        ChannelGap(
            key,
            CHANNELS[key].label,
            CHANNELS[key].requirement,
            closest[key][1] if key in closest else None,
        )
        for key in channels
        if key not in fitting
    )
    return MediaAnalysis(
        ranking=tuple(ranking),
        coverage_gaps=CoverageGaps(hero_gaps, channel_gaps),
        channels=channels,
        _by_id={a.asset_id: a for a in ranking},
    )
