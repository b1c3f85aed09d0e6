"""Campaigns and what a shoot is made of: samples, tasks and media assets.

Visibility follows campaign membership (DESIGN.md section 5): members read, owners and editors
write, viewers only read, owners manage members. `visible_to(user)` and `editable_by(user)` are
the one definition of those rules; every view, the chat and the realtime layer use them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from fashionos.principals import Actor, sees_every_row


class CampaignRole(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


WRITER_ROLES = (CampaignRole.OWNER, CampaignRole.EDITOR)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user: Actor) -> "CampaignQuerySet":
        if sees_every_row(user):
            return self
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(id__in=CampaignMember.objects.filter(user=user).values("campaign_id"))

    def editable_by(self, user: Actor) -> "CampaignQuerySet":
        if sees_every_row(user):
            return self
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            id__in=CampaignMember.objects.filter(user=user, role__in=WRITER_ROLES).values(
                "campaign_id"
            )
        )

    def owned_by(self, user: Actor) -> "CampaignQuerySet":
        if sees_every_row(user):
            return self
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            id__in=CampaignMember.objects.filter(user=user, role=CampaignRole.OWNER).values(
                "campaign_id"
            )
        )


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    ACTIVE = "active", "Active"
    WRAPPED = "wrapped", "Wrapped"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(models.Model):
    Status = CampaignStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    shoot_date = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_campaigns",
    )
    # Bumped by every write to the campaign's samples, tasks or assets: part of the insight
    # cache key, so a change makes the old cached analyses unreachable.
    revision = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        db_table = "campaigns"
        ordering = ["-updated_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaigns_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["-updated_at"], name="campaigns_updated_idx")]

    def __str__(self) -> str:
        return self.name


class CampaignMemberQuerySet(models.QuerySet):
    """Memberships follow their campaign: listed to whoever sees the campaign, managed by its
    owners (and by admins and the service role)."""

    def visible_to(self, user: Actor) -> "CampaignMemberQuerySet":
        if sees_every_row(user):
            return self
        return self.filter(campaign__in=Campaign.objects.visible_to(user).values("id"))

    def editable_by(self, user: Actor) -> "CampaignMemberQuerySet":
        if sees_every_row(user):
            return self
        return self.filter(campaign__in=Campaign.objects.owned_by(user).values("id"))


class MemberJoined(models.TextChoices):
    """How a membership began: the user created the campaign, accepted an invitation, or was
    added directly by staff or the service key (administration). Only the first two are the
    user's own choice, so only they make the campaign the chat's fallback."""

    CREATED = "created", "Created the campaign"
    ACCEPTED = "accepted", "Accepted an invitation"
    ADDED = "added", "Added by an administrator"


CHOSEN_MEMBERSHIPS = (MemberJoined.CREATED, MemberJoined.ACCEPTED)


class CampaignMember(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_memberships"
    )
    role = models.CharField(
        max_length=10, choices=CampaignRole.choices, default=CampaignRole.VIEWER
    )
    joined = models.CharField(
        max_length=10, choices=MemberJoined.choices, default=MemberJoined.ADDED, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CampaignMemberQuerySet.as_manager()

    class Meta:
        db_table = "campaign_members"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_members_unique"),
            models.CheckConstraint(
                condition=Q(role__in=CampaignRole.values), name="campaign_members_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "campaign"], name="campaign_members_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.campaign}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class CampaignInvitationQuerySet(models.QuerySet):
    """An invitation is seen by the person it is addressed to (by e-mail address, so one
    sent before they signed up waits for them) and by the campaign's owners (and admins and
    the service role). Only the addressee answers it; owners withdraw it."""

    def visible_to(self, user: Actor) -> "CampaignInvitationQuerySet":
        if sees_every_row(user):
            return self
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(email=user.email.lower())
            | Q(campaign__in=Campaign.objects.owned_by(user).values("id"))
        )

    def addressed_to(self, user: Actor) -> "CampaignInvitationQuerySet":
        """Invitations the user may answer: those sent to their address (never the service
        role's: it is no one)."""
        if getattr(user, "email", None) is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(email=user.email.lower())

    def withdrawable_by(self, user: Actor) -> "CampaignInvitationQuerySet":
        if sees_every_row(user):
            return self
        return self.filter(campaign__in=Campaign.objects.owned_by(user).values("id"))

    def live(self) -> "CampaignInvitationQuerySet":
        return self.filter(status=InvitationStatus.PENDING, expires_at__gt=timezone.now())


class CampaignInvitation(models.Model):
    """An owner's invitation of an e-mail address to a campaign with a role. Only the
    addressee's acceptance creates the membership."""

    Status = InvitationStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=CampaignRole.choices, default=CampaignRole.VIEWER
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = CampaignInvitationQuerySet.as_manager()

    class Meta:
        db_table = "campaign_invitations"
        ordering = ["-created_at", "id"]
        constraints = [
            # One open invitation per address and campaign (a new one replaces it).
            models.UniqueConstraint(
                fields=["campaign", "email"],
                condition=Q(status="pending"),
                name="campaign_invitations_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(role__in=CampaignRole.values), name="campaign_invitations_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values),
                name="campaign_invitations_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["email", "status"], name="campaign_invitations_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.campaign_id} as {self.role}"

    @property
    def is_expired(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now()


class CampaignScopedQuerySet(models.QuerySet):
    """Rows that belong to a campaign inherit its visibility."""

    def visible_to(self, user: Actor):
        if sees_every_row(user):
            return self
        return self.filter(campaign__in=Campaign.objects.visible_to(user).values("id"))

    def editable_by(self, user: Actor):
        if sees_every_row(user):
            return self
        return self.filter(campaign__in=Campaign.objects.editable_by(user).values("id"))


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    IN_TRANSIT = "in_transit", "In transit"
    DELAYED = "delayed", "Delayed"
    ARRIVED = "arrived", "Arrived"
    ON_SET = "on_set", "On set"
    SHOT = "shot", "Shot"
    RETURNED = "returned", "Returned"


# The one rule for "ready" that the chat and the analyzers share (DESIGN.md section 4).
READY_SAMPLE_STATUSES = frozenset({SampleStatus.ON_SET, SampleStatus.SHOT})


class Sample(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="samples")
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64, blank=True)
    designer = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=20, choices=SampleStatus.choices, default=SampleStatus.REQUESTED
    )
    is_hero = models.BooleanField(default=False)
    priority = models.PositiveSmallIntegerField(default=3, help_text="1 = highest … 5 = lowest")
    courier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sample reached the studio (arrival order)."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignScopedQuerySet.as_manager()

    class Meta:
        db_table = "samples"
        ordering = ["campaign", "priority", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=5), name="samples_priority_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SampleStatus.values), name="samples_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="samples_campaign_status_idx"),
            models.Index(
                fields=["campaign"],
                condition=Q(status=SampleStatus.DELAYED),
                name="samples_delayed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ready(self) -> bool:
        return self.status in READY_SAMPLE_STATUSES


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    duration_minutes = models.PositiveIntegerField(default=30)
    earliest_start = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        through="TaskDependency",
        symmetrical=False,
        related_name="dependents",
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignScopedQuerySet.as_manager()

    class Meta:
        db_table = "tasks"
        ordering = ["campaign", "earliest_start", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="tasks_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="tasks_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(earliest_start__isnull=True)
                | Q(deadline__gt=F("earliest_start")),
                name="tasks_deadline_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="tasks_campaign_status_idx"),
            models.Index(fields=["assignee", "status"], name="tasks_assignee_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskDependency(models.Model):
    """`task` cannot start before `depends_on` is done. Both belong to the same campaign: a
    database trigger (see the migration) refuses a dependency across campaigns."""

    id = models.BigAutoField(primary_key=True)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependency_links")
    depends_on = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependent_links")

    class Meta:
        db_table = "task_dependencies"
        constraints = [
            models.UniqueConstraint(fields=["task", "depends_on"], name="task_dependencies_unique"),
            models.CheckConstraint(
                condition=~Q(task=F("depends_on")), name="task_dependencies_no_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} after {self.depends_on_id}"


class AssetKind(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


class AssetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Asset(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assets")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=AssetKind.choices, default=AssetKind.IMAGE)
    file = models.FileField(upload_to="assets/%Y/%m/", null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Measured from the pixels when an image is uploaded (0..1, 1 = best); see services.
    image_sharpness = models.FloatField(null=True, blank=True, editable=False)
    image_exposure = models.FloatField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.DRAFT)
    target_channels = models.JSONField(default=list, blank=True)
    featured_samples = models.ManyToManyField(
        Sample, related_name="assets", blank=True, db_table="asset_samples"
    )
    rights_expire_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignScopedQuerySet.as_manager()

    class Meta:
        db_table = "assets"
        ordering = ["campaign", "-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AssetKind.values), name="assets_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssetStatus.values), name="assets_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True) | Q(duration_seconds__gt=0),
                name="assets_duration_positive",
            ),
            # The API refuses 0 (a zero-pixel side would divide by zero in aspect ratios).
            models.CheckConstraint(
                condition=Q(width__isnull=True) | Q(width__gte=1), name="assets_width_positive"
            ),
            models.CheckConstraint(
                condition=Q(height__isnull=True) | Q(height__gte=1), name="assets_height_positive"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="assets_campaign_status_idx")]

    def __str__(self) -> str:
        return self.title
