"""The assistant in the back office: the conversation log (read-only, where staff label the
turns the assistant was unsure of), the insight cache, preferences and the intent labels."""

from __future__ import annotations

import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assistant.intents.definitions import INTENTS
from assistant.models import Conversation, Insight, IntentLabel, UserPreferences
from assistant.services import intent_label_set
from fashionos.errors import InvalidInput

# A turn answered with less confidence than this is worth a look.
LOW_CONFIDENCE = 0.5
CLARIFY = "clarify"
LABEL_PERMISSION = "assistant.add_intentlabel"
# Every intent a label may name, by kit.
INTENT_NAMES = tuple(intent.name for intent in sorted(INTENTS, key=lambda i: (i.kit, i.name)))

_LOW = Q(intent_confidence__lt=LOW_CONFIDENCE) | Q(intent_detected="unknown")
_CLARIFIED = Q(intent_detected=CLARIFY)
_UNHELPFUL = Q(helpful=False)


class ReviewFilter(admin.SimpleListFilter):
    """The turns worth labelling: answered with low confidence (or not understood), answered
    with a clarifying question, or marked unhelpful by the user."""

    title = "review"
    parameter_name = "review"
    CHOICES = {
        "to_review": ("To label (any of these, no label yet)", (_LOW | _CLARIFIED | _UNHELPFUL)),
        "low": ("Low confidence or not understood", _LOW),
        "clarified": ("Clarifying question asked", _CLARIFIED),
        "unhelpful": ("Marked unhelpful", _UNHELPFUL),
    }

    def lookups(self, request, model_admin):
        return [
            *((key, label) for key, (label, _) in self.CHOICES.items()),
            ("labelled", "Labelled"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "labelled":
            return queryset.filter(label__isnull=False)
        if value not in self.CHOICES:
            return queryset
        chosen = queryset.filter(self.CHOICES[value][1])
        return chosen.filter(label__isnull=True) if value == "to_review" else chosen


def suggested_intent(conversation: Conversation) -> str | None:
    """The intent the label form starts on: the turn's label, else the first option a
    clarifying question offered, else the intent answered."""
    label = getattr(conversation, "label", None)
    if label is not None:
        return label.intent
    if conversation.intent_detected == CLARIFY:
        options = (conversation.response or {}).get("data", {}).get("options") or [{}]
        return options[0].get("intent") if isinstance(options[0], dict) else None
    return conversation.intent_detected


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """The conversation log is an immutable audit trail: staff read it, nobody edits it.
    Staff with the right to add intent labels label a turn from the list in one click (the
    intent picker of its row starts on the likely intent); the review filter finds the turns
    worth it."""

    list_display = (
        "created_at",
        "user",
        "kit_context",
        "intent_detected",
        "confidence",
        "skill_used",
        "short_message",
        "response_time_ms",
        "helpful",
        "label_form",
    )
    list_filter = (
        ReviewFilter,
        "kit_context",
        "intent_detected",
        "skill_used",
        "helpful",
        "created_at",
    )
    search_fields = ("message", "user__email", "session_id")
    date_hierarchy = "created_at"
    list_select_related = ("user", "label")
    show_full_result_count = False

    def get_urls(self):
        label = self.admin_site.admin_view(require_POST(self.label_view))
        return [
            path("<uuid:object_id>/label/", label, name="assistant_conversation_label"),
            *super().get_urls(),
        ]

    def label_view(self, request: HttpRequest, object_id: uuid.UUID) -> HttpResponse:
        """Label one turn with the intent posted as `intent-<id>` (the row's picker in the
        list) or `intent`; back to the page it came from."""
        if not request.user.has_perm(LABEL_PERMISSION):
            raise PermissionDenied
        conversation = get_object_or_404(Conversation, pk=object_id)
        intent = request.POST.get(f"intent-{object_id}") or request.POST.get("intent", "")
        try:
            intent_label_set(conversation=conversation, intent=intent, labelled_by=request.user)
        except InvalidInput as error:
            return HttpResponseBadRequest(str(error))
        self.message_user(
            request, f"Labelled “{self.short_message(conversation)}” as {intent}.", messages.SUCCESS
        )
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("admin:assistant_conversation_changelist")
        return redirect(back)

    @admin.display(description="Confidence", ordering="intent_confidence")
    def confidence(self, obj) -> str | None:
        return None if obj.intent_confidence is None else f"{obj.intent_confidence:.2f}"

    @admin.display(description="Label")
    def label_form(self, obj) -> str:
        """The row's intent picker and its Label button (a submit of the list's own form to
        this turn's label URL: one click when the picker starts on the right intent)."""
        chosen = suggested_intent(obj)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((name, " selected" if name == chosen else "", name) for name in INTENT_NAMES),
        )
        labelled = getattr(obj, "label", None)
        return format_html(
            '{}<select name="intent-{}" aria-label="Intent">{}</select> '
            '<button type="submit" class="button" formaction="{}" name="label" value="{}">'
            "Label</button>",
            format_html("<strong>{}</strong> ", labelled.intent) if labelled else "",
            obj.pk,
            options,
            reverse("admin:assistant_conversation_label", args=[obj.pk]),
            obj.pk,
        )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Staff keep the view permission: the change page renders read-only, with no Save
        # button, and a POST to it is refused.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Message")
    def short_message(self, obj) -> str:
        return obj.message if len(obj.message) <= 80 else obj.message[:77] + "…"


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    list_display = (
        "insight_type",
        "user",
        "calculated_at",
        "expires_at",
        "cache_hit_count",
        "context_id",
    )
    list_filter = ("insight_type", "calculated_at", "expires_at")
    search_fields = ("user__email", "context_id", "insight_type")
    date_hierarchy = "calculated_at"
    list_select_related = ("user",)
    readonly_fields = (
        "id",
        "user",
        "insight_type",
        "context_id",
        "data",
        "calculated_at",
        "expires_at",
        "cache_hit_count",
    )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(UserPreferences)
class UserPreferencesAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "default_kit",
        "auto_suggestions_enabled",
        "conversation_history_retention_days",
        "updated_at",
    )
    list_filter = ("default_kit", "auto_suggestions_enabled")
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
    list_select_related = ("user",)


@admin.register(IntentLabel)
class IntentLabelAdmin(admin.ModelAdmin):
    """Training examples: turns labelled by staff (from the conversation list) and imported
    ones (`import_intent_labels`). Read-only here; a wrong one is deleted, or its turn
    labelled again."""

    list_display = ("created_at", "intent", "kit", "source", "short_message", "labelled_by")
    list_filter = ("intent", "kit", "source", "created_at")
    search_fields = ("message", "labelled_by__email")
    list_select_related = ("labelled_by",)
    readonly_fields = (
        "message",
        "intent",
        "kit",
        "source",
        "conversation",
        "labelled_by",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Message")
    def short_message(self, obj) -> str:
        return obj.message if len(obj.message) <= 80 else obj.message[:77] + "…"
