"""The data a chat turn is answered from, loaded up front (`assistant.analysis_input`).

In order: the campaign named by `userContext.campaignId` (read with the caller's permissions:
someone else's campaign is a 404), else the inline lists the original frontend sent, else the
caller's most recently updated campaign. Only the tables the intent's skill reads are loaded,
each once, so a turn runs a bounded number of queries whatever the campaign's size, and no
skill queries in the middle of its answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.analysis_input import AnalysisInput, analysis_input_load, campaign_input
from assistant.chat.request import ChatRequest
from fashionos.principals import Actor
from logistics.selectors import campaign_get_for_actor


def chat_context_resolve(
    *, actor: Actor, request: ChatRequest, tables: Iterable[str]
) -> AnalysisInput:
    """The context for this turn (see the module docstring) with `tables` loaded. Raises
    NotFound (404) for a campaignId the caller cannot see."""
    tables = tuple(tables)
    if request.campaign_id is not None:
        # The samples, when the skill reads them, come in the campaign's own query.
        source = campaign_input(
            actor=actor, campaign_id=request.campaign_id, with_samples="samples" in tables
        )
    elif request.has_inline_data:
        source = AnalysisInput(samples=request.samples, tasks=request.tasks, assets=request.assets)
    else:
        source = AnalysisInput(campaign=campaign_get_for_actor(actor=actor))
    return analysis_input_load(source, tables=tables)
