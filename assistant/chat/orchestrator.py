"""One chat turn: detect the intent (with the session's previous turn as context), answer it
from the campaign's data with the skill of the intent's kit, and log the turn.

Queries per turn are bounded whatever the campaign's size: the token's session and user, the
session's previous turn, the campaign, the tables the skill reads (one query each, plus one per
link table), and the insert of the turn.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction

from assistant.chat.context import ChatContext, chat_context_resolve
from assistant.chat.replies import Reply
from assistant.chat.request import ChatRequest
from assistant.chat.skills import GENERAL_HANDLERS, KIT_HANDLERS
from assistant.chat.skills.general import no_campaign
from assistant.intents import IntentMatch, PreviousTurn, detect_intent
from assistant.models import Conversation

logger = logging.getLogger("fashionos.chat")

# Turns answered but not written to the log, since the process started (see `chat_turn`).
LOG_FAILURES = {"count": 0}
# Previous turns that are not worth following up.
NO_FOLLOW_UP = frozenset({"unknown", "greeting", "help"})


@dataclass(frozen=True, slots=True)
class ChatTurn:
    body: dict[str, Any]
    logged: bool


def previous_turn(*, actor, session_id: uuid.UUID | None) -> PreviousTurn | None:
    """The session's last answered turn, kept server-side (one query)."""
    if session_id is None:
        return None
    last = (
        Conversation.objects.filter(user=actor, session_id=session_id)
        .order_by("-created_at")
        .values_list("intent_detected", "skill_used")
        .first()
    )
    if last is None or not last[0] or last[0] in NO_FOLLOW_UP:
        return None
    return PreviousTurn(intent=last[0], kit=last[1] or "general")


def reply_for(match: IntentMatch, ctx: ChatContext, *, page_kit: str) -> Reply:
    """Dispatch to the skill of the intent's kit (which may not be the page's kit)."""
    if match.kit in KIT_HANDLERS:
        if not ctx.has_data:
            return no_campaign(match.intent, page_kit)
        return KIT_HANDLERS[match.kit][match.intent](ctx, match)
    handler = GENERAL_HANDLERS.get(match.intent, GENERAL_HANDLERS["unknown"])
    return handler(ctx, match, page_kit)


def _log(*, actor, request: ChatRequest, session_id: uuid.UUID, reply: Reply, body: dict) -> bool:
    try:
        with transaction.atomic():
            Conversation.objects.create(
                id=uuid.UUID(body["conversationId"]),
                user=actor,
                session_id=session_id,
                message=request.message,
                response=body,
                kit_context=request.kit,
                page_route=request.route,
                intent_detected=reply.intent,
                skill_used=reply.skill,
                response_time_ms=body["responseTime"],
            )
    except DatabaseError:
        LOG_FAILURES["count"] += 1
        logger.exception(
            "chat turn answered but not logged (failure %d since start)", LOG_FAILURES["count"]
        )
        return False
    return True


def chat_turn(*, actor, request: ChatRequest) -> ChatTurn:
    """Answer one message and log it. Raises ApiError 404 for a campaignId the caller cannot
    see; a failure to log is logged and counted, and the answer is still returned."""
    started = time.perf_counter()
    session_id = request.session_id or uuid.uuid4()
    previous = previous_turn(actor=actor, session_id=request.session_id)
    match = detect_intent(request.message, current_kit=request.kit, previous=previous)
    ctx = chat_context_resolve(actor=actor, request=request)
    reply = reply_for(match, ctx, page_kit=request.kit)

    body = reply.to_dict()
    body["responseTime"] = int((time.perf_counter() - started) * 1000)
    body["conversationId"] = str(uuid.uuid4())
    body["sessionId"] = str(session_id)
    body["campaignId"] = str(ctx.campaign.pk) if ctx.campaign is not None else None
    logged = _log(actor=actor, request=request, session_id=session_id, reply=reply, body=body)
    if not logged:
        body["conversationId"] = None
    return ChatTurn(body=body, logged=logged)
