"""Reads of the assistant's tables, always for an acting user (DESIGN.md section 5)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import QuerySet

from assistant.intents import PreviousTurn
from assistant.intents.examples import TrainingExample
from assistant.intents.training import TrainingExample as DataExample
from assistant.models import Conversation, Insight, IntentLabel
from fashionos.principals import Actor

logger = logging.getLogger(__name__)

# The intent of a turn that asked which intent was meant (assistant.chat.clarify).
CLARIFY = "clarify"
# Turns that do not change the subject: an off-topic question or a "thanks" between two
# questions leaves the context of the last answered question in place.
PASS_THROUGH = frozenset({"unknown", "greeting"})
# Turns after which there is nothing to follow up.
NO_FOLLOW_UP = frozenset({"help"})
# How far back past pass-through turns the context is looked for.
CONTEXT_LOOKBACK = 5


def _offered(options: Any) -> tuple[str, ...]:
    """The intents a logged clarifying question offered (its `data.options`)."""
    if not isinstance(options, list):
        return ()
    return tuple(
        option["intent"]
        for option in options
        if isinstance(option, dict) and isinstance(option.get("intent"), str)
    )


def conversation_list(*, actor: Actor) -> QuerySet[Conversation]:
    """The actor's own conversation turns, newest first; every user's for the service role
    (server-side jobs bypass row ownership, as Supabase's service_role bypasses row-level
    security). Admins read only their own (the original gave them no policy on this table);
    anon reads none."""
    return Conversation.objects.visible_to(actor).order_by("-created_at", "-id")


def insight_list(*, actor: Actor) -> QuerySet[Insight]:
    """The actor's own cached analyses; every user's for the service role."""
    return Insight.objects.visible_to(actor)


def conversation_previous_turn(
    *, actor: Actor, session_id: uuid.UUID | None
) -> PreviousTurn | None:
    """The session's last answered turn, kept server-side (one query): the latest of the
    last ``CONTEXT_LOOKBACK`` turns that is not a pass-through one (unknown, greeting), with
    its message so a follow-up keeps its filters, and, for a clarifying question, the
    intents it offered. None when there is none or it was help."""
    if session_id is None:
        return None
    recent = (
        Conversation.objects.filter(user=actor, session_id=session_id)
        .order_by("-created_at")
        .values_list("intent_detected", "skill_used", "message", "response__data__options")[
            :CONTEXT_LOOKBACK
        ]
    )
    for intent, skill, message, options in recent:
        if intent in PASS_THROUGH:
            continue
        if not intent or intent in NO_FOLLOW_UP:
            return None
        return PreviousTurn(
            intent=intent,
            kit=skill or "general",
            message=message,
            options=_offered(options) if intent == CLARIFY else (),
        )
    return None


def labelled_examples() -> list[TrainingExample]:
    """Every intent label, staff's and imported, as training examples (kit, intent, message,
    source), oldest first: what the intent detector trains on besides its data files, and
    what `export_intent_labels` writes. A turn's label is gone once the retention purge
    deleted its turn."""
    return [
        TrainingExample(*row)
        for row in IntentLabel.objects.order_by("created_at", "id").values_list(
            "kit", "intent", "message", "source"
        )
    ]


def labelled_training_examples() -> list[DataExample]:
    """The labels as the classifier learns them (a source of `load_examples`, added when the
    app is ready). Before the labels' table exists (a fresh database not yet migrated) there
    are none; with INTENT_TRAIN_ON_LABELS off, none are learnt."""
    if not settings.INTENT_TRAIN_ON_LABELS:
        return []
    try:
        return [example.to_data() for example in labelled_examples()]
    except DatabaseError:
        logger.warning("intent labels unreadable; training without them", exc_info=True)
        return []
