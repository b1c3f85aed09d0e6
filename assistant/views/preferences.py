"""`/api/v1/assistant/preferences/me`: the caller's own preferences. Read creates the
defaults on first use; PUT replaces (fields left out return to their defaults); PATCH changes
the given fields. Only a signed-in user has preferences: the service key gets 403."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from assistant import services
from assistant.serializers import PreferencesSerializer
from fashionos.api.permissions import IsUser
from fashionos.api.views import ApiViewMixin


class PreferencesMeView(ApiViewMixin, GenericAPIView):
    """The caller's assistant preferences."""

    permission_classes = [IsUser]
    serializer_class = PreferencesSerializer
    filter_backends: list = []
    pagination_class = None

    def get_object(self):
        return services.preferences_get_or_create(user=self.request.user)

    @extend_schema(summary="The caller's preferences (defaults created on first read)")
    def get(self, request):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="Replace the caller's preferences")
    def put(self, request):
        return self._write(request, partial=False)

    @extend_schema(summary="Change some of the caller's preferences")
    def patch(self, request):
        return self._write(request, partial=True)

    def _write(self, request, *, partial: bool) -> Response:
        form = self.get_serializer(data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        preferences = services.preferences_update(user=request.user, data=form.validated_data)
        return Response(self.get_serializer(preferences).data)
