"""What every view of our REST API shares: the schema class that documents the error
envelope, JSON bodies (bounded), django-filter and a stable ordering."""

from django_filters.rest_framework import DjangoFilterBackend

from fashionos.api.filters import StableOrderingFilter
from fashionos.api.parsers import BoundedJSONParser
from fashionos.api.schema import ApiAutoSchema


class ApiViewMixin:
    schema = ApiAutoSchema()
    parser_classes = [BoundedJSONParser]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
