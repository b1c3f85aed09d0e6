from django.contrib import admin

from assistant.models import Conversation, Insight, UserPreferences


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """The conversation log is an immutable audit trail: staff read it, nobody edits it."""

    list_display = (
        "created_at",
        "user",
        "kit_context",
        "intent_detected",
        "skill_used",
        "short_message",
        "response_time_ms",
        "helpful",
    )
    list_filter = ("kit_context", "intent_detected", "skill_used", "helpful", "created_at")
    search_fields = ("message", "user__email", "session_id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    show_full_result_count = False

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
