"""Writes to the assistant's tables: the chat's log of each turn, the one-time feedback on a
turn, and a user's preferences."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, connection, transaction

from assistant.models import Conversation, Insight, UserPreferences
from fashionos.errors import Conflict
from fashionos.principals import Actor

logger = logging.getLogger("fashionos.chat")

# Turns answered but not written to the log, since the process started (see
# `conversation_log`).
LOG_FAILURES = {"count": 0}

MSG_FEEDBACK_ALREADY_GIVEN = "Feedback was already given on this answer."
CODE_FEEDBACK_ALREADY_GIVEN = "FEEDBACK_ALREADY_GIVEN"


class FeedbackAlreadyGiven(Conflict):
    """The conversation turn already has its `helpful` feedback (409)."""

    def __init__(self) -> None:
        super().__init__(MSG_FEEDBACK_ALREADY_GIVEN, code=CODE_FEEDBACK_ALREADY_GIVEN)


def conversation_log(
    *,
    actor: Actor,
    session_id: uuid.UUID,
    message: str,
    kit: str,
    route: str | None,
    intent: str,
    skill: str,
    body: dict[str, Any],
) -> bool:
    """Write one answered chat turn to the log (`body` is the reply as sent, with its
    `conversationId` and `responseTime`). Returns False, never raises, when the write fails:
    the failure is logged as an error and counted in LOG_FAILURES, and the user keeps their
    answer."""
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
                message=message,
                response=body,
                kit_context=kit,
                page_route=route,
                intent_detected=intent,
                skill_used=skill,
                response_time_ms=body["responseTime"],
            )
    except DatabaseError:
        LOG_FAILURES["count"] += 1
        logger.exception(
            "chat turn answered but not logged (failure %d since start)", LOG_FAILURES["count"]
        )
        return False
    return True


def conversation_feedback(*, conversation: Conversation, helpful: bool) -> Conversation:
    """Record the owner's feedback on one turn. The log is otherwise immutable and feedback is
    given once: a second call raises FeedbackAlreadyGiven, even when two race (the update
    only matches a row whose `helpful` is still null)."""
    updated = Conversation.objects.filter(pk=conversation.pk, helpful__isnull=True).update(
        helpful=helpful
    )
    if not updated:
        raise FeedbackAlreadyGiven
    conversation.helpful = helpful
    return conversation


def insight_delete(*, insight: Insight) -> None:
    """Drop one cached analysis (the next request computes it afresh)."""
    insight.delete()


def preferences_get_or_create(*, user) -> UserPreferences:
    """The user's preferences (a signed-in user: the view refuses the service key), created
    with the defaults on first read; read through `visible_to`, so only the user's own row
    can come back."""
    preferences, _ = UserPreferences.objects.visible_to(user).get_or_create(user=user)
    return preferences


@transaction.atomic
def preferences_update(*, user, data: Mapping[str, Any]) -> UserPreferences:
    """Set the given fields of the user's preferences (creating them first if needed). A
    full replace is the caller passing every field (absent ones at their defaults). The row
    is taken through `editable_by`, so only the user's own can be changed."""
    preferences, _ = (
        UserPreferences.objects.editable_by(user).select_for_update().get_or_create(user=user)
    )
    for name, value in data.items():
        setattr(preferences, name, value)
    preferences.full_clean(exclude=["user"])
    preferences.save()
    return preferences
