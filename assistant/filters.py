"""List filters for conversations and insights."""

from django.utils import timezone
from django_filters import rest_framework as filters

from fashionos.api.filters import StrictBooleanFilter, UtcDateTimeFilter
from fashionos.kits import KIT_CHOICES


class ConversationFilter(filters.FilterSet):
    session_id = filters.UUIDFilter()
    kit = filters.ChoiceFilter(field_name="kit_context", choices=KIT_CHOICES)
    kit_context = filters.ChoiceFilter(choices=KIT_CHOICES, help_text="Alias of kit.")
    helpful = StrictBooleanFilter()
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")


class InsightFilter(filters.FilterSet):
    insight_type = filters.CharFilter(max_length=50)
    context_id = filters.CharFilter(max_length=128)
    live = StrictBooleanFilter(method="filter_live", label="Only entries not yet expired")

    def filter_live(self, queryset, name, value):
        now = timezone.now()
        return (
            queryset.filter(expires_at__gt=now) if value else queryset.filter(expires_at__lte=now)
        )
