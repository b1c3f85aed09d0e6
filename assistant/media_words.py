"""The media scorer's facts in words and in the original wire shape: channel names and
requirements, how an asset fits a channel, the note on each line of a score's breakdown,
an asset's notes, the coverage gaps' messages. `logistics.analysis` computes; this module
writes."""

from __future__ import annotations

from typing import Any

from assistant.wording import format_minutes
from logistics.analysis import media_scores as scores
from logistics.analysis.media_analyzer import ChannelGap, HeroGap, MediaAnalysis
from logistics.analysis.media_channels import CHANNELS, ChannelFit, UnknownChannelError
from logistics.analysis.media_scores import FLAG_NO_SIZE, AssetScore, Rights, ScoreComponent

TOP_PER_CHANNEL = 3  # assets listed per channel in `bestByChannel`

CHANNEL_LABELS: dict[str, str] = {
    "instagram_feed": "Instagram feed",
    "instagram_story": "Instagram story",
    "tiktok": "TikTok",
    "web_hero": "Web hero banner",
    "ecommerce": "E-commerce product page",
    "youtube": "YouTube",
    "pinterest": "Pinterest",
    "print": "Print",
}
UNKNOWN_CHANNEL_MESSAGE = "Unknown channel {name!r}; known channels: {known}."
NO_SIZE_NOTE = "no size: width and height are unknown, so channel fit cannot be judged"
NOT_MEASURED_NOTE = "not measured (videos and unmeasured images are not marked down)"
HERO_COVERAGE_NOTES = {
    scores.FEATURES_HERO: "features a hero sample",
    scores.FEATURES_SAMPLES: "features samples, no hero",
    scores.FEATURES_NONE: "features no sample",
}


# --- Channels --------------------------------------------------------------------------------


def channel_label(key: str) -> str:
    """A channel's name as people say it: "Instagram story"."""
    return CHANNEL_LABELS[key]


def channel_requirement(key: str) -> str:
    """What a channel asks of an asset: "9:16, at least 1080x1920", "4:5 or 1:1, at least
    1080 px wide"."""
    spec = CHANNELS[key]
    ratios = " or ".join(f"{w}:{h}" for w, h in spec.ratios)
    if spec.min_width and spec.min_height:
        size = f"at least {spec.min_width}x{spec.min_height}"
    else:
        size = f"at least {spec.min_width} px wide"
    return f"{ratios}, {size}"


def unknown_channel_message(error: UnknownChannelError) -> str:
    """ "Unknown channel 'fax'; known channels: instagram_feed, …"."""
    return UNKNOWN_CHANNEL_MESSAGE.format(name=error.name, known=", ".join(CHANNELS))


def _fit_notes(fit: ChannelFit) -> list[str]:
    if not fit.suitable:
        return [f"{channel_label(fit.channel)} does not take a {fit.kind}"]
    notes = [
        f"{fit.width}x{fit.height} matches {fit.ratio}"
        if fit.aspect_ok
        else f"crop to {fit.ratio} keeps {fit.keep_percent}% of the frame"
    ]
    if not fit.resolution_ok:
        need = f"{fit.min_width}x{fit.min_height}" if fit.min_height else f"{fit.min_width} wide"
        notes.append(f"{fit.crop_width}x{fit.crop_height} after cropping is below {need}")
    return notes


def fit_note(fit: ChannelFit) -> str:
    """How the asset's frame meets the channel: "1080x1350 matches 4:5", "crop to 9:16 keeps
    32% of the frame; 608x1080 after cropping is below 1080x1920"."""
    return "; ".join(_fit_notes(fit))


# --- An asset's score ------------------------------------------------------------------------


def rights_note(rights: Rights) -> str:
    """ "no expiry", "rights expired on 2025-02-28", "rights expire on 2025-03-10, before the
    shoot on 2025-03-10 is over", "rights expire in 3d (2025-03-04)", "rights valid until …"."""
    if rights.expires_at is None or rights.minutes_left is None:
        return "no expiry"
    day = rights.expires_at.date().isoformat()
    if rights.code == scores.RIGHTS_EXPIRED:
        return f"rights expired on {day}"
    if rights.code == scores.RIGHTS_BEFORE_SHOOT and rights.shoot_date is not None:
        shoot = rights.shoot_date.isoformat()
        return f"rights expire on {day}, before the shoot on {shoot} is over"
    if rights.code == scores.RIGHTS_EXPIRING_SOON:
        return f"rights expire in {format_minutes(rights.minutes_left)} ({day})"
    return f"rights valid until {day}"


def component_note(asset: AssetScore, component: ScoreComponent) -> str:
    """The note on one line of the asset's breakdown."""
    name, code = component.name, component.code
    if code == scores.NO_SIZE:
        return NO_SIZE_NOTE
    if name == "resolution":
        low = [channel_label(f.channel) for f in asset.judged_fits if not f.resolution_ok]
        return f"too small for {', '.join(low)}" if low else "meets every channel's minimum"
    if name == "aspect_ratio":
        return (
            "; ".join(f"{channel_label(f.channel)}: {_fit_notes(f)[0]}" for f in asset.judged_fits)
            or "no channel"
        )
    if name == "hero_coverage":
        return HERO_COVERAGE_NOTES[code]
    if name == "rights":
        return rights_note(asset.rights)
    if name in ("sharpness", "exposure"):
        if asset.measured is None:
            return NOT_MEASURED_NOTE
        return f"measured {name} {getattr(asset.measured, name):.2f}"
    return code  # approval: the status itself


