"""`/api/v1/assistant/insights`: the insight cache, read by its users (their own rows) and by
the service role (every row); the service role may also drop an entry. Entries are written
only by the server's own cache (assistant/cache.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated

from assistant import selectors, services
from assistant.filters import InsightFilter
from assistant.models import Insight
from assistant.serializers import InsightOutputSerializer
from fashionos.api.permissions import MSG_SERVICE_ONLY
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
    """Cached analyses: users read their own, the service role reads and drops any. Who sees
    and who may drop is `Insight.objects`' `visible_to` / `editable_by`."""

    permission_classes = [IsAuthenticated]
    serializer_class = InsightOutputSerializer
    filterset_class = InsightFilter
    ordering_fields = ["calculated_at", "expires_at", "cache_hit_count"]
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.insight_list(actor=self.request.user)

    def perform_destroy(self, instance):
        # After get_object(): a row the caller cannot see stays a 404, one they see a 403.
        if not Insight.objects.editable_by(self.request.user).filter(pk=instance.pk).exists():
            raise PermissionDenied(MSG_SERVICE_ONLY)
        services.insight_delete(insight=instance)
