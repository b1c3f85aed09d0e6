"""List filtering shared by every endpoint.

- `StableOrderingFilter`: whatever the client orders by, rows that tie are ordered by their
  primary key, so a row never appears on two pages or on none.
- `StrictBooleanFilter`: a boolean query parameter that refuses values other than true/false
  (django-filter's own treats them as "no filter", silently widening the list).
- `UtcDateTimeFilter`: an ISO 8601 date-time filter that compares in UTC.
- `BuiltOnceFilterSet`: a FilterSet whose filters and form class are built once per class
  instead of on every request (django-filter deep-copies every declared filter and builds
  the form class per request, even for a detail view; on the sample list that was a quarter
  of the request). Only for filters whose form fields depend on their declaration alone (no
  queryset or choices taken from the request).
"""

import copy
from datetime import UTC

from django import forms
from django.http import QueryDict
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework.filters import OrderingFilter


class BuiltOnceFilterSet(filters.FilterSet):
    """Each instance gets its own filters, as django-filter's do (each names the instance as its
    `parent`, which a `method=` filter calls), but as shallow copies of filters deep-copied
    once per class and model rather than deep copies of the declarations; nothing of a
    filter changes per request, so they may share their declared arguments. The form class is
    built once from them too, and its instances share its fields."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's FilterSet.__init__, but for the copy of the filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, prepared in self._prepared_filters(queryset.model).items():
            own = copy.copy(prepared)
            if prepared.method is not None:
                own.method = prepared.method  # a FilterMethod of this copy, not of `prepared`
            own.parent = self
            self.filters[name] = own

    @classmethod
    def _prepared_filters(cls, model) -> dict:
        # Per class (a subclass prepares its own) and model; a race prepares them twice,
        # harmlessly.
        prepared = cls.__dict__.get("_filters_prepared")
        if prepared is None or prepared[0] is not model:
            filters_ = copy.deepcopy(cls.base_filters)
            for filter_ in filters_.values():
                filter_.model = model
            prepared = cls._filters_prepared = (model, filters_)
        return prepared[1]

    def get_form_class(self):
        # Per class, as the filters; its instances share its fields (_SharedFields).
        built = type(self).__dict__.get("_form_class_built")
        if built is None:
            built = super().get_form_class()
            built.base_fields = _SharedFields(built.base_fields)
            type(self)._form_class_built = built
        return built


class _SharedFields(dict):
    """A form class's fields, used by its instances as they are. Django deep-copies them for
    every form instance, so that one may change its own fields; nothing does here (the
    filter form only cleans the query string with them), and the copy was half of the
    filtering of a request."""

    def __deepcopy__(self, memo):
        return dict(self)


class StableOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        ordering = list(ordering)
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("id")
        return ordering


class StrictBooleanField(forms.NullBooleanField):
    """true / false (or 1 / 0); anything else is a 400, not "no filter"."""

    widget = forms.TextInput
    _VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self._VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError("Enter true or false.", code="invalid") from None


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC: PostgreSQL refuses UTC offsets past ±15:59
    that Python accepts, and a date near year 1 or 9999 may not survive the conversion."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("The date-time is out of range.", code="invalid") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
