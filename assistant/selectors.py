"""Reads of the assistant's tables, always for an acting user (DESIGN.md section 5)."""

from __future__ import annotations

from django.db.models import QuerySet

from assistant.models import Conversation, Insight


def conversation_list(*, actor) -> QuerySet[Conversation]:
    """The actor's own conversation turns, newest first. Empty for anyone without a user
    (the service role included: the original granted it no policy on this table)."""
    return Conversation.objects.visible_to(actor).order_by("-created_at", "-id")


def insight_list(*, actor) -> QuerySet[Insight]:
    """The actor's own cached analyses; every user's for the service role."""
    return Insight.objects.visible_to(actor)
