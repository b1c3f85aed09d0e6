"""Sign-in sessions (sign in with a password, rotate refresh tokens, sign out) and deleting a
user (the apps clean up their rows through `fashionos.accounts.signals`).

Refresh tokens are opaque, single use and stored as digests. Presenting one that was already
used means it leaked: the whole session is revoked, as GoTrue does on refresh token reuse.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from fashionos.accounts.models import AuthSession, RefreshToken, User
from fashionos.accounts.session_cache import auth_state_changed
from fashionos.accounts.signals import sessions_ended, user_delete_checked, user_deleting
from fashionos.accounts.tokens import access_token_issue

MSG_INVALID_CREDENTIALS = "Invalid login credentials"
MSG_EMAIL_NOT_CONFIRMED = "Email not confirmed"
MSG_REFRESH_INVALID = "Invalid Refresh Token: Refresh Token Not Found"
MSG_REFRESH_REUSED = "Invalid Refresh Token: Already Used"
MSG_REFRESH_EXPIRED = "Invalid Refresh Token: Session Expired"


class SessionError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class IssuedSession:
    user: User
    session: AuthSession
    access_token: str
    expires_at: datetime
    refresh_token: str

    @property
    def expires_in(self) -> int:
        return settings.JWT["ACCESS_TOKEN_LIFETIME"].seconds + (
            settings.JWT["ACCESS_TOKEN_LIFETIME"].days * 86400
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _refresh_token_create(*, session: AuthSession) -> str:
    token = secrets.token_urlsafe(32)
    RefreshToken.objects.create(
        session=session,
        token_digest=_digest(token),
        expires_at=timezone.now() + settings.JWT["REFRESH_TOKEN_LIFETIME"],
    )
    return token


def _issue(*, user: User, session: AuthSession) -> IssuedSession:
    refresh = _refresh_token_create(session=session)
    access, expires_at = access_token_issue(user=user, session_id=session.id)
    return IssuedSession(user, session, access, expires_at, refresh)


def session_sign_in(
    *, email: str, password: str, user_agent: str = "", request=None
) -> IssuedSession:
    """Check the credentials and open a session; raise SessionError(invalid_credentials)."""
    user = authenticate(request, username=(email or "").strip().lower(), password=password or "")
    if user is None:
        raise SessionError(MSG_INVALID_CREDENTIALS, "invalid_credentials")
    if user.email_confirmed_at is None:
        raise SessionError(MSG_EMAIL_NOT_CONFIRMED, "email_not_confirmed")
    return session_open(user=user, user_agent=user_agent)


def session_open(*, user: User, user_agent: str = "") -> IssuedSession:
    """Open a sign-in session for `user` (whose identity the caller has checked: a password,
    a verified e-mail token) and issue its first token pair."""
    with transaction.atomic():
        session = AuthSession.objects.create(user=user, user_agent=user_agent[:300])
        # On the instance too: the reply's `last_sign_in_at` is read from it.
        user.last_login = session.created_at
        user.save(update_fields=["last_login"])
        return _issue(user=user, session=session)


def session_refresh(*, refresh_token: str) -> IssuedSession:
    """Rotate `refresh_token`: mark it used and issue a new pair in the same session.

    Raises SessionError for an unknown, expired or revoked token. A token used twice revokes
    its whole session (the revocation is committed even though the call fails).
    """
    digest = _digest(refresh_token or "")
    now = timezone.now()
    with transaction.atomic():
        token = (
            RefreshToken.objects.select_for_update()
            .select_related("session__user")
            .filter(token_digest=digest)
            .first()
        )
        if token is None:
            raise SessionError(MSG_REFRESH_INVALID, "refresh_token_not_found")
        session = token.session
        if session.revoked_at is not None or not session.user.is_active:
            raise SessionError(MSG_REFRESH_INVALID, "session_not_found")
        if token.expires_at <= now:
            raise SessionError(MSG_REFRESH_EXPIRED, "session_expired")
        if token.used_at is None:
            token.used_at = now
            token.save(update_fields=["used_at"])
            return _issue(user=session.user, session=session)
        AuthSession.objects.filter(pk=session.pk).update(revoked_at=now)
        _sessions_end_announce(user_id=session.user_id, session_ids=[session.pk])
    raise SessionError(MSG_REFRESH_REUSED, "refresh_token_already_used")


def session_sign_out(*, session_id, user: User, scope: str = "local") -> int:
    """Revoke the caller's session (`local`), every session of theirs (`global`) or the others
    (`others`). Returns how many sessions were revoked. Realtime channels reading as a
    revoked session are closed once this commits."""
    sessions = AuthSession.objects.filter(user=user, revoked_at__isnull=True)
    if scope == "local":
        sessions = sessions.filter(pk=session_id)
    elif scope == "others":
        sessions = sessions.exclude(pk=session_id)
    with transaction.atomic():
        ended = list(sessions.select_for_update().values_list("pk", flat=True))
        revoked = AuthSession.objects.filter(pk__in=ended).update(revoked_at=timezone.now())
        _sessions_end_announce(user_id=user.pk, session_ids=ended)
    return revoked


def sessions_revoke(*, session_ids) -> int:
    """Revoke the open sessions among `session_ids` (the back office's action), whoever's they
    are; returns how many were revoked. Cached sign-in state ends at once in every process,
    and realtime channels reading as them are closed once this commits."""
    with transaction.atomic():
        ended = list(
            AuthSession.objects.filter(pk__in=session_ids, revoked_at__isnull=True)
            .select_for_update()
            .values_list("pk", "user_id")
        )
        revoked = AuthSession.objects.filter(pk__in=[pk for pk, _ in ended]).update(
            revoked_at=timezone.now()
        )
        for user_id in {user_id for _, user_id in ended}:
            _sessions_end_announce(
                user_id=user_id, session_ids=[pk for pk, owner in ended if owner == user_id]
            )
    return revoked


def sessions_end_on_password_change(sender, instance: User, created: bool, **kwargs) -> None:
    """A saved user whose password was set (`set_password` before this save: the back office's
    password form, `changepassword`) is signed out everywhere: a password change must end
    access for whoever held a token. Connected to `post_save` of `User` in
    AccountsConfig.ready(); `AbstractBaseUser.save` keeps the raw password set until after
    this signal. A change the user makes through `PUT /auth/v1/user` keeps the session it was
    made with (`session_kept_on_password_change`, set by `account_update`)."""
    if created or getattr(instance, "_password", None) is None:
        return
    kept = getattr(instance, "session_kept_on_password_change", None)
    with transaction.atomic():
        ended = list(
            AuthSession.objects.filter(user_id=instance.pk, revoked_at__isnull=True)
            .exclude(pk=kept)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        AuthSession.objects.filter(pk__in=ended).update(revoked_at=timezone.now())
        _sessions_end_announce(user_id=instance.pk, session_ids=ended)


def _sessions_end_announce(*, user_id, session_ids) -> None:
    """End the cached sign-in state of `user_id` in every process, and once the transaction
    commits tell `sessions_ended`'s receivers (the realtime engine closes the channels
    reading as these sessions)."""
    auth_state_changed(user_id)
    ids = [str(session_id) for session_id in session_ids]
    transaction.on_commit(
        lambda: sessions_ended.send(sender=AuthSession, user_id=str(user_id), session_ids=ids)
    )


# --- Deleting a user -----------------------------------------------------------------------------


def user_delete_check(*, user: User) -> None:
    """Refuse (ValidationError naming why) deleting a user whom an app cannot let go, asking
    every receiver of `user_delete_checked` (logistics refuses the only owner of a campaign:
    a campaign must keep an owner). The back office asks before it shows its confirmation
    page; `user_delete` asks again under its locks."""
    user_delete_checked.send(sender=User, user=user)


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete a user, announcing everything the deletion changes, in one transaction: the
    receivers of `user_deleting` lock, re-check and clean up their rows through their own
    services first (logistics removes each membership, so the user's open sockets stop
    hearing the campaign at once, and unassigns each task, announcing an UPDATE and bumping
    the campaign's revision), then the user row is deleted, taking their sessions (their
    open realtime channels are closed), conversations, insights and preferences; their
    analytics events and the campaigns they created keep a null user. A plain
    `user.delete()` would drop the memberships and null the assignments silently.

    Refuses, changing nothing, when a receiver refuses (ValidationError; see
    `user_delete_check`)."""
    user_deleting.send(sender=User, user=user)
    # Locked after the apps' own rows (they lock in their order, then the user's row): no
    # session can be opened for them until this commits.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    # Their sessions go with the row: close the realtime channels reading as them (a staff
    # user's see-all channels are reached by nothing else).
    sessions = list(AuthSession.objects.filter(user=user).values_list("pk", flat=True))
    _sessions_end_announce(user_id=user.pk, session_ids=sessions)
    user.delete()
