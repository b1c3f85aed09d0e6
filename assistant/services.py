"""Writes to the assistant's tables: the chat's log of each turn, the one-time feedback on a
turn, a user's preferences, and the intent labels staff give turns (or import)."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from assistant.intents.definitions import INTENTS_BY_NAME
from assistant.intents.examples import TrainingExample
from assistant.models import Conversation, Insight, IntentLabel, UserPreferences
from fashionos.errors import Conflict, InvalidInput
from fashionos.principals import Actor

logger = logging.getLogger("fashionos.chat")

# Turns answered but not written to the log, since the process started (see
# `conversation_log`).
LOG_FAILURES = {"count": 0}

# The `source` of a label given to a logged turn in the admin.
STAFF_SOURCE = "staff"
MSG_NOT_AN_INTENT = "{intent!r} is not an intent."

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
    confidence: float | None = None,
) -> bool:
    """Write one answered chat turn to the log (`body` is the reply as sent, with its
    `conversationId` and `responseTime`). Returns False, never raises, when the write fails:
    the failure is logged as an error and counted in LOG_FAILURES, and the user keeps their
    answer. `confidence` is how sure the detector was of the intent answered."""
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
                intent_confidence=confidence,
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


def intent_label_set(*, conversation: Conversation, intent: str, labelled_by) -> IntentLabel:
    """Label a logged turn with the intent its message expresses (staff, in the admin): the
    turn's label is created or replaced, with the turn's message and page kit and source
    "staff". Raises InvalidInput (400) for a name that is not an intent; writes nothing then.
    The label is deleted with its turn (retention) unless an import has adopted it."""
    if intent not in INTENTS_BY_NAME:
        raise InvalidInput(MSG_NOT_AN_INTENT.format(intent=intent))
    label, _ = IntentLabel.objects.update_or_create(
        conversation=conversation,
        defaults={
            "message": conversation.message,
            "intent": intent,
            "kit": conversation.kit_context,
            "source": STAFF_SOURCE,
            "labelled_by": labelled_by,
            "created_at": timezone.now(),
        },
    )
    return label


@transaction.atomic
def intent_labels_import(*, examples: list[TrainingExample]) -> dict[str, int]:
    """Store reviewed training examples (read by `examples_parse`) as labels without a turn,
    so the retention purge keeps them. An example equal to a stored one (kit, intent,
    message and source) is not stored twice: a turn's label equal to it is adopted (its link
    to the turn dropped), one already without a turn is skipped. Returns the counts
    `created`, `adopted` and `skipped`."""
    stored = {
        TrainingExample(*row): (pk, linked)
        for *row, pk, linked in IntentLabel.objects.values_list(
            "kit", "intent", "message", "source", "pk", "conversation_id"
        )
    }
    counts = {"created": 0, "adopted": 0, "skipped": 0}
    adopt: list[int] = []
    new: list[IntentLabel] = []
    for example in dict.fromkeys(examples):
        if example in stored:
            pk, linked = stored[example]
            if linked is None:
                counts["skipped"] += 1
            else:
                adopt.append(pk)
                counts["adopted"] += 1
            continue
        new.append(IntentLabel(**example._asdict(), created_at=timezone.now()))
    IntentLabel.objects.filter(pk__in=adopt).update(conversation=None)
    IntentLabel.objects.bulk_create(new)
    counts["created"] = len(new)
    counts["skipped"] += len(examples) - len(dict.fromkeys(examples))
    return counts
