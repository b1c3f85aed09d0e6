from django.contrib import admin

from analytics.models import AnalyticsEvent


@admin.register(AnalyticsEvent)
class AnalyticsEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event_type", "kit_context", "user", "page_route", "session_id")
    list_filter = ("event_type", "kit_context", "created_at")
    search_fields = ("event_type", "user__email", "page_route", "session_id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    show_full_result_count = False
    readonly_fields = (
        "id",
        "user",
        "event_type",
        "event_data",
        "page_route",
        "kit_context",
        "session_id",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Events are a record of what happened: staff view them (read-only page), never edit.
        return False
