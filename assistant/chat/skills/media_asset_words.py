"""One asset in words: the flags a user choosing it must know (rights running out, samples not
arrived), its line and state for one channel, why it cannot be used, and its rights as data."""

from __future__ import annotations

from assistant.analysis_input import AnalysisInput
from assistant.chat.skills.media_context import RIGHTS_WATCH, STATUS_LABELS
from assistant.chat.skills.sample_replies import STATUS_WORDS
from assistant.intents.definitions import CHANNEL_ALIASES
from assistant.media_words import fit_note, rights_note
from assistant.wording import name_list
from logistics.analysis.media_scores import FLAG_RIGHTS_EXPIRED, AssetScore


def flag_notes(asset: AssetScore, ctx: AnalysisInput) -> list[str]:
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


def channel_line(asset: AssetScore, channel: str, ctx: AnalysisInput) -> str:
    """ "Slingback still life (score 82, approved, 1080x1920 matches 9:16; rights expire …)":
    the score the analyzer gives it for this channel, never its overall score."""
    fit = asset.fit_for(channel)
    facts = [f"score {asset.channel_scores[channel]}", STATUS_LABELS[asset.status]]
    if fit is not None:
        facts.append(fit_note(fit))
    return (
        f"{asset.title} ({', '.join(facts)}"
        + "".join(f"; {note}" for note in flag_notes(asset, ctx))
        + ")"
    )


def channel_in_title(channel: str, title: str) -> bool:
    """Whether a name of `channel` is a word of the title ("story" in "Knit story wide")."""
    words = set(title.casefold().split())
    return any(set(alias.split()) <= words for alias in CHANNEL_ALIASES[channel])


def why_unusable(asset: AssetScore) -> str:
    return "rights expired" if FLAG_RIGHTS_EXPIRED in asset.flags else "rejected"


def channel_state(asset: AssetScore, channel: str, ctx: AnalysisInput) -> str:
    """ "score 88 for it, fits, approved; rights expire …": the asset's score for the channel
    (never its overall score), whether it fits as it is, its status and its flags."""
    fit = asset.fit_for(channel)
    facts = [
        f"score {asset.channel_scores[channel]} for it",
        "fits" if fit is not None and fit.fits else "needs work",
        STATUS_LABELS[asset.status],
        *flag_notes(asset, ctx),
    ]
    return ", ".join(facts[:3]) + "".join(f"; {note}" for note in facts[3:])


def rights_dict(asset: AssetScore) -> dict:
    expires = asset.rights.expires_at
    return {
        "assetId": asset.asset_id,
        "code": asset.rights.code,
        "expiresAt": expires.isoformat() if expires else None,
        "usable": asset.usable,
    }
