"""The media skill: the best assets, coverage gaps and channel fit, answered from the media
scorer."""

from __future__ import annotations

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import (
    DATA_LIMIT,
    LIST_LIMIT,
    NAMES_SHOWN,
    Action,
    Reply,
    capped,
    listing,
)
from assistant.intents import IntentMatch
from assistant.media_words import (
    channel_gap_dict,
    channel_label,
    channel_requirement,
    fit_note,
    hero_gap_dict,
)
from assistant.wording import plural
from logistics.analysis.media_analyzer import MediaAnalysis, score_assets
from logistics.analysis.media_channels import CHANNELS
from logistics.analysis.media_scores import FLAG_RIGHTS_EXPIRED, AssetScore

SKILL = "media"
TOP = 3

ASK_HERO_GAPS = "Which hero pieces have no approved shot?"
ASK_STORIES = "What works best for Instagram stories?"
ASK_BEST = "Which are our best shots?"
ASK_TIKTOK = "What works best for TikTok?"
FOLLOW_UP = (ASK_HERO_GAPS, ASK_STORIES)
# Every question an answer of this skill may suggest, by intent (checked by the tests).
SUGGESTED: dict[str, tuple[str, ...]] = {
    "asset_ranking": FOLLOW_UP,
    "coverage_gaps": (ASK_HERO_GAPS, ASK_BEST, ASK_STORIES),
    "channel_fit": (*FOLLOW_UP, ASK_TIKTOK),
}


def _analysis(ctx: AnalysisInput) -> MediaAnalysis:
    return score_assets(ctx.assets, samples=ctx.samples, shoot_date=ctx.shoot_date, now=ctx.now)


def _no_assets(intent: str, ctx: AnalysisInput) -> Reply:
    return Reply(
        content=f"{ctx.campaign_name} has no assets yet. Upload the first selects to score them.",
        intent=intent,
        skill=SKILL,
        actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
        follow_up=(ASK_HERO_GAPS,),
    )


def _best_for_channel(ctx: AnalysisInput, analysis: MediaAnalysis, channel: str, intent: str):
    label = channel_label(channel)
    best = analysis.best_for(channel, limit=TOP)
    if not best:
        return Reply(
            content=f"No usable asset suits {label} ({channel_requirement(channel)}).",
            intent=intent,
            skill=SKILL,
            severity="warning",
            actions=(Action("Open media library", targets.channel(channel), True),),
            follow_up=FOLLOW_UP,
        )
    top = best[0]
    fit = top.fit_for(channel)
    content = f"Best for {label}: {top.title} (score {top.channel_scores.get(channel, top.score)}"
    content += f", {fit_note(fit)})" if fit else ")"
    if fit is not None and not fit.fits:
        content += " — it still needs work for this channel"
    if len(best) > 1:
        content += ". Next: " + ", ".join(
            f"{a.title} ({a.channel_scores.get(channel, a.score)})" for a in best[1:]
        )
    content += "."
    return Reply(
        content=content,
        intent=intent,
        skill=SKILL,
        severity="success" if fit is not None and fit.fits else "warning",
        actions=(
            Action(f"Open {top.title}", targets.asset(top.asset_id), True),
            Action("See all for this channel", targets.channel(channel)),
        ),
        follow_up=FOLLOW_UP,
        data={"channel": channel, "assets": [a.asset_id for a in best]},
    )


