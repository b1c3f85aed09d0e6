"""`/api/v1/assistant/insights`: the insight cache, read by its users (their own rows) and by
the service role (every row); the service role may also drop an entry. Entries are written
only by the server's own cache (assistant/cache.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from assistant import selectors, services
from assistant.filters import InsightFilter
from assistant.serializers import InsightOutputSerializer
from fashionos.api.permissions import ReadOrServiceWrite
from fashionos.api.views import ApiViewMixin


@extend_schema_view(
    list=extend_schema(summary="Cached analyses: the caller's own (all for the service role)"),
    retrieve=extend_schema(summary="One cached analysis"),
    destroy=extend_schema(
        summary="Drop a cached analysis (service role only)",
        responses={204: OpenApiResponse(description="Deleted.")},
    ),
)
class InsightViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Cached analyses: users read their own, the service role reads and drops any."""

    permission_classes = [ReadOrServiceWrite]
    serializer_class = InsightOutputSerializer
    filterset_class = InsightFilter
    ordering_fields = ["calculated_at", "expires_at", "cache_hit_count"]
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.insight_list(actor=self.request.user)

    def perform_destroy(self, instance):
        services.insight_delete(insight=instance)
