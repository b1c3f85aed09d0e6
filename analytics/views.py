"""`/api/v1/analytics/events` (POST one event or a batch; GET scoped) and
`/api/v1/analytics/summary` (admins and the service role)."""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from analytics import selectors, services
from analytics import serializers as s
from analytics.fast_validation import events_validate_fast
from analytics.filters import EventFilter
from fashionos.api.permissions import IsAdminOrService, PostOpenReadSignedIn
from fashionos.api.schema import error
from fashionos.api.views import ApiViewMixin
from fashionos.errors import TooLarge

MSG_TOO_MANY_EVENTS = (
    f"At most {services.MAX_EVENTS_PER_REQUEST} events may be sent in one request."
)
CODE_TOO_MANY_EVENTS = "TOO_MANY_EVENTS"
MSG_NO_EVENTS = "Send one event or a non-empty list of events."

_ONE_OR_MANY = PolymorphicProxySerializer(
    component_name="AnalyticsEventBatch",
    serializers=[s.EventInputSerializer, s.EventInputSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


class AnalyticsEventView(ApiViewMixin, ListAPIView):
    """Product analytics events. Anyone posts (anonymous callers with no user, users as
    themselves); admins and the service role read all, users their own."""

    permission_classes = [PostOpenReadSignedIn]
    serializer_class = s.EventOutputSerializer
    filterset_class = EventFilter
    ordering_fields = ["created_at", "event_type"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.event_list(actor=self.request.user)

    @extend_schema(summary="Events the caller may read: all for admins, else their own")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=f"Record one event or a list of up to {services.MAX_EVENTS_PER_REQUEST}",
        request=_ONE_OR_MANY,
        responses={
            201: s.IngestResultSerializer,
            403: error("An event names another user."),
            413: error("The body is too large, or holds more than 1,000 events."),
        },
    )
    def post(self, request, *args, **kwargs):
        payload = request.data
        many = isinstance(payload, list)
        if many and len(payload) > services.MAX_EVENTS_PER_REQUEST:
            raise TooLarge(MSG_TOO_MANY_EVENTS, code=CODE_TOO_MANY_EVENTS)
        if many and not payload:
            raise ValidationError({"non_field_errors": [MSG_NO_EVENTS]})
        events = events_validate_fast(payload if many else [payload])
        if events is None:  # not plainly valid: the serializer gives the canonical errors
            form = s.EventInputSerializer(data=payload, many=many)
            form.is_valid(raise_exception=True)
            events = form.validated_data if many else [form.validated_data]
        ids = services.events_record(actor=request.user, events=events)
        body = {"count": len(ids), "ids": ids}
        return Response(s.IngestResultSerializer(body).data, status=status.HTTP_201_CREATED)


class AnalyticsSummaryView(ApiViewMixin, GenericAPIView):
    """Event counts over a range of days, for admins and the service role."""

    permission_classes = [IsAdminOrService]
    serializer_class = s.SummarySerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Counts of events by type, kit and day (admins and the service role)",
        parameters=[s.SummaryQuerySerializer],
    )
    def get(self, request):
        query = s.SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = selectors.event_summary(actor=request.user, **query.validated_data)
        return Response(self.get_serializer(summary).data)
