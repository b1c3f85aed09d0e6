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
from assistant.chat.skills.media_asset_words import (
    channel_state,
    flag_notes,
    rights_dict,
    why_unusable,
)
from assistant.chat.skills.media_context import (
    ASK_BEST,
    ASK_HERO_GAPS,
    ASK_STORIES,
    ASK_TIKTOK,
    FOLLOW_UP,
    RIGHTS_WATCH,
    SKILL,
    SUGGESTED,
    TOP,
    media_analysis,
    no_assets_reply,
)
from assistant.chat.skills.media_named import (
    asset_answer,
    best_for_channel,
    named_asset,
    sample_coverage,
)
from assistant.chat.subjects import named_one
from assistant.chat.yes_no import asks_about_problem, led, opening
from assistant.intents import IntentMatch
from assistant.media_words import (
    channel_gap_dict,
    channel_label,
    channel_requirement,
    hero_gap_dict,
    rights_note,
)
from assistant.wording import plural
from logistics.analysis import media_scores as scores
from logistics.analysis.media_analyzer import MediaAnalysis
from logistics.analysis.media_channels import CHANNELS


def asset_ranking(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets:
        return no_assets_reply("asset_ranking", ctx)
    analysis = media_analysis(ctx)
    asset = named_asset(analysis, match)
    if asset is not None:
        return asset_answer(ctx, analysis, asset, "asset_ranking", match)
    if match.entities.channel:
        return best_for_channel(ctx, analysis, match.entities.channel, "asset_ranking", match)
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
        f"{', best for ' + channel_label(a.best_channels[0].channel) if a.best_channels else ''}"
        + "".join(f"; {note}" for note in flag_notes(a, ctx) if a.usable)
        + ")"
        for a in shown
    )
    unusable = [a for a in ranking if not a.usable]
    if unusable:
        content += f". {plural(len(unusable), 'asset')} can't be used: " + listing(
            [f"{a.title} ({why_unusable(a)})" for a in unusable[:NAMES_SHOWN]],
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


def coverage_gaps(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets and not any(sample.is_hero for sample in ctx.samples):
        return no_assets_reply("coverage_gaps", ctx)
    analysis = media_analysis(ctx)
    sample = named_one(
        match.message, ctx.samples, name=lambda s: s.name, group=lambda s: s.category
    )
    if sample is not None:
        return sample_coverage(ctx, analysis, sample, match)
    gaps = analysis.coverage_gaps
    heroes = list(gaps.hero_samples)
    channels = [] if match.entities.hero_only else list(gaps.channels)
    lead = opening(match.message, problem=bool(heroes or channels))
    fragile = _fragile_heroes(ctx, analysis)
    if not heroes and not channels:
        return Reply(
            content=lead + "Coverage is complete: every hero piece has an approved asset and "
            "every targeted channel has one that fits." + fragile,
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
        content=lead + ". ".join(parts) + "." + fragile,
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


def _fragile_heroes(ctx: AnalysisInput, analysis: MediaAnalysis) -> str:
    """ " Covered only by assets whose rights run out: Leather Slingback (Slingback still
    life: rights expire on …)." for hero pieces every covering asset of which carries a
    rights flag (empty when there is none)."""
    covered = analysis.covered_samples()
    fragile = []
    for sample in ctx.samples:
        assets = covered.get(sample.id) if sample.is_hero else None
        if assets and all(a.rights.code in RIGHTS_WATCH for a in assets):
            fragile.append(f"{sample.name} ({assets[0].title}: {rights_note(assets[0].rights)})")
    if not fragile:
        return ""
    return (
        f" {plural(len(fragile), 'hero piece')} covered only by assets whose rights run out: "
        + listing(fragile[:NAMES_SHOWN], total=len(fragile), sep="; ")
        + "."
    )


def channel_fit(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets:
        return no_assets_reply("channel_fit", ctx)
    analysis = media_analysis(ctx)
    asset = named_asset(analysis, match)
    if asset is not None:
        return asset_answer(ctx, analysis, asset, "channel_fit", match)
    if match.entities.channel:
        return best_for_channel(ctx, analysis, match.entities.channel, "channel_fit", match)
    lines, rows = [], []
    for key in analysis.channels or tuple(CHANNELS)[:4]:
        best = analysis.best_for(key, limit=1)
        label = channel_label(key)
        if not best:
            lines.append(f"{label}: none")
            rows.append({"channel": key, "assetId": None, "score": None, "covered": False})
            continue
        top, covered = best[0], bool(analysis.covering(key))
        lines.append(f"{label}: {top.title} ({channel_state(top, key, ctx)})")
        rows.append(
            {
                "channel": key,
                "assetId": top.asset_id,
                "score": top.channel_scores[key],
                "covered": covered,
            }
        )
    return Reply(
        content="Best asset per channel: " + "; ".join(lines) + ".",
        intent="channel_fit",
        skill=SKILL,
        severity="info" if all(row["covered"] for row in rows) else "warning",
        actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
        follow_up=(ASK_TIKTOK, ASK_HERO_GAPS),
        data={"channels": rows},
    )


def rights_check(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    """The assets whose usage rights need attention (expired, ending before the shoot is
    over, ending within 30 days of it), soonest first, each with the analyzer's flag in
    words; narrowed to one asset when the message names it."""
    if not ctx.assets:
        return no_assets_reply("rights_check", ctx)
    analysis = media_analysis(ctx)
    asset = named_asset(analysis, match)
    if asset is not None:
        usable = asset.usable
        # "has its licence expired?" asks about the rights; "can we still use it?" about use.
        watched = asset.rights.code in RIGHTS_WATCH
        lead = opening(
            match.message, problem=watched if asks_about_problem(match.message) else not usable
        )
        content = f"{lead}{asset.title}: {rights_note(asset.rights)}"
        content += "." if usable else "; it can't be used."
        return Reply(
            content=content,
            intent="rights_check",
            skill=SKILL,
            severity="info" if asset.rights.code not in RIGHTS_WATCH else "warning",
            actions=(Action(f"Open {asset.title}", targets.asset(asset.asset_id), True),),
            follow_up=SUGGESTED["rights_check"],
            data={"rights": [rights_dict(asset)]},
        )
    watch = sorted(
        (a for a in analysis.ranking if a.rights.code in RIGHTS_WATCH),
        key=lambda a: (a.rights.expires_at, a.title.casefold(), a.asset_id),
    )
    lead = opening(match.message, problem=bool(watch))
    if not watch:
        horizon = "the shoot" if ctx.shoot_date is not None else "today"
        return Reply(
            content=led(
                lead,
                f"no asset's usage rights run out within 30 days of {horizon}; "
                f"{plural(len(analysis.ranking), 'asset')} checked.",
            ),
            intent="rights_check",
            skill=SKILL,
            severity="success",
            actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
            follow_up=SUGGESTED["rights_check"],
            data={"rights": [], "rightsCount": 0},
        )
    shown = watch[: LIST_LIMIT if match.entities.names_requested else NAMES_SHOWN]
    content = (
        f"{lead}{plural(len(watch), 'asset')} with usage rights to act on: "
        + listing(
            [f"{a.title} ({rights_note(a.rights)})" for a in shown], total=len(watch), sep="; "
        )
        + "."
    )
    urgent = any(a.rights.code != scores.RIGHTS_EXPIRING_SOON for a in watch)
    return Reply(
        content=content,
        intent="rights_check",
        skill=SKILL,
        severity="critical" if urgent else "warning",
        actions=(
            Action(f"Open {watch[0].title}", targets.asset(watch[0].asset_id), True),
            Action("Open media library", targets.MEDIA_LIBRARY),
        ),
        follow_up=SUGGESTED["rights_check"],
        data={"rights": [rights_dict(a) for a in watch[:DATA_LIMIT]], "rightsCount": len(watch)},
    )


HANDLERS = {
    "rights_check": rights_check,
    "asset_ranking": asset_ranking,
    "coverage_gaps": coverage_gaps,
    "channel_fit": channel_fit,
}
