"""People and their sign-in sessions.

A user signs in with an e-mail address. Each sign-in opens an `AuthSession` (GoTrue's session:
its id is the `session_id` claim of every access token issued in it). A session holds a chain of
refresh tokens: using one rotates it (the old one is marked used, a new one is issued); using a
token that was already rotated is treated as theft and revokes the whole session.
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

MSG_EMAIL_TAKEN = "A user with this e-mail address already exists."


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Staff may sign in to the admin and act as the admin role."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # GoTrue's `user_metadata` (what sign-up's `data` and `PUT /auth/v1/user` set), beside
    # `full_name`, which mirrors its `full_name` key.
    user_metadata = models.JSONField(default=dict, blank=True)
    # Null while a sign-up waits for its e-mail confirmation (AUTH_EMAIL_CONFIRM); users made
    # any other way (the admin, createsuperuser, staff) are confirmed when created.
    email_confirmed_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    # The address an e-mail change waits to confirm (GoTrue's `new_email`).
    email_change = models.EmailField(blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        db_table = "auth_users"
        ordering = ["email"]
        constraints = [
            # Sign-in matches e-mail addresses without regard to case, so two accounts may not
            # differ only in case (the sign-in could not tell them apart).
            models.UniqueConstraint(
                Lower("email"),
                name="auth_users_email_ci_unique",
                violation_error_message=MSG_EMAIL_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def metadata(self) -> dict:
        """GoTrue's `user_metadata`: what the user set, with `full_name` as the profile
        holds it."""
        metadata = {key: value for key, value in self.user_metadata.items() if key != "full_name"}
        if self.full_name:
            metadata["full_name"] = self.full_name
        return metadata


class AuthSession(models.Model):
    """One sign-in: the `session_id` claim of the access tokens issued in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_sessions")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "auth_sessions"
        indexes = [models.Index(fields=["user", "-created_at"], name="auth_sessions_user_idx")]

    def __str__(self) -> str:
        return f"session {self.id} of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OneTimeToken(models.Model):
    """A single-use, expiring secret sent by e-mail: confirm a sign-up, recover a password,
    confirm a new address. It is sent two ways, a link carrying a long random token and a
    short code to type; only SHA-256 digests of both are stored (the code's with the address
    it was sent to, as GoTrue hashes its OTPs). Issuing a new one of a purpose retires the
    user's older ones; wrong codes count against it, and too many retire it."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup"
        RECOVERY = "recovery"
        EMAIL_CHANGE = "email_change"

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_tokens")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    sent_to = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "auth_one_time_tokens"
        indexes = [
            models.Index(fields=["code_digest"], name="auth_ott_code_idx"),
            models.Index(fields=["user", "purpose"], name="auth_ott_user_purpose_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} token {self.pk} of {self.user_id}"


class RefreshToken(models.Model):
    """An opaque, single-use refresh token. Only its SHA-256 digest is stored."""

    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(
        AuthSession, on_delete=models.CASCADE, related_name="refresh_tokens"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "auth_refresh_tokens"

    def __str__(self) -> str:
        return f"refresh token {self.pk} of {self.session_id}"
