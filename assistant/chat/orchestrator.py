"""One chat turn: detect the intent (with the session's previous turn as context), answer it
from the campaign's data with the skill of the intent's kit, and log the turn.

Queries per turn are bounded whatever the campaign's size: the token's session and user, the
session's previous turn, the campaign, the tables the skill reads (one query each, plus one per
link table), and the insert of the turn.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction

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
# Turns that do not change the subject: an off-topic question or a "thanks" between two
# questions leaves the context of the last answered question in place.
PASS_THROUGH = frozenset({"unknown", "greeting"})
# Turns after which there is nothing to follow up.
NO_FOLLOW_UP = frozenset({"help"})
# How far back past pass-through turns the context is looked for.
CONTEXT_LOOKBACK = 5


@dataclass(frozen=True, slots=True)
class ChatTurn:
    body: dict[str, Any]
    logged: bool


def previous_turn(*, actor, session_id: uuid.UUID | None) -> PreviousTurn | None:
    """The session's last answered turn, kept server-side (one query): the latest of the
    last ``CONTEXT_LOOKBACK`` turns that is not a pass-through one (unknown, greeting), with
    its message so a follow-up keeps its filters. None when there is none or it was help."""
    if session_id is None:
        return None
    recent = (
        Conversation.objects.filter(user=actor, session_id=session_id)
        .order_by("-created_at")
        .values_list("intent_detected", "skill_used", "message")[:CONTEXT_LOOKBACK]
    )
    for intent, skill, message in recent:
        if intent in PASS_THROUGH:
            continue
        if not intent or intent in NO_FOLLOW_UP:
            return None
        return PreviousTurn(intent=intent, kit=skill or "general", message=message)
    return None


def reply_for(match: IntentMatch, ctx: ChatContext, *, page_kit: str) -> Reply:
    """Dispatch to the skill of the intent's kit (which may not be the page's kit)."""
    if match.kit in KIT_HANDLERS:
        if not ctx.has_data:
            return no_campaign(match.intent, page_kit)
        return KIT_HANDLERS[match.kit][match.intent](ctx, match)
    handler = GENERAL_HANDLERS.get(match.intent, GENERAL_HANDLERS["unknown"])
    return handler(ctx, match, page_kit)


def _log(*, actor, request: ChatRequest, session_id: uuid.UUID, reply: Reply, body: dict) -> bool:
    # A single INSERT in autocommit is atomic by itself; inside a caller's transaction a
    # savepoint keeps a failed insert from breaking it. (BEGIN/COMMIT around the one row
    # were two of the six round trips of a chat turn.)
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard:
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
    """Answer one message and log it. Raises NotFound (404) for a campaignId the caller cannot
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