def asset_notes(asset: AssetScore) -> list[str]:
    """What the score could not judge as given: unknown channels (ignored), target channels
    the asset's kind does not suit, no target channel (judged on its best), no size,
    featured samples that are not the campaign's, and featured samples that have not
    arrived."""
    notes = [f"unknown channel {name!r} ignored" for name in asset.unknown_channels]
    if FLAG_NO_SIZE in asset.flags:
        notes.append(NO_SIZE_NOTE)
    else:
        notes.extend(
            f"a {asset.kind} does not suit {channel_label(fit.channel)}"
            for fit in asset.target_fits
            if not fit.suitable
        )
        if not asset.target_channels and asset.judged_fits:
            notes.append(
                "no target channel: judged on its best channel, "
                + channel_label(asset.judged_fits[0].channel)
            )
    if asset.unknown_sample_ids:
        notes.append(f"features unknown samples: {', '.join(asset.unknown_sample_ids)}")
    if asset.pending_sample_ids:
        notes.append(
            "features samples that have not arrived (ranked after the assets whose samples "
            f"are all here): {', '.join(asset.pending_sample_ids)}"
        )
    return notes


# --- Coverage gaps ---------------------------------------------------------------------------


def hero_gap_message(gap: HeroGap) -> str:
    """ "Hero sample Silk Gown has no approved asset featuring it."."""
    return f"Hero sample {gap.name} has no approved asset featuring it."


def channel_gap_message(gap: ChannelGap) -> str:
    """ "No approved asset fits Instagram story (9:16, at least 1080x1920)."."""
    label, requirement = channel_label(gap.channel), channel_requirement(gap.channel)
    return f"No approved asset fits {label} ({requirement})."


# --- The wire shape --------------------------------------------------------------------------


def fit_dict(fit: ChannelFit, score: int | None = None) -> dict[str, Any]:
    """How an asset fits a channel, in the original wire shape (`score`: the asset's score
    with that channel as its only target)."""
    return {
        "channel": fit.channel,
        "label": channel_label(fit.channel),
        "ratio": fit.ratio,
        "fit": fit.fit_percent,
        "score": score,
        "fits": fit.fits,
        "resolutionOk": fit.resolution_ok,
        "aspectOk": fit.aspect_ok,
        "note": fit_note(fit),
    }


def component_dict(asset: AssetScore, component: ScoreComponent) -> dict[str, Any]:
    """One line of a breakdown in the original wire shape."""
    return {
        "name": component.name,
        "points": component.points,
        "maxPoints": component.max_points,
        "note": component_note(asset, component),
    }


def asset_dict(asset: AssetScore) -> dict[str, Any]:
    """An asset's score in the original wire shape."""
    expires = asset.rights.expires_at
    return {
        "assetId": asset.asset_id,
        "title": asset.title,
        "kind": asset.kind,
        "status": asset.status,
        "score": asset.score,
        "breakdown": [component_dict(asset, component) for component in asset.breakdown],
        "targetChannels": list(asset.target_channels),
        "targetFits": [
            fit_dict(fit, asset.channel_scores.get(fit.channel, 0)) for fit in asset.target_fits
        ],
        "bestChannels": [
            fit_dict(fit, asset.channel_scores[fit.channel]) for fit in asset.best_channels
        ],
        "featuresHero": asset.features_hero,
        "featuredSampleIds": list(asset.featured_sample_ids),
        "pendingSampleIds": list(asset.pending_sample_ids),
        "rightsExpireAt": expires.isoformat() if expires else None,
        "flags": list(asset.flags),
        "notes": asset_notes(asset),
        "usable": asset.usable,
    }


def hero_gap_dict(gap: HeroGap) -> dict[str, Any]:
    """A hero sample without an approved asset, in the original wire shape."""
    return {
        "sampleId": gap.sample_id,
        "name": gap.name,
        "candidateAssetId": gap.candidate_asset_id,
        "message": hero_gap_message(gap),
    }


def channel_gap_dict(gap: ChannelGap) -> dict[str, Any]:
    """A channel without an approved asset that fits, in the original wire shape."""
    return {
        "channel": gap.channel,
        "label": channel_label(gap.channel),
        "requirement": channel_requirement(gap.channel),
        "closestAssetId": gap.closest_asset_id,
        "message": channel_gap_message(gap),
    }


def media_report(analysis: MediaAnalysis) -> dict[str, Any]:
    """The media scorer's answer in the original wire shape: the ranking, each asset's
    score, the coverage gaps, the channels targeted and the best assets per channel."""
    gaps = analysis.coverage_gaps
    return {
        "ranking": [asset.asset_id for asset in analysis.ranking],
        "assets": [asset_dict(asset) for asset in analysis.ranking],
        "coverageGaps": {
            "heroSamples": [hero_gap_dict(gap) for gap in gaps.hero_samples],
            "channels": [channel_gap_dict(gap) for gap in gaps.channels],
        },
        "channels": list(analysis.channels),
        "bestByChannel": {
            key: [a.asset_id for a in analysis.best_for(key, limit=TOP_PER_CHANNEL)]
            for key in analysis.channels
        },
    }
