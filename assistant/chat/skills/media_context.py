"""What every answer of the media skill shares: its name, the questions it suggests, the
rights flags a user must hear about, the analysis it answers from, and the reply when the
campaign has no asset yet."""

from __future__ import annotations

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import Action, Reply
from logistics.analysis import media_scores as scores
from logistics.analysis.media_analyzer import MediaAnalysis, score_assets

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


def media_analysis(ctx: AnalysisInput) -> MediaAnalysis:
    return score_assets(ctx.assets, samples=ctx.samples, shoot_date=ctx.shoot_date, now=ctx.now)


def no_assets_reply(intent: str, ctx: AnalysisInput) -> Reply:
    return Reply(
        content=f"{ctx.campaign_name} has no assets yet. Upload the first selects to score them.",
        intent=intent,
        skill=SKILL,
        actions=(Action("Open media library", targets.MEDIA_LIBRARY, True),),
        follow_up=(ASK_HERO_GAPS,),
    )
