"""Reads of the assistant's tables, always for an acting user (DESIGN.md section 5)."""

from __future__ import annotations

from django.db.models import QuerySet

from assistant.models import Conversation, Insight


def conversation_list(*, actor) -> QuerySet[Conversation]:
    """The actor's own conversation turns, newest first; every user's for the service role
    (server-side jobs bypass row ownership, as Supabase's service_role bypasses row-level
    security). Admins read only their own (the original gave them no policy on this table);
    anon reads none."""
    return Conversation.objects.visible_to(actor).order_by("-created_at", "-id")


def insight_list(*, actor) -> QuerySet[Insight]:
    """The actor's own cached analyses; every user's for the service role."""
    return Insight.objects.visible_to(actor)
