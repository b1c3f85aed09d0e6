"""List filters for campaigns, members, samples, tasks and assets (django-filter).

Every filter value is validated by its form field: an unknown status, a malformed id or date
is a 400, never an empty list and never a database error.
"""

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters

from fashionos.api.filters import BuiltOnceFilterSet, StrictBooleanFilter, UtcDateTimeFilter
from logistics.models import (
    AssetKind,
    AssetStatus,
    Campaign,
    CampaignRole,
    InvitationStatus,
    SampleStatus,
    TaskStatus,
)

PRIORITIES = [(value, str(value)) for value in range(1, 6)]


def _search(queryset, fields: tuple[str, ...], value: str):
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


class CampaignFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Campaign.Status.choices)
    shoot_date_after = filters.DateFilter(field_name="shoot_date", lookup_expr="gte")
    shoot_date_before = filters.DateFilter(field_name="shoot_date", lookup_expr="lte")
    q = filters.CharFilter(method="filter_q", max_length=200, label="Name or location contains")

    def filter_q(self, queryset, name, value):
        return _search(queryset, ("name", "location"), value)


class MemberFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=CampaignRole.choices)


class SampleFilter(BuiltOnceFilterSet):
    campaign = filters.UUIDFilter(field_name="campaign_id")
    status = filters.MultipleChoiceFilter(choices=SampleStatus.choices)
    is_hero = StrictBooleanFilter()
    priority = filters.TypedChoiceFilter(choices=PRIORITIES, coerce=int)
    priority_max = filters.TypedChoiceFilter(
        field_name="priority", lookup_expr="lte", choices=PRIORITIES, coerce=int
    )
    category = filters.CharFilter(lookup_expr="iexact", max_length=64)
    designer = filters.CharFilter(lookup_expr="iexact", max_length=200)
    eta_after = UtcDateTimeFilter(field_name="eta", lookup_expr="gte")
    eta_before = UtcDateTimeFilter(field_name="eta", lookup_expr="lte")
    q = filters.CharFilter(method="filter_q", max_length=200, label="Name, SKU or designer")

    def filter_q(self, queryset, name, value):
        return _search(queryset, ("name", "sku", "designer"), value)


class TaskFilter(filters.FilterSet):
    campaign = filters.UUIDFilter(field_name="campaign_id")
    status = filters.MultipleChoiceFilter(choices=TaskStatus.choices)
    assignee = filters.UUIDFilter(field_name="assignee_id")
    deadline_after = UtcDateTimeFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = UtcDateTimeFilter(field_name="deadline", lookup_expr="lte")
    earliest_start_after = UtcDateTimeFilter(field_name="earliest_start", lookup_expr="gte")
    earliest_start_before = UtcDateTimeFilter(field_name="earliest_start", lookup_expr="lte")


class AssetFilter(filters.FilterSet):
    campaign = filters.UUIDFilter(field_name="campaign_id")
    kind = filters.ChoiceFilter(choices=AssetKind.choices)
    status = filters.MultipleChoiceFilter(choices=AssetStatus.choices)
    featured_sample = filters.UUIDFilter(field_name="featured_samples")
    rights_expire_after = UtcDateTimeFilter(field_name="rights_expire_at", lookup_expr="gte")
    rights_expire_before = UtcDateTimeFilter(field_name="rights_expire_at", lookup_expr="lte")


INVITATION_STATUSES = [*InvitationStatus.choices, ("expired", "Expired")]


class InvitationFilter(filters.FilterSet):
    campaign = filters.UUIDFilter(field_name="campaign_id")
    status = filters.ChoiceFilter(choices=INVITATION_STATUSES, method="filter_status")

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == "expired":
            return queryset.filter(status=InvitationStatus.PENDING, expires_at__lte=now)
        if value == InvitationStatus.PENDING:
            return queryset.filter(status=value, expires_at__gt=now)
        return queryset.filter(status=value)
