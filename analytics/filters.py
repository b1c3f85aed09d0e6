"""Filters for the analytics event list."""

from django_filters import rest_framework as filters

from fashionos.api.filters import UtcDateTimeFilter
from fashionos.kits import KIT_CHOICES


class EventFilter(filters.FilterSet):
    event_type = filters.CharFilter(max_length=100)
    kit_context = filters.ChoiceFilter(choices=KIT_CHOICES)
    session_id = filters.UUIDFilter()
    user = filters.UUIDFilter(field_name="user_id", label="Events of this user (admins)")
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")
