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
from assistant.chat.skills.sample_replies import STATUS_WORDS
from assistant.chat.subjects import named_one
from assistant.chat.yes_no import asks_about_problem, led, opening
from assistant.intents import IntentMatch
from assistant.intents.definitions import CHANNEL_ALIASES
from assistant.media_words import (
    channel_gap_dict,
    channel_label,
    channel_requirement,
    fit_note,
    hero_gap_dict,
    rights_note,
)
from assistant.wording import name_list, plural
from logistics.analysis import media_scores as scores
from logistics.analysis.inputs import SampleInput
from logistics.analysis.media_analyzer import MediaAnalysis, score_assets
from logistics.analysis.media_channels import CHANNELS
from logistics.analysis.media_scores import FLAG_RIGHTS_EXPIRED, AssetScore

SKILL = "media"
TOP = 3
# Rights a user must hear about (media_scores.RIGHTS_*), most urgent first.
RIGHTS_WATCH = (scores.RIGHTS_EXPIRED, scores.RIGHTS_BEFORE_SHOOT, scores.RIGHTS_EXPIRING_SOON)
STATUS_LABELS = {
    "approved": "approved",
    "in_review": "in review",
    "draft": "draft",
    "rejected": "rejected",
}

ASK_HERO_GAPS = "Which hero pieces have no approved shot?"
ASK_STORIES = "What works best for Instagram stories?"
ASK_BEST = "Which are our best shots?"
ASK_TIKTOK = "What works best for TikTok?"
ASK_RIGHTS = "Any usage rights expiring soon?"
FOLLOW_UP = (ASK_HERO_GAPS, ASK_STORIES)
# Every question an answer of this skill may suggest, by intent (checked by the tests).
SUGGESTED: dict[str, tuple[str, ...]] = {
    "asset_ranking": FOLLOW_UP,
    "coverage_gaps": (ASK_HERO_GAPS, ASK_BEST, ASK_STORIES),
    "channel_fit": (*FOLLOW_UP, ASK_TIKTOK),
    "rights_check": (ASK_BEST, ASK_HERO_GAPS),
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


def _flag_notes(asset: AssetScore, ctx: AnalysisInput) -> list[str]:
    """What the analyzer flags on an asset that a user choosing it must know: its usage
    rights running out (expired, before the shoot is over, within 30 days) and featured
    samples that have not arrived."""
    notes = []
    if asset.rights.code in RIGHTS_WATCH:
        notes.append(rights_note(asset.rights))
    if asset.pending_sample_ids:
        names = {s.id: s for s in ctx.samples}
        notes.append(
            "features "
            + name_list(
                [
                    f"{names[i].name} ({STATUS_WORDS[names[i].status]})"
                    for i in asset.pending_sample_ids
                    if i in names
                ]
            )
        )
    return notes


def _channel_line(asset: AssetScore, channel: str, ctx: AnalysisInput) -> str:
    """ "Slingback still life (score 82, approved, 1080x1920 matches 9:16; rights expire …)":
    the score the analyzer gives it for this channel, never its overall score."""
    fit = asset.fit_for(channel)
    facts = [f"score {asset.channel_scores[channel]}", STATUS_LABELS[asset.status]]
    if fit is not None:
        facts.append(fit_note(fit))
    return (
        f"{asset.title} ({', '.join(facts)}"
        + "".join(f"; {note}" for note in _flag_notes(asset, ctx))
        + ")"
    )


def _best_for_channel(
    ctx: AnalysisInput, analysis: MediaAnalysis, channel: str, intent: str, match: IntentMatch
) -> Reply:
    """The assets for one channel in the analyzer's order for it (`best_for`): those ready to
    use that fit, then those that need cropping or pixels, then those featuring a sample that
    has not arrived, each with its channel score and flags. A yes/no question ("do we have
    enough for tiktok?") is answered first from coverage: an approved asset that fits."""
    label = channel_label(channel)
    ranked = analysis.best_for(channel)
    covering = analysis.covering(channel)
    lead = opening(match.message, problem=not covering)
    if lead:
        lead += (
            f"{plural(len(covering), 'approved asset')} "
            f"{'fits' if len(covering) == 1 else 'fit'} {label}: "
            + name_list([a.title for a in covering], total=len(covering))
            + ". "
            if covering
            else f"no approved asset fits {label} ({channel_requirement(channel)}). "
        )
    if not ranked:
        return Reply(
            content=lead + f"No usable asset suits {label} ({channel_requirement(channel)}).",
            intent=intent,
            skill=SKILL,
            severity="warning",
            actions=(Action("Open media library", targets.channel(channel), True),),
            follow_up=FOLLOW_UP,
            data={"channel": channel, "assets": [], "covered": False, "covering": []},
        )
    shown = ranked[: LIST_LIMIT if match.entities.names_requested else TOP]
    groups: dict[str, list[str]] = {}
    for asset in shown:
        fit = asset.fit_for(channel)
        if asset.pending_sample_ids:
            group = "Waiting on samples that have not arrived"
        elif fit is not None and fit.fits:
            group = f"Best for {label}" if not groups else "Next"
        else:
            group = "Would need work" if groups else f"Closest for {label} (needs work)"
        groups.setdefault(group, []).append(_channel_line(asset, channel, ctx))
    content = lead + " ".join(f"{group}: {'; '.join(lines)}." for group, lines in groups.items())
    if len(ranked) > len(shown):
        content += f" And {plural(len(ranked) - len(shown), 'more asset')}."
    top = shown[0]
    top_fit = top.fit_for(channel)
    ready = top_fit is not None and top_fit.fits and not top.pending_sample_ids
    return Reply(
        content=content,
        intent=intent,
        skill=SKILL,
        severity="success" if covering and ready else "warning",
        actions=(
            Action(f"Open {top.title}", targets.asset(top.asset_id), True),
            Action("See all for this channel", targets.channel(channel)),
        ),
        follow_up=FOLLOW_UP,
        data={
            "channel": channel,
            "assets": [a.asset_id for a in shown],
            "scores": [a.channel_scores[channel] for a in shown],
            "assetCount": len(ranked),
            "covered": bool(covering),
            "covering": capped(a.asset_id for a in covering),
        },
    )


def asset_ranking(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets:
        return _no_assets("asset_ranking", ctx)
    analysis = _analysis(ctx)
    asset = _named_asset(analysis, match)
    if asset is not None:
        return _asset_answer(ctx, analysis, asset, "asset_ranking", match)
    if match.entities.channel:
        return _best_for_channel(ctx, analysis, match.entities.channel, "asset_ranking", match)
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
        + "".join(f"; {note}" for note in _flag_notes(a, ctx) if a.usable)
        + ")"
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


def _asset_answer(
    ctx: AnalysisInput, analysis: MediaAnalysis, asset: AssetScore, intent: str, match: IntentMatch
) -> Reply:
    """One named asset: its score and place in the ranking, how it fits the channel asked
    about (unless the channel's name is only a word of the asset's title: "Knit story wide"),
    or where it fits best, and its flags."""
    place = analysis.ranking.index(asset) + 1
    facts = [f"score {asset.score}/100, #{place} of {len(analysis.ranking)}"]
    facts.append(STATUS_LABELS[asset.status])
    channel = match.entities.channel
    lead = ""
    if channel and not _channel_in_title(channel, asset.title):
        # "is it good for tiktok?": yes when it gives the channel content (coverage's rule)
        lead = opening(match.message, problem=asset not in analysis.covering(channel))
        fit = asset.fit_for(channel)
        facts.append(
            f"for {channel_label(channel)}: score {asset.channel_scores[channel]}, {fit_note(fit)}"
            if fit is not None
            else f"{channel_label(channel)} does not take a {asset.kind}"
        )
    elif asset.best_channels:
        best = asset.best_channels[0]
        facts.append(f"best for {channel_label(best.channel)} ({fit_note(best)})")
    if not asset.usable:
        facts.append(f"can't be used: {_why_unusable(asset)}")
    facts.extend(_flag_notes(asset, ctx) if asset.usable else ())
    return Reply(
        content=f"{lead}{asset.title}: " + "; ".join(facts) + ".",
        intent=intent,
        skill=SKILL,
        severity="info" if asset.usable else "warning",
        actions=(Action(f"Open {asset.title}", targets.asset(asset.asset_id), True),),
        follow_up=FOLLOW_UP,
        data={"asset": {"assetId": asset.asset_id, "score": asset.score, "rank": place}},
    )


def _named_asset(analysis: MediaAnalysis, match: IntentMatch) -> AssetScore | None:
    """The one asset the message names by its title; the channel it names is no title
    ("what works best for stories?" is not about "Linen story")."""
    channel = match.entities.channel
    return named_one(
        match.message,
        analysis.ranking,
        name=lambda a: a.title,
        ignore=CHANNEL_ALIASES[channel] if channel else (),
    )


def _channel_in_title(channel: str, title: str) -> bool:
    """Whether a name of `channel` is a word of the title ("story" in "Knit story wide")."""
    words = set(title.casefold().split())
    return any(set(alias.split()) <= words for alias in CHANNEL_ALIASES[channel])


def _why_unusable(asset: AssetScore) -> str:
    return "rights expired" if FLAG_RIGHTS_EXPIRED in asset.flags else "rejected"


def coverage_gaps(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets and not any(sample.is_hero for sample in ctx.samples):
        return _no_assets("coverage_gaps", ctx)
    analysis = _analysis(ctx)
    sample = named_one(
        match.message, ctx.samples, name=lambda s: s.name, group=lambda s: s.category
    )
    if sample is not None:
        return _sample_coverage(ctx, analysis, sample, match)
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


def _sample_coverage(
    ctx: AnalysisInput, analysis: MediaAnalysis, sample: SampleInput, match: IntentMatch
) -> Reply:
    """One named sample's coverage: the approved assets featuring it (the rule the hero gaps
    use), else the ones in the works, each with its flags."""
    covering = analysis.covering_sample(sample.id)
    lead = opening(match.message, problem=not covering)
    label = f"{sample.name} (hero)" if sample.is_hero else sample.name
    if covering:
        content = f"{label} has {plural(len(covering), 'approved asset')}: " + "; ".join(
            f"{a.title} ({a.score}/100" + "".join(f"; {n}" for n in _flag_notes(a, ctx)) + ")"
            for a in covering[:NAMES_SHOWN]
        )
    else:
        content = f"{label} has no approved asset"
        pending = [a for a in analysis.featuring(sample.id) if a.usable]
        if pending:
            content += "; in the works: " + ", ".join(
                f"{a.title} ({STATUS_LABELS[a.status]})" for a in pending[:NAMES_SHOWN]
            )
    return Reply(
        content=lead + content + ".",
        intent="coverage_gaps",
        skill=SKILL,
        severity="success" if covering else ("critical" if sample.is_hero else "warning"),
        actions=(Action(f"Open {sample.name}", targets.sample(sample.id), True),),
        follow_up=(ASK_BEST, ASK_STORIES),
        data={
            "sample": {"id": sample.id, "name": sample.name},
            "covering": capped(a.asset_id for a in covering),
        },
    )


def channel_fit(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    if not ctx.assets:
        return _no_assets("channel_fit", ctx)
    analysis = _analysis(ctx)
    asset = _named_asset(analysis, match)
    if asset is not None:
        return _asset_answer(ctx, analysis, asset, "channel_fit", match)
    if match.entities.channel:
        return _best_for_channel(ctx, analysis, match.entities.channel, "channel_fit", match)
    lines, rows = [], []
    for key in analysis.channels or tuple(CHANNELS)[:4]:
        best = analysis.best_for(key, limit=1)
        label = channel_label(key)
        if not best:
            lines.append(f"{label}: none")
            rows.append({"channel": key, "assetId": None, "score": None, "covered": False})
            continue
        top, covered = best[0], bool(analysis.covering(key))
        lines.append(f"{label}: {top.title} ({_channel_state(top, key, ctx)})")
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


def _channel_state(asset: AssetScore, channel: str, ctx: AnalysisInput) -> str:
    """ "score 88 for it, fits, approved; rights expire …": the asset's score for the channel
    (never its overall score), whether it fits as it is, its status and its flags."""
    fit = asset.fit_for(channel)
    facts = [
        f"score {asset.channel_scores[channel]} for it",
        "fits" if fit is not None and fit.fits else "needs work",
        STATUS_LABELS[asset.status],
        *_flag_notes(asset, ctx),
    ]
    return ", ".join(facts[:3]) + "".join(f"; {note}" for note in facts[3:])


def rights_check(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    """The assets whose usage rights need attention (expired, ending before the shoot is
    over, ending within 30 days of it), soonest first, each with the analyzer's flag in
    words; narrowed to one asset when the message names it."""
    if not ctx.assets:
        return _no_assets("rights_check", ctx)
    analysis = _analysis(ctx)
    asset = _named_asset(analysis, match)
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
            data={"rights": [_rights_dict(asset)]},
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
        data={"rights": [_rights_dict(a) for a in watch[:DATA_LIMIT]], "rightsCount": len(watch)},
    )


def _rights_dict(asset: AssetScore) -> dict:
    expires = asset.rights.expires_at
    return {
        "assetId": asset.asset_id,
        "code": asset.rights.code,
        "expiresAt": expires.isoformat() if expires else None,
        "usable": asset.usable,
    }


HANDLERS = {
    "rights_check": rights_check,
    "asset_ranking": asset_ranking,
    "coverage_gaps": coverage_gaps,
    "channel_fit": channel_fit,
}
