"""Writes to the assistant's tables that the REST API makes: the one-time feedback on a
conversation turn, and a user's preferences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from assistant.models import Conversation, Insight, UserPreferences
from fashionos.errors import Conflict

MSG_FEEDBACK_ALREADY_GIVEN = "Feedback was already given on this answer."
CODE_FEEDBACK_ALREADY_GIVEN = "FEEDBACK_ALREADY_GIVEN"


class FeedbackAlreadyGiven(Conflict):
    """The conversation turn already has its `helpful` feedback (409)."""

    def __init__(self) -> None:
        super().__init__(MSG_FEEDBACK_ALREADY_GIVEN, code=CODE_FEEDBACK_ALREADY_GIVEN)


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
