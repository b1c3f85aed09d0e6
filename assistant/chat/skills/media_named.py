"""The media skill's answers about one thing the message names: a channel ("what works best
for tiktok?"), an asset by its title, or a sample's coverage."""

from __future__ import annotations

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import LIST_LIMIT, NAMES_SHOWN, Action, Reply, capped
from assistant.chat.skills.media_asset_words import (
    channel_in_title,
    channel_line,
    flag_notes,
    why_unusable,
)
from assistant.chat.skills.media_context import (
    ASK_BEST,
    ASK_STORIES,
    FOLLOW_UP,
    SKILL,
    STATUS_LABELS,
    TOP,
)
from assistant.chat.subjects import named_one
from assistant.chat.yes_no import opening
from assistant.intents import IntentMatch
from assistant.intents.definitions import CHANNEL_ALIASES
from assistant.media_words import channel_label, channel_requirement, fit_note
from assistant.wording import name_list, plural
from logistics.analysis.inputs import SampleInput
from logistics.analysis.media_analyzer import MediaAnalysis
from logistics.analysis.media_scores import AssetScore


def best_for_channel(
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
        groups.setdefault(group, []).append(channel_line(asset, channel, ctx))
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


def asset_answer(
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
    if channel and not channel_in_title(channel, asset.title):
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
        facts.append(f"can't be used: {why_unusable(asset)}")
    facts.extend(flag_notes(asset, ctx) if asset.usable else ())
    return Reply(
        content=f"{lead}{asset.title}: " + "; ".join(facts) + ".",
        intent=intent,
        skill=SKILL,
        severity="info" if asset.usable else "warning",
        actions=(Action(f"Open {asset.title}", targets.asset(asset.asset_id), True),),
        follow_up=FOLLOW_UP,
        data={"asset": {"assetId": asset.asset_id, "score": asset.score, "rank": place}},
    )


def named_asset(analysis: MediaAnalysis, match: IntentMatch) -> AssetScore | None:
    """The one asset the message names by its title; the channel it names is no title
    ("what works best for stories?" is not about "Linen story")."""
    channel = match.entities.channel
    return named_one(
        match.message,
        analysis.ranking,
        name=lambda a: a.title,
        ignore=CHANNEL_ALIASES[channel] if channel else (),
    )


def sample_coverage(
    ctx: AnalysisInput, analysis: MediaAnalysis, sample: SampleInput, match: IntentMatch
) -> Reply:
    """One named sample's coverage: the approved assets featuring it (the rule the hero gaps
    use), else the ones in the works, each with its flags."""
    covering = analysis.covering_sample(sample.id)
    lead = opening(match.message, problem=not covering)
    label = f"{sample.name} (hero)" if sample.is_hero else sample.name
    if covering:
        content = f"{label} has {plural(len(covering), 'approved asset')}: " + "; ".join(
            f"{a.title} ({a.score}/100" + "".join(f"; {n}" for n in flag_notes(a, ctx)) + ")"
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
