"""The media scorer: every asset scored (`media_scores`), ranked, the best per channel, and
what the campaign lacks (facts only; `assistant/media_words.py` writes the notes, the
messages and the wire shape).

Channels, and how an asset of a given size fits one, are described in `media_channels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from logistics.analysis.inputs import NOT_ARRIVED_STATUSES, AssetInput, SampleInput
from logistics.analysis.media_channels import (
    CHANNELS,
    ChannelFit,
    UnknownChannelError,
    channel_key,
)
from logistics.analysis.media_scores import AssetScore, SizeFits, score_asset
from logistics.analysis.ordering import rank_then_name

ALGORITHM_VERSION = "2"
# Added to an asset's rank when it features a sample that has not arrived: after every asset
# whose samples are all here, whatever its score (ranks are otherwise -200..1).
NOT_ARRIVED_RANK = 1_000


@dataclass(frozen=True, slots=True)
class HeroGap:
    """A hero sample with no approved, usable asset featuring it. `candidate_asset_id` is
    the best-scoring usable asset that features it but is not approved yet, if any."""

    sample_id: str
    name: str
    candidate_asset_id: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelGap:
    """A channel (key) the campaign targets for which no approved, usable asset fits.
    `closest_asset_id` is the usable asset (approved or not) that fits it best, if any."""

    channel: str
    closest_asset_id: str | None


@dataclass(frozen=True, slots=True)
class CoverageGaps:
    hero_samples: tuple[HeroGap, ...]
    channels: tuple[ChannelGap, ...]


@dataclass(frozen=True, slots=True)
class MediaAnalysis:
    """Scores of every asset, best first (`ranking`: assets whose featured samples have all
    arrived before the others, then by score, usable before unusable on a tie), and the
    campaign's coverage gaps.

    `channels` are the channels the campaign's assets target (table order).
    """

    ranking: tuple[AssetScore, ...]
    coverage_gaps: CoverageGaps
    channels: tuple[str, ...]
    _by_id: dict[str, AssetScore] = field(default_factory=dict, repr=False, compare=False)

    def asset(self, asset_id: str) -> AssetScore:
        return self._by_id[asset_id]

    def flagged(self, flag: str) -> list[AssetScore]:
        """The assets carrying `flag` (`media_scores.FLAG_*`: rights expired or expiring
        before the shoot, low resolution, ...), best first."""
        return [asset for asset in self.ranking if flag in asset.flags]

    def best_for(self, channel: str, *, limit: int | None = None) -> list[AssetScore]:
        """Usable assets that suit `channel` (a key or an alias), best first: those whose
        featured samples have all arrived before the others, then those that fit it before
        those that would need more cropping or pixels, then by the score the asset would
        have with that channel as its only target, then by fit, then by title.
        Raises UnknownChannelError for a name that is not a channel. O(n log n)."""
        key = self._key(channel)
        candidates: list[tuple[tuple[bool, bool, int, float, str, str], AssetScore]] = []
        for asset in self.ranking:
            fit = asset.fit_for(key) if asset.usable else None
            if fit is not None:
                score = asset.channel_scores[key]
                order = (
                    bool(asset.pending_sample_ids),
                    not fit.fits,
                    -score,
                    -fit.fit,
                    asset.title.casefold(),
                    asset.asset_id,
                )
                candidates.append((order, asset))
        candidates.sort(key=lambda pair: pair[0])
        return [asset for _, asset in candidates[:limit]]

    def featuring(self, sample_id: str) -> list[AssetScore]:
        """The assets that feature a sample, in ranking order. O(n)."""
        return [asset for asset in self.ranking if sample_id in asset.featured_sample_ids]

    def covering_sample(self, sample_id: str) -> list[AssetScore]:
        """The assets that cover a sample (approved and usable, the rule the hero gaps use),
        in ranking order. O(n)."""
        return [asset for asset in self.featuring(sample_id) if _covers_sample(asset)]

    def covered_samples(self) -> dict[str, list[AssetScore]]:
        """Every covered sample id → the assets that cover it (as `covering_sample`), in one
        pass over the assets. O(n + featured samples)."""
        covered: dict[str, list[AssetScore]] = {}
        for asset in self.ranking:
            if _covers_sample(asset):
                for sample_id in asset.featured_sample_ids:
                    covered.setdefault(sample_id, []).append(asset)
        return covered

    def covering(self, channel: str) -> list[AssetScore]:
        """The assets that give `channel` its content: approved, usable and fitting it
        (the rule the coverage gaps use), in `best_for` order. Empty: the channel has a gap
        (whether the campaign targets it or not). Raises UnknownChannelError."""
        key = self._key(channel)
        return [asset for asset in self.best_for(key) if _covers(asset, asset.fit_for(key))]

    @staticmethod
    def _key(channel: str) -> str:
        key = channel_key(channel)
        if key is None:
            raise UnknownChannelError(channel)
        return key


def _covers_sample(asset: AssetScore) -> bool:
    """Whether an asset covers the samples it features: approved and usable."""
    return asset.usable and asset.status == "approved"


def _covers(asset: AssetScore, fit: ChannelFit | None) -> bool:
    """Whether an asset gives a channel content: approved, usable, and it fits."""
    return _covers_sample(asset) and fit is not None and fit.fits


def score_assets(
    assets: Iterable[AssetInput],
    *,
    samples: Sequence[SampleInput],
    shoot_date: date | None,
    now: datetime,
) -> MediaAnalysis:
    """Score every asset 0-100 with its breakdown (see `media_scores`), rank them, and find
    the campaign's coverage gaps: hero samples with no approved, usable asset featuring
    them, and targeted channels with no approved, usable asset that fits.

    An asset with no size gets no channel points and the flag `no_size`; unknown channel
    names are ignored with a flag. Refuses nothing beyond what the inputs refuse.
    O(n log n) in assets and samples (a fixed number of channels).
    """
    heroes = {s.id for s in samples if s.is_hero}
    known = {s.id for s in samples}
    not_arrived = {s.id for s in samples if s.status in NOT_ARRIVED_STATUSES}
    size_cache: dict[tuple[int, int, str], SizeFits] = {}
    scored = [
        score_asset(
            a,
            heroes=heroes,
            known_samples=known,
            now=now,
            shoot_date=shoot_date,
            size_cache=size_cache,
            not_arrived=not_arrived,
        )
        for a in assets
    ]
    ranking = rank_then_name(
        scored,
        rank=lambda a: (
            -2 * a.score + (not a.usable) + NOT_ARRIVED_RANK * bool(a.pending_sample_ids)
        ),
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
        approved = _covers_sample(asset)
        if approved:
            covered.update(asset.featured_sample_ids)
        elif asset.usable:
            for sample_id in asset.featured_sample_ids:
                candidate.setdefault(sample_id, asset.asset_id)  # ranking order: best first
        for fit in asset.best_channels:
            if _covers(asset, fit):
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
        ChannelGap(key, closest[key][1] if key in closest else None)
        for key in channels
        if key not in fitting
    )
    return MediaAnalysis(
        ranking=tuple(ranking),
        coverage_gaps=CoverageGaps(hero_gaps, channel_gaps),
        channels=channels,
        _by_id={a.asset_id: a for a in ranking},
    )
