"""One chat turn, top-down: read the session's previous turn (a selector), detect the intent,
load what the intent's skill reads (one context object, up front), answer with the skill of
the intent's kit, and log the turn (a service). The orchestrator composes; it never queries.

Two kinds of turn answer otherwise: when the detector cannot choose (`match.clarify`) the
reply asks which intent is meant (`assistant.chat.clarify`) and reads no table, and the next
message of the session picks one of the options; a two-part question (`match.parts`) is
answered by both parts' skills from one context loaded with the tables both read.

Queries per turn are bounded whatever the campaign's size: the token's session and user, the
session's previous turn, the campaign (with its samples, when the skill reads them), the other
tables the skill reads (one query each, plus one per link table), and the insert of the turn.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from assistant.analysis_input import AnalysisInput
from assistant.chat.clarify import clarify_choice, clarify_reply
from assistant.chat.context import chat_context_resolve
from assistant.chat.replies import Reply, two_part_reply
from assistant.chat.request import ChatRequest
from assistant.chat.skills import GENERAL_HANDLERS, KIT_HANDLERS, tables_for
from assistant.chat.skills.general import no_campaign
from assistant.intents import IntentMatch, detect_intent, intent_chosen
from assistant.selectors import conversation_previous_turn
from assistant.services import conversation_log
from fashionos.principals import Actor


@dataclass(frozen=True, slots=True)
class ChatTurn:
    body: dict[str, Any]
    logged: bool


def reply_for(match: IntentMatch, ctx: AnalysisInput, *, page_kit: str) -> Reply:
    """Dispatch to the skill of the intent's kit (which may not be the page's kit)."""
    if match.kit in KIT_HANDLERS:
        if not ctx.has_data:
            return no_campaign(match.intent, page_kit)
        handlers = KIT_HANDLERS[match.kit]
        # An intent of the training data no skill answers yet gets its kit's overview (the
        # first skill of the kit), as a question about the kit.
        return handlers.get(match.intent, next(iter(handlers.values())))(ctx, match)
    handler = GENERAL_HANDLERS.get(match.intent, GENERAL_HANDLERS["unknown"])
    return handler(ctx, match, page_kit)


def tables_to_answer(match: IntentMatch) -> tuple[str, ...]:
    """The tables the answer to ``match`` reads: none to ask which intent is meant, those of
    both skills (each once) for a two-part question."""
    if match.clarify:
        return ()
    if match.parts:
        return tuple(
            dict.fromkeys(t for part in match.parts for t in tables_for(part.kit, part.intent))
        )
    return tables_for(match.kit, match.intent)


def answer(match: IntentMatch, ctx: AnalysisInput, *, page_kit: str) -> Reply:
    """Ask which intent is meant, answer both parts, or answer the one intent."""
    if match.clarify:
        return clarify_reply(match.clarify)
    if match.parts:
        first, second = (reply_for(part, ctx, page_kit=page_kit) for part in match.parts)
        return two_part_reply(first, second)
    return reply_for(match, ctx, page_kit=page_kit)


def chat_turn(*, actor: Actor, request: ChatRequest) -> ChatTurn:
    """Answer one message and log it. Raises NotFound (404) for a campaignId the caller cannot
    see; a failure to log is logged and counted, and the answer is still returned."""
    started = time.perf_counter()
    session_id = request.session_id or uuid.uuid4()
    previous = conversation_previous_turn(actor=actor, session_id=request.session_id)
    match = detect_intent(request.message, current_kit=request.kit, previous=previous)
    if previous is not None and previous.options:
        chosen = clarify_choice(request.message, previous.options, match)
        if chosen is not None:
            match = intent_chosen(
                previous.message or request.message, intent=chosen, current_kit=request.kit
            )
    ctx = chat_context_resolve(actor=actor, request=request, tables=tables_to_answer(match))
    reply = answer(match, ctx, page_kit=request.kit)

    body = reply.to_dict()
    body["responseTime"] = int((time.perf_counter() - started) * 1000)
    body["conversationId"] = str(uuid.uuid4())
    body["sessionId"] = str(session_id)
    body["campaignId"] = str(ctx.campaign.pk) if ctx.campaign is not None else None
    logged = conversation_log(
        actor=actor,
        session_id=session_id,
        message=request.message,
        kit=request.kit,
        route=request.route,
        intent=reply.intent,
        skill=reply.skill,
        body=body,
        confidence=min(part.score for part in match.parts) if match.parts else match.score,
    )
    if not logged:
        body["conversationId"] = None
    return ChatTurn(body=body, logged=logged)
