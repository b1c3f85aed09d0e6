"""REST endpoints for campaigns and their members, samples, tasks and assets.

Views are thin: `get_queryset()` is a selector scoped to the caller (an invisible row is a
404), permissions decide writes on visible rows (403), an input serializer validates, a
service writes (one transaction, realtime announced on commit) and an output serializer
renders the row as re-read through the selector.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from fashionos.api.fast_output import rows_renderer
from fashionos.api.parsers import BoundedJSONParser, BoundedMultiPartParser
from fashionos.api.permissions import IsUser
from fashionos.api.views import ApiViewMixin
from fashionos.principals import Actor, sees_every_row
from logistics import selectors
from logistics import serializers as s
from logistics.filters import (
    AssetFilter,
    CampaignFilter,
    InvitationFilter,
    MemberFilter,
    SampleFilter,
    TaskFilter,
)
from logistics.models import CampaignInvitation, CampaignMember
from logistics.permissions import (
    MSG_NOT_EDITOR,
    MSG_NOT_OWNER,
    CampaignMembersAccess,
    CampaignOwnerAccess,
    CampaignRowAccess,
    campaign_owned,
    campaign_writable,
    write_check_annotate,
)
from logistics.services.assets import asset_create, asset_delete, asset_update
from logistics.services.campaigns import campaign_create, campaign_delete, campaign_update
from logistics.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_withdraw,
)
from logistics.services.members import member_add, member_remove, member_update_role
from logistics.services.samples import sample_create, sample_delete, sample_update
from logistics.services.tasks import task_create, task_delete, task_update

_DELETED = OpenApiResponse(description="Deleted.")

MSG_INVITE_INSTEAD = (
    "Members join by accepting an invitation: invite them with POST /api/v1/invitations."
)
MSG_NOT_ADDRESSEE = "Only the person invited may answer this invitation."


class CampaignRowViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """CRUD over rows that belong to a campaign. Subclasses name their serializers, selector
    and the services that write."""

    permission_classes = [CampaignRowAccess]
    lookup_value_converter = "uuid"
    create_serializer_class: type
    update_serializer_class: type
    output_serializer_class: type

    def select(self, *, actor: Actor):
        raise NotImplementedError

    def get_queryset(self):
        """The rows the caller sees; for a change, each with whether the caller may change it,
        read in the same statement (`CampaignRowAccess` reads it from the row)."""
        rows = self.select(actor=self.request.user)
        if self.action in ("update", "partial_update", "destroy"):
            rows = write_check_annotate(rows, self.request.user)
        return rows

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer_class
        if self.action in ("update", "partial_update"):
            return self.update_serializer_class
        return self.output_serializer_class

    def list(self, request, *args, **kwargs):
        """The page, rendered from plain column values when the output serializer's fields
        allow it (fashionos/api/fast_output.py: the same bytes as DRF's rendering, from the
        same scoped and filtered queryset), else by DRF."""
        renderer = rows_renderer(self.output_serializer_class)
        if renderer is None:
            return super().list(request, *args, **kwargs)
        rows = self.filter_queryset(self.get_queryset()).values_list(*renderer.columns)
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(renderer.render(rows))
        return self.get_paginated_response(renderer.render(page))

    def row_response(self, row, status_code=status.HTTP_200_OK) -> Response:
        """The written row as the output serializer renders it. A row of plain columns (the
        serializer reads nothing but the row's own fields: `rows_renderer` accepts it) is
        rendered as the service wrote it, which is what the database holds, by the same fast
        renderer as the list; others (related rows, files) are re-read through the selector
        and rendered by DRF."""
        renderer = rows_renderer(self.output_serializer_class)
        if renderer is not None:
            values = tuple(getattr(row, column) for column in renderer.columns)
            return Response(renderer.render([values])[0], status_code)
        row = self.get_queryset().get(pk=row.pk)
        context = self.get_serializer_context()
        return Response(self.output_serializer_class(row, context=context).data, status_code)

    def campaign_for_create(self, request):
        """The body's campaign: 400 when the caller cannot see it (as if it did not exist),
        403 when they see it but may not write to it. Checked before the rest of the body."""
        ref = s.CampaignRefSerializer(data=request.data, context=self.get_serializer_context())
        ref.is_valid(raise_exception=True)
        campaign = ref.validated_data["campaign"]
        if not campaign_writable(request.user, campaign.pk):
            raise PermissionDenied(MSG_NOT_EDITOR)
        return campaign

    def create(self, request, *args, **kwargs):
        campaign = self.campaign_for_create(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("campaign")
        row = self.row_create(campaign=campaign, data=data)
        return self.row_response(row, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("campaign", None)
        try:
            row = self.row_update(row=row, data=data)
        except ObjectDoesNotExist:  # deleted since get_object() (services re-read it)
            raise Http404 from None
        return self.row_response(row)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: _DELETED})
    def destroy(self, request, *args, **kwargs):
        try:
            self.row_delete(row=self.get_object())
        except ObjectDoesNotExist:  # deleted since get_object() by another request
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Samples of the campaigns the caller belongs to"),
    create=extend_schema(summary="Add a sample (owners and editors of its campaign)"),
)
class SampleViewSet(CampaignRowViewSet):
    """Samples (garments) of a campaign. Members read; owners and editors write."""

    create_serializer_class = s.SampleCreateSerializer
    update_serializer_class = s.SampleUpdateSerializer
    output_serializer_class = s.SampleOutputSerializer
    filterset_class = SampleFilter
    ordering_fields = ["name", "priority", "status", "eta", "created_at", "updated_at"]

    def select(self, *, actor: Actor):
        return selectors.sample_list(actor=actor)

    def row_create(self, *, campaign, data):
        return sample_create(campaign=campaign, data=data)

    def row_update(self, *, row, data):
        return sample_update(sample=row, data=data)

    def row_delete(self, *, row):
        sample_delete(sample=row)


def _task_data(data: dict) -> tuple[dict, list | None]:
    depends_on = data.pop("depends_on", None)
    if "assignee" in data:
        data["assignee_id"] = data.pop("assignee")
    return data, depends_on


@extend_schema_view(
    list=extend_schema(summary="Tasks of the campaigns the caller belongs to"),
    create=extend_schema(
        summary="Add a task; dependencies must be tasks of the same campaign, with no cycle"
    ),
)
class TaskViewSet(CampaignRowViewSet):
    """Tasks of a campaign's shoot schedule. `depends_on` lists tasks of the same campaign;
    a dependency cycle is refused with a 400 that names it. Members read; owners and editors
    write."""

    create_serializer_class = s.TaskCreateSerializer
    update_serializer_class = s.TaskUpdateSerializer
    output_serializer_class = s.TaskOutputSerializer
    filterset_class = TaskFilter
    ordering_fields = ["title", "status", "deadline", "earliest_start", "created_at"]

    def select(self, *, actor: Actor):
        return selectors.task_list(actor=actor)

    def row_create(self, *, campaign, data):
        data, depends_on = _task_data(data)
        return task_create(campaign=campaign, data=data, depends_on=depends_on or ())

    def row_update(self, *, row, data):
        data, depends_on = _task_data(data)
        return task_update(task=row, data=data, depends_on=depends_on)

    def row_delete(self, *, row):
        task_delete(task=row)


@extend_schema_view(
    list=extend_schema(summary="Media assets of the campaigns the caller belongs to"),
    create=extend_schema(
        summary="Add an asset, optionally uploading an image (multipart/form-data)",
        request={
            "application/json": s.AssetCreateSerializer,
            "multipart/form-data": s.AssetCreateSerializer,
        },
    ),
    update=extend_schema(
        request={
            "application/json": s.AssetUpdateSerializer,
            "multipart/form-data": s.AssetUpdateSerializer,
        }
    ),
    partial_update=extend_schema(
        request={
            "application/json": s.AssetUpdateSerializer,
            "multipart/form-data": s.AssetUpdateSerializer,
        }
    ),
)
class AssetViewSet(CampaignRowViewSet):
    """Media assets of a campaign. An image may be uploaded (multipart/form-data, JPEG, PNG
    or WebP up to ASSET_UPLOAD_MAX_BYTES): width and height are then read from the file.
    Members read; owners and editors write."""

    parser_classes = [BoundedJSONParser, BoundedMultiPartParser]
    create_serializer_class = s.AssetCreateSerializer
    update_serializer_class = s.AssetUpdateSerializer
    output_serializer_class = s.AssetOutputSerializer
    filterset_class = AssetFilter
    ordering_fields = ["title", "status", "kind", "created_at", "rights_expire_at"]

    def select(self, *, actor: Actor):
        return selectors.asset_list(actor=actor)

    def row_create(self, *, campaign, data):
        featured = data.pop("featured_samples", ())
        return asset_create(campaign=campaign, data=data, featured_samples=featured)

    def row_update(self, *, row, data):
        featured = data.pop("featured_samples", None)
        return asset_update(asset=row, data=data, featured_samples=featured)

    def row_delete(self, *, row):
        asset_delete(asset=row)


@extend_schema_view(
    list=extend_schema(summary="Campaigns the caller belongs to (all for admins and service)"),
    create=extend_schema(summary="Create a campaign; the caller becomes its owner"),
    destroy=extend_schema(summary="Delete a campaign and everything in it (owners only)"),
)
class CampaignViewSet(CampaignRowViewSet):
    """Campaigns. Members read; owners and editors change; owners delete. `role` is the
    caller's role in the campaign."""

    create_serializer_class = s.CampaignInputSerializer
    update_serializer_class = s.CampaignInputSerializer
    output_serializer_class = s.CampaignOutputSerializer
    filterset_class = CampaignFilter
    ordering_fields = ["name", "shoot_date", "status", "created_at", "updated_at"]

    def get_permissions(self):
        if self.action == "create":
            return [IsUser()]
        if self.action == "destroy":
            return [CampaignOwnerAccess()]
        return super().get_permissions()

    def select(self, *, actor: Actor):
        return selectors.campaign_list(actor=actor)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = campaign_create(owner=request.user, **serializer.validated_data)
        return self.row_response(row, status.HTTP_201_CREATED)

    def row_update(self, *, row, data):
        return campaign_update(campaign=row, data=data)

    def row_delete(self, *, row):
        campaign_delete(campaign=row)


@extend_schema_view(
    list=extend_schema(summary="Members of a campaign (anyone who sees the campaign)"),
    create=extend_schema(
        summary="Add a member directly (staff and the service key; owners invite instead)",
        request=s.MemberAddSerializer,
        responses={201: s.MemberOutputSerializer},
    ),
    update=extend_schema(
        summary="Change a member's role (owners only; one owner always remains)",
        request=s.MemberRoleSerializer,
        responses={200: s.MemberOutputSerializer},
    ),
    partial_update=extend_schema(
        request=s.MemberRoleSerializer, responses={200: s.MemberOutputSerializer}
    ),
    destroy=extend_schema(
        summary="Remove a member (owners only; one owner always remains)",
        responses={204: _DELETED},
    ),
)
class CampaignMemberViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Members of a campaign and their roles. Anyone who sees the campaign lists them; owners
    add, change and remove them; the last owner can be neither demoted nor removed."""

    permission_classes = [CampaignMembersAccess]
    serializer_class = s.MemberOutputSerializer
    filterset_class = MemberFilter
    ordering_fields = ["created_at", "role"]
    lookup_value_converter = "uuid"

    @cached_property
    def campaign(self):
        campaign = selectors.campaign_get_for_actor(
            actor=self.request.user, campaign_id=self.kwargs["campaign_pk"]
        )
        if campaign is None:
            raise Http404
        return campaign

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CampaignMember.objects.none()
        return selectors.member_list(actor=self.request.user, campaign=self.campaign)

    def _render(self, member, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=member.pk)
        return Response(self.get_serializer(fresh).data, status_code)

    def create(self, request, *args, **kwargs):
        # People join by accepting an invitation; adding them directly is administration.
        if not sees_every_row(request.user):
            raise PermissionDenied(MSG_INVITE_INSTEAD)
        form = s.MemberAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        member = member_add(campaign=self.campaign, **form.validated_data)
        return self._render(member, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        member = self.get_object()
        form = s.MemberRoleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        member = member_update_role(member=member, role=form.validated_data["role"])
        return self._render(member)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        member_remove(member=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Invitations addressed to you, and those of campaigns you own"),
    create=extend_schema(
        summary="Invite an e-mail address to a campaign with a role (owners)",
        request=s.InvitationCreateSerializer,
        responses={201: s.InvitationOutputSerializer},
    ),
    destroy=extend_schema(summary="Withdraw an invitation (owners)", responses={204: _DELETED}),
    accept=extend_schema(
        summary="Accept an invitation addressed to you: you become a member",
        request=None,
        responses={200: s.InvitationOutputSerializer},
    ),
    decline=extend_schema(
        summary="Decline an invitation addressed to you",
        request=None,
        responses={200: s.InvitationOutputSerializer},
    ),
)
class InvitationViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations to campaigns. Owners invite (the answer is the same whether or not the
    address has an account) and withdraw; the addressee lists, accepts and declines. Only
    acceptance creates a membership."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.InvitationOutputSerializer
    filterset_class = InvitationFilter
    ordering_fields = ["created_at", "expires_at"]
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CampaignInvitation.objects.none()
        return selectors.invitation_list(actor=self.request.user)

    def _render(self, invitation, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=invitation.pk)
        return Response(self.get_serializer(fresh).data, status_code)

    def create(self, request, *args, **kwargs):
        form = s.InvitationCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        campaign = form.validated_data["campaign"]
        if not campaign_owned(request.user, campaign.pk):
            raise PermissionDenied(MSG_NOT_OWNER)
        invitation = invitation_create(
            campaign=campaign,
            email=form.validated_data["email"],
            role=form.validated_data["role"],
            invited_by=request.user,
        )
        return self._render(invitation, status.HTTP_201_CREATED)

    def _addressed(self):
        invitation = self.get_object()
        if (
            not CampaignInvitation.objects.addressed_to(self.request.user)
            .filter(pk=invitation.pk)
            .exists()
        ):
            raise PermissionDenied(MSG_NOT_ADDRESSEE)
        return invitation

    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        invitation = self._addressed()
        invitation_accept(invitation=invitation, user=request.user)
        return self._render(invitation)

    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        invitation = self._addressed()
        invitation_decline(invitation=invitation)
        return self._render(invitation)

    def destroy(self, request, *args, **kwargs):
        invitation = self.get_object()
        if (
            not CampaignInvitation.objects.withdrawable_by(request.user)
            .filter(pk=invitation.pk)
            .exists()
        ):
            raise PermissionDenied(MSG_NOT_OWNER)
        invitation_withdraw(invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)
