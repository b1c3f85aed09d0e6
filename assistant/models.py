"""The assistant's own tables: the conversation log, the insight cache, user preferences,
and the intent labels staff give logged turns.

Table names and columns are those of the original Supabase schema (ORIGINAL.md section 2),
plus `assistant_conversations.intent_confidence` and `assistant_intent_labels`, ours.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fashionos.kits import KIT_CHOICES, KITS
from fashionos.principals import Actor, is_service, is_user


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user: Actor) -> "ConversationQuerySet":
        """Each user reads their own turns; the service role reads every turn (it bypasses
        row ownership, as Supabase's service_role bypasses row-level security). Admins read
        only their own: the original gave them no policy on this table."""
        if is_service(user):
            return self
        if not is_user(user):
            return self.none()
        return self.filter(user=user)

    def editable_by(self, user: Actor) -> "ConversationQuerySet":
        """The only change to the log is the owner's one-time feedback: the owner's turns, and
        no one else's (the service role included; it reads the log, it does not answer for a
        user)."""
        if not is_user(user):
            return self.none()
        return self.filter(user=user)


class Conversation(models.Model):
    """One question and its answer. An immutable audit log: only the owner's one-time
    `helpful` feedback may change a row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    session_id = models.UUIDField()
    message = models.TextField()
    response = models.JSONField()
    kit_context = models.CharField(max_length=20, choices=KIT_CHOICES)
    page_route = models.CharField(max_length=500, null=True, blank=True)
    intent_detected = models.CharField(max_length=50, null=True, blank=True)
    skill_used = models.CharField(max_length=50, null=True, blank=True)
    response_time_ms = models.PositiveIntegerField(null=True, blank=True)
    # How sure the detector was of the intent answered, 0..1 (staff label the unsure turns).
    intent_confidence = models.FloatField(null=True, blank=True)
    helpful = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        db_table = "assistant_conversations"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="idx_conversations_user"),
            models.Index(fields=["session_id"], name="idx_conversations_session"),
            models.Index(fields=["kit_context"], name="idx_conversations_kit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kit_context__in=list(KITS)), name="conversations_kit_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kit_context}: {self.message[:60]}"


class InsightQuerySet(models.QuerySet):
    def visible_to(self, user: Actor) -> "InsightQuerySet":
        """Users read their own cached analyses; the service role reads every one."""
        if is_service(user):
            return self
        if not is_user(user):
            return self.none()
        return self.filter(user=user)

    def editable_by(self, user: Actor) -> "InsightQuerySet":
        """Only the service role changes cache entries through the API ("Service can manage
        insights"); the server's own cache writes them directly."""
        return self if is_service(user) else self.none()

    def live(self) -> "InsightQuerySet":
        return self.filter(expires_at__gt=timezone.now())


class Insight(models.Model):
    """A cached analysis. `context_id` is a digest of the whole canonical input, the analysis
    type and the algorithm version, so two different inputs never share an entry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insights"
    )
    insight_type = models.CharField(max_length=50)
    context_id = models.CharField(max_length=128)
    data = models.JSONField()
    calculated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    cache_hit_count = models.PositiveIntegerField(default=0)

    objects = InsightQuerySet.as_manager()

    class Meta:
        db_table = "assistant_insights"
        ordering = ["-calculated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "insight_type", "context_id"], name="idx_insights_lookup"
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="idx_insights_expiry")]

    def __str__(self) -> str:
        return f"{self.insight_type} for {self.user_id}"


RETENTION_DAYS_MIN = 1
RETENTION_DAYS_MAX = 3650


class UserPreferencesQuerySet(models.QuerySet):
    def visible_to(self, user: Actor) -> "UserPreferencesQuerySet":
        """A user reads their own preferences; the service role every user's."""
        if is_service(user):
            return self
        if not is_user(user):
            return self.none()
        return self.filter(user=user)

    def editable_by(self, user: Actor) -> "UserPreferencesQuerySet":
        """A user changes their own preferences; the service role every user's."""
        return self.visible_to(user)


class UserPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="assistant_preferences",
    )
    default_kit = models.CharField(max_length=20, choices=KIT_CHOICES, null=True, blank=True)
    auto_suggestions_enabled = models.BooleanField(default=True)
    notification_preferences = models.JSONField(default=dict, blank=True)
    kit_order = models.JSONField(default=list, blank=True)
    favorite_actions = models.JSONField(default=list, blank=True)
    conversation_history_retention_days = models.PositiveIntegerField(
        default=90,
        validators=[MinValueValidator(RETENTION_DAYS_MIN), MaxValueValidator(RETENTION_DAYS_MAX)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserPreferencesQuerySet.as_manager()

    class Meta:
        db_table = "user_preferences"
        verbose_name_plural = "user preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(conversation_history_retention_days__gte=RETENTION_DAYS_MIN)
                & Q(conversation_history_retention_days__lte=RETENTION_DAYS_MAX),
                name="user_preferences_retention_range",
            ),
            models.CheckConstraint(
                condition=Q(default_kit__isnull=True) | Q(default_kit__in=list(KITS)),
                name="user_preferences_default_kit_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class IntentLabel(models.Model):
    """A message with the intent it expresses: a training example for the intent detector.

    Either a logged turn labelled by staff in the admin (`conversation` set, `source`
    "staff"), which goes with its turn when the retention purge deletes it (the message text
    is the turn's, and stays subject to the user's retention setting), or an example imported
    from a reviewed JSONL file (`conversation` empty), kept until deleted.
    """

    id = models.BigAutoField(primary_key=True)
    message = models.TextField()
    intent = models.CharField(max_length=50)
    kit = models.CharField(max_length=20, choices=KIT_CHOICES, help_text="The page asked on.")
    source = models.CharField(max_length=100)
    conversation = models.OneToOneField(
        Conversation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="label",
    )
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intent_labels",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "assistant_intent_labels"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["intent"], name="idx_intent_labels_intent")]
        constraints = [
            models.CheckConstraint(condition=Q(kit__in=list(KITS)), name="intent_labels_kit_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.intent}: {self.message[:60]}"
