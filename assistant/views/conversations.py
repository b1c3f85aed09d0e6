"""`/api/v1/assistant/conversations`: the caller's own conversation log (every user's for the
service key), read-only, plus the owner's one-time `helpful` feedback (DESIGN.md section 5:
an immutable audit log). Who sees and who may give feedback is `Conversation.objects`'
`visible_to` / `editable_by`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from assistant import selectors, services
from assistant.filters import ConversationFilter
from assistant.models import Conversation
from assistant.serializers import ConversationOutputSerializer, FeedbackSerializer
from fashionos.api.permissions import MSG_NOT_YOURS
from fashionos.api.schema import error
from fashionos.api.views import ApiViewMixin


@extend_schema_view(
    list=extend_schema(summary="The caller's conversation turns (all for the service key)"),
    retrieve=extend_schema(summary="One of the caller's conversation turns"),
)
class ConversationViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own conversation turns with the assistant (an immutable log); the service
    key reads every user's."""

    permission_classes = [IsAuthenticated]
    serializer_class = ConversationOutputSerializer
    filterset_class = ConversationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.conversation_list(actor=self.request.user)

    @extend_schema(
        summary="Say whether an answer helped (the owner, once)",
        request=FeedbackSerializer,
        responses={
            200: ConversationOutputSerializer,
            409: error("Feedback was already given on this answer."),
        },
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        conversation = self.get_object()  # 404 unless the caller sees it
        if not Conversation.objects.editable_by(request.user).filter(pk=conversation.pk).exists():
            raise PermissionDenied(MSG_NOT_YOURS)
        form = FeedbackSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        conversation = services.conversation_feedback(
            conversation=conversation, helpful=form.validated_data["helpful"]
        )
        return Response(self.get_serializer(conversation).data)
