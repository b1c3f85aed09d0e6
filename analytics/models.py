"""Product analytics events (the original `analytics_events` table)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fashionos.kits import KITS
from fashionos.principals import Actor, is_user, sees_every_row


class AnalyticsEventQuerySet(models.QuerySet):
    def visible_to(self, user: Actor) -> "AnalyticsEventQuerySet":
        """Admins (staff) and the service role read every event; a user reads their own;
        anyone else (anon) none."""
        if sees_every_row(user):
            return self
        if not is_user(user):
            return self.none()
        return self.filter(user=user)


class AnalyticsEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="analytics_events",
    )
    event_type = models.CharField(max_length=100)
    event_data = models.JSONField(default=dict, blank=True)
    page_route = models.CharField(max_length=500, null=True, blank=True)
    kit_context = models.CharField(max_length=20, null=True, blank=True)
    session_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AnalyticsEventQuerySet.as_manager()

    class Meta:
        db_table = "analytics_events"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["event_type", "-created_at"], name="idx_analytics_type"),
            models.Index(fields=["user", "-created_at"], name="idx_analytics_user"),
        ]
        constraints = [
            # The same kit names as the chat and the conversation log; no kit is NULL (the
            # API and the admin never store an empty string for it).
            models.CheckConstraint(
                condition=Q(kit_context__isnull=True) | Q(kit_context__in=list(KITS)),
                name="analytics_events_kit_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} at {self.created_at:%Y-%m-%d %H:%M}"