def asset_ranking(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets:
        return _no_assets("asset_ranking", ctx)
    analysis = _analysis(ctx)
    if match.entities.channel:
        return _best_for_channel(ctx, analysis, match.entities.channel, "asset_ranking")
    ranking = list(analysis.ranking)
    if match.entities.hero_only:
        ranking = [a for a in ranking if a.features_hero]
    shown = ranking[: LIST_LIMIT if match.entities.names_requested else TOP]
    if not shown:
        return Reply(
            content="No asset features a hero piece yet.",
            intent="asset_ranking",
            skill=SKILL,
            severity="warning",
            actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
            follow_up=FOLLOW_UP,
        )
    content = "Top assets: " + "; ".join(
        f"{a.title} ({a.score}/100"
        f"{', best for ' + channel_label(a.best_channels[0].channel) if a.best_channels else ''})"
        for a in shown
    )
    unusable = [a for a in ranking if not a.usable]
    if unusable:
        content += f". {plural(len(unusable), 'asset')} can't be used: " + listing(
            [f"{a.title} ({_why_unusable(a)})" for a in unusable[:NAMES_SHOWN]],
            total=len(unusable),
        )
    content += "."
    return Reply(
        content=content,
        intent="asset_ranking",
        skill=SKILL,
        severity="info",
        actions=(
            Action(f"Open {shown[0].title}", targets.asset(shown[0].asset_id), True),
            Action("Open media library", targets.MEDIA_LIBRARY),
        ),
        follow_up=FOLLOW_UP,
        data={
            "ranking": [{"assetId": a.asset_id, "score": a.score} for a in shown],
            "assetCount": len(ranking),
            "unusable": capped(a.asset_id for a in unusable),
            "unusableCount": len(unusable),
        },
    )


def _why_unusable(asset: AssetScore) -> str:
    return "rights expired" if FLAG_RIGHTS_EXPIRED in asset.flags else "rejected"


def coverage_gaps(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets and not any(sample.is_hero for sample in ctx.samples):
        return _no_assets("coverage_gaps", ctx)
    analysis = _analysis(ctx)
    gaps = analysis.coverage_gaps
    heroes = list(gaps.hero_samples)
    channels = [] if match.entities.hero_only else list(gaps.channels)
    if not heroes and not channels:
        return Reply(
            content="Coverage is complete: every hero piece has an approved asset and every "
            "targeted channel has one that fits.",
            intent="coverage_gaps",
            skill=SKILL,
            severity="success",
            actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
            follow_up=(ASK_BEST,),
        )
    shown = LIST_LIMIT if match.entities.names_requested else NAMES_SHOWN
    parts = []
    if heroes:
        parts.append(
            f"{plural(len(heroes), 'hero piece')} without an approved asset: "
            + listing([gap.name for gap in heroes[:shown]], total=len(heroes))
        )
    if channels:
        parts.append(
            f"{plural(len(channels), 'channel')} with no approved asset that fits: "
            + ", ".join(
                f"{channel_label(gap.channel)} ({channel_requirement(gap.channel)})"
                for gap in channels
            )
        )
    return Reply(
        content=". ".join(parts) + ".",
        intent="coverage_gaps",
        skill=SKILL,
        severity="critical" if heroes else "warning",
        actions=(
            Action("Plan missing shots", targets.MEDIA_GAPS, True),
            *(Action(f"Open {gap.name}", targets.sample(gap.sample_id)) for gap in heroes[:1]),
        ),
        follow_up=(ASK_BEST, ASK_STORIES),
        data={
            "coverageGaps": {
                "heroSamples": [hero_gap_dict(gap) for gap in heroes[:DATA_LIMIT]],
                "channels": [channel_gap_dict(gap) for gap in channels],
            },
            "heroGapCount": len(heroes),
        },
    )


def channel_fit(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets:
        return _no_assets("channel_fit", ctx)
    analysis = _analysis(ctx)
    if match.entities.channel:
        return _best_for_channel(ctx, analysis, match.entities.channel, "channel_fit")
    lines = []
    for key in analysis.channels or tuple(CHANNELS)[:4]:
        best = analysis.best_for(key, limit=1)
        label = channel_label(key)
        lines.append(f"{label}: {best[0].title} ({best[0].score})" if best else f"{label}: none")
    return Reply(
        content="Best asset per channel: " + "; ".join(lines) + ".",
        intent="channel_fit",
        skill=SKILL,
        severity="info",
        actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
        follow_up=(ASK_TIKTOK, ASK_HERO_GAPS),
    )


HANDLERS = {
    "asset_ranking": asset_ranking,
    "coverage_gaps": coverage_gaps,
    "channel_fit": channel_fit,
}
