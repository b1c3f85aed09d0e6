"""Input and output serializers for campaigns, members, samples, tasks and assets.

JSON keys are the tables' column names without the `_id` suffix of foreign keys (`campaign`,
`assignee`, `is_hero`); `depends_on` and `featured_samples` are lists of ids. Input
serializers bound every value (lengths, ranges, list sizes) so the database never sees a value
it would refuse; references to other rows resolve through `visible_to(actor)`, so a row the
caller cannot see "does not exist".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fashionos.accounts.models import User
from fashionos.principals import CallerOnlyBodyMixin
from logistics import selectors
from logistics.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Campaign,
    CampaignInvitation,
    CampaignMember,
    CampaignRole,
    Sample,
    SampleStatus,
    Task,
    TaskStatus,
)
from logistics.uploads import image_upload_read

MAX_DEPENDENCIES = 200
MAX_FEATURED_SAMPLES = 200
MAX_CHANNELS = 20
MAX_DURATION_MINUTES = 60 * 24 * 365
MAX_PIXELS_PER_SIDE = 100_000
MAX_VIDEO_SECONDS = 60 * 60 * 24

MSG_CAMPAIGN_FIXED = "A row cannot move to another campaign."
MSG_CAMPAIGN_UNKNOWN = 'Campaign "{pk_value}" does not exist.'
MSG_UNKNOWN_ROWS = "These ids do not exist: {ids}."
MSG_DEADLINE_ORDER = "The deadline must be after the earliest start."
MSG_ASSIGNEE_NOT_MEMBER = "The assignee must be a member of the campaign."
MSG_MEMBER_ONE_OF = "Give exactly one of user and email."
MSG_USER_UNKNOWN = "No user has this id or e-mail address."
MSG_VIDEO_UPLOAD = "Video files cannot be uploaded yet; give duration_seconds without a file."


def _actor(serializer: serializers.Serializer):
    return serializer.context["request"].user


class VisibleCampaignField(serializers.PrimaryKeyRelatedField):
    """A campaign id the caller can see; any other id "does not exist" (no existence leak)."""

    default_error_messages = {"does_not_exist": _(MSG_CAMPAIGN_UNKNOWN)}

    def __init__(self, **kwargs) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def get_queryset(self):
        return Campaign.objects.visible_to(_actor(self.parent))


class CampaignRefSerializer(serializers.Serializer):
    """Just the campaign of a create body, checked before the rest (for the 403 on it)."""

    campaign = VisibleCampaignField()


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


def _resolve(ids: list, found: dict) -> list:
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise serializers.ValidationError(MSG_UNKNOWN_ROWS.format(ids=", ".join(missing)))
    return [found[pk] for pk in ids]


class FixedCampaignMixin(serializers.Serializer):
    """Update bodies may repeat the row's campaign but not change it."""

    campaign = serializers.UUIDField(required=False, help_text="Must be the row's campaign.")

    def validate_campaign(self, value):
        if self.instance is not None and value != self.instance.campaign_id:
            raise serializers.ValidationError(MSG_CAMPAIGN_FIXED)
        return value


# --- Campaigns and members -------------------------------------------------------------------


class CampaignOutputSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="The caller's role in the campaign.")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "shoot_date",
            "location",
            "status",
            "created_by",
            "revision",
            "role",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=CampaignRole.choices, allow_null=True))
    def get_role(self, campaign) -> str | None:
        return getattr(campaign, "caller_role", None)


class CampaignInputSerializer(CallerOnlyBodyMixin, serializers.Serializer):
    """`created_by` is the caller (taken from the token): a body naming another user is a 403."""

    name = serializers.CharField(max_length=200)
    shoot_date = serializers.DateField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Campaign.Status.choices, required=False)


class MemberOutputSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = CampaignMember
        fields = ["id", "campaign", "user", "email", "full_name", "role", "created_at"]


class MemberAddSerializer(serializers.Serializer):
    user = serializers.UUIDField(required=False, help_text="The user's id, or give email.")
    email = serializers.EmailField(required=False, max_length=254)
    role = serializers.ChoiceField(choices=CampaignRole.choices, default=CampaignRole.VIEWER)

    def validate(self, attrs):
        if ("user" in attrs) == ("email" in attrs):
            raise serializers.ValidationError(MSG_MEMBER_ONE_OF)
        if "user" in attrs:
            user = User.objects.filter(pk=attrs["user"]).first()
        else:
            user = User.objects.filter(email__iexact=attrs["email"]).first()
        if user is None:
            field = "user" if "user" in attrs else "email"
            raise serializers.ValidationError({field: [MSG_USER_UNKNOWN]})
        return {"user": user, "role": attrs["role"]}


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=CampaignRole.choices)


# --- Invitations -----------------------------------------------------------------------------


class InvitationOutputSerializer(serializers.ModelSerializer):
    """An invitation as its addressee and the campaign's owners see it: the campaign's name
    (so the addressee knows what they are asked to join), never another person's name or
    address but the invited one. A pending invitation past its expiry reads `expired`."""

    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = CampaignInvitation
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "email",
            "role",
            "status",
            "created_at",
            "expires_at",
            "responded_at",
        ]

    def get_status(self, invitation) -> str:
        return "expired" if invitation.is_expired else invitation.status


class InvitationCreateSerializer(serializers.Serializer):
    campaign = VisibleCampaignField()
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=CampaignRole.choices, default=CampaignRole.VIEWER)


# --- Samples ---------------------------------------------------------------------------------


class SampleOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sample
        fields = [
            "id",
            "campaign",
            "name",
            "sku",
            "designer",
            "category",
            "status",
            "is_hero",
            "priority",
            "courier",
            "tracking_number",
            "eta",
            "arrived_at",
            "notes",
            "created_at",
            "updated_at",
        ]


class SampleFieldsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    sku = serializers.CharField(max_length=64, required=False, allow_blank=True)
    designer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    category = serializers.CharField(max_length=64, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=SampleStatus.choices, required=False)
    is_hero = serializers.BooleanField(required=False)
    priority = serializers.IntegerField(min_value=1, max_value=5, required=False)
    courier = serializers.CharField(max_length=100, required=False, allow_blank=True)
    tracking_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    eta = serializers.DateTimeField(required=False, allow_null=True)
    arrived_at = serializers.DateTimeField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class SampleCreateSerializer(SampleFieldsSerializer):
    campaign = VisibleCampaignField()


class SampleUpdateSerializer(FixedCampaignMixin, SampleFieldsSerializer):
    pass


# --- Tasks -----------------------------------------------------------------------------------


class TaskOutputSerializer(serializers.ModelSerializer):
    depends_on = serializers.SerializerMethodField(help_text="Ids of the tasks this one awaits.")

    class Meta:
        model = Task
        fields = [
            "id",
            "campaign",
            "title",
            "status",
            "assignee",
            "duration_minutes",
            "earliest_start",
            "deadline",
            "depends_on",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_depends_on(self, task) -> list[str]:
        return [str(link.depends_on_id) for link in task.dependency_links.all()]


class TaskFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    assignee = serializers.UUIDField(
        required=False, allow_null=True, help_text="A member of the campaign."
    )
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_DURATION_MINUTES, required=False
    )
    earliest_start = serializers.DateTimeField(required=False, allow_null=True)
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    depends_on = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=MAX_DEPENDENCIES,
        required=False,
        help_text="Ids of tasks of the same campaign that must be done first.",
    )

    def _campaign_id(self, attrs):
        if self.instance is not None:
            return self.instance.campaign_id
        return attrs["campaign"].pk

    def validate_depends_on(self, ids):
        ids = _unique(ids)
        return _resolve(ids, selectors.tasks_by_ids(actor=_actor(self), ids=ids))

    def validate(self, attrs):
        start = attrs.get("earliest_start", getattr(self.instance, "earliest_start", None))
        deadline = attrs.get("deadline", getattr(self.instance, "deadline", None))
        if start is not None and deadline is not None and deadline <= start:
            raise serializers.ValidationError({"deadline": [MSG_DEADLINE_ORDER]})
        assignee = attrs.get("assignee")
        if assignee is not None:
            is_member = CampaignMember.objects.filter(
                campaign_id=self._campaign_id(attrs), user_id=assignee
            ).exists()
            if not is_member:
                raise serializers.ValidationError({"assignee": [MSG_ASSIGNEE_NOT_MEMBER]})
        return attrs


class TaskCreateSerializer(TaskFieldsSerializer):
    campaign = VisibleCampaignField()


class TaskUpdateSerializer(FixedCampaignMixin, TaskFieldsSerializer):
    pass


# --- Assets ----------------------------------------------------------------------------------


class AssetOutputSerializer(serializers.ModelSerializer):
    featured_samples = serializers.SerializerMethodField(help_text="Ids of featured samples.")
    file = serializers.FileField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = Asset
        fields = [
            "id",
            "campaign",
            "title",
            "kind",
            "file",
            "width",
            "height",
            "duration_seconds",
            "status",
            "target_channels",
            "featured_samples",
            "rights_expire_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_featured_samples(self, asset) -> list[str]:
        return [str(sample.pk) for sample in asset.featured_samples.all()]


@extend_schema_field(OpenApiTypes.BINARY)
class ImageUploadField(serializers.FileField):
    """An image file (JPEG, PNG or WebP) up to ASSET_UPLOAD_MAX_BYTES (else 413)."""


class AssetFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AssetKind.choices, required=False)
    width = serializers.IntegerField(
        min_value=1, max_value=MAX_PIXELS_PER_SIDE, required=False, allow_null=True
    )
    height = serializers.IntegerField(
        min_value=1, max_value=MAX_PIXELS_PER_SIDE, required=False, allow_null=True
    )
    duration_seconds = serializers.FloatField(
        min_value=0.001, max_value=MAX_VIDEO_SECONDS, required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=AssetStatus.choices, required=False)
    target_channels = serializers.ListField(
        child=serializers.RegexField(r"^[a-z0-9_]{1,50}$", max_length=50),
        max_length=MAX_CHANNELS,
        required=False,
        help_text="Channel names such as instagram_feed, instagram_story, web.",
    )
    featured_samples = serializers.ListField(
        child=serializers.UUIDField(), max_length=MAX_FEATURED_SAMPLES, required=False
    )
    rights_expire_at = serializers.DateTimeField(required=False, allow_null=True)
    file = ImageUploadField(
        required=False, write_only=True, help_text="Optional image (multipart only)."
    )

    def validate_featured_samples(self, ids):
        ids = _unique(ids)
        return _resolve(ids, selectors.samples_by_ids(actor=_actor(self), ids=ids))

    def validate(self, attrs):
        upload = attrs.pop("file", None)
        if upload is None:
            return attrs
        kind = attrs.get("kind", getattr(self.instance, "kind", AssetKind.IMAGE))
        if kind != AssetKind.IMAGE:
            raise serializers.ValidationError({"file": [MSG_VIDEO_UPLOAD]})
        image = image_upload_read(upload)  # 413 when too big, 400 when not an allowed image
        attrs.update(file=image.file, width=image.width, height=image.height)
        return attrs


class AssetCreateSerializer(AssetFieldsSerializer):
    campaign = VisibleCampaignField()


class AssetUpdateSerializer(FixedCampaignMixin, AssetFieldsSerializer):
    pass
