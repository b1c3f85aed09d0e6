"""Sign-in sessions (sign in with a password, rotate refresh tokens, sign out) and deleting a
user.

Refresh tokens are opaque, single use and stored as digests. Presenting one that was already
used means it leaked: the whole session is revoked, as GoTrue does on refresh token reuse.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fashionos.accounts.models import AuthSession, RefreshToken, User
from fashionos.accounts.tokens import access_token_issue
from fashionos.realtime.publish import session_end_publish
from logistics import services as logistics_services
from logistics.models import Campaign, CampaignMember, CampaignRole, Task

MSG_INVALID_CREDENTIALS = "Invalid login credentials"
MSG_REFRESH_INVALID = "Invalid Refresh Token: Refresh Token Not Found"
MSG_REFRESH_REUSED = "Invalid Refresh Token: Already Used"
MSG_REFRESH_EXPIRED = "Invalid Refresh Token: Session Expired"
MSG_SOLE_OWNER = (
    "{user} is the only owner of {campaigns}. Make another member an owner, or delete the "
    "campaign, before deleting this user."
)


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


def _sessions_end_announce(*, user_id, session_ids) -> None:
    transaction.on_commit(
        lambda: session_end_publish(user_id=str(user_id), session_ids=[str(s) for s in session_ids])
    )


# --- Deleting a user -----------------------------------------------------------------------------


def _sole_owned(user: User) -> list[str]:
    """Names of the campaigns in which `user` is the only owner, sorted."""
    owned = CampaignMember.objects.filter(user=user, role=CampaignRole.OWNER).values("campaign_id")
    others = CampaignMember.objects.filter(role=CampaignRole.OWNER).exclude(user=user)
    return sorted(
        Campaign.objects.filter(pk__in=owned)
        .exclude(pk__in=others.values("campaign_id"))
        .values_list("name", flat=True)
    )


def user_delete_check(*, user: User) -> None:
    """Refuse (ValidationError, code `sole_owner`, naming the campaigns) deleting a user who is
    the only owner of a campaign: a campaign must keep an owner, so staff first hand ownership
    over or delete the campaign. The back office asks before it shows its confirmation page;
    `user_delete` asks again under its locks."""
    names = _sole_owned(user)
    if names:
        campaigns = ", ".join(f'"{name}"' for name in names)
        raise ValidationError(
            MSG_SOLE_OWNER.format(user=user, campaigns=campaigns), code="sole_owner"
        )


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete a user, announcing everything the deletion changes, in one transaction: each of
    their memberships is removed through `member_remove` (their open sockets stop hearing the
    campaign at once), each task assigned to them is unassigned through `task_update` (an
    UPDATE is announced and the campaign's revision bumped, so cached schedules are not
    reused), then the user row is deleted, taking their sessions (their open realtime channels
    are closed), conversations, insights and preferences; their analytics events and the
    campaigns they created keep a null user.
    A plain `user.delete()` would drop the memberships and null the assignments silently.

    Refuses, changing nothing, a user who is the only owner of a campaign (see
    `user_delete_check`)."""
    referenced = (
        set(CampaignMember.objects.filter(user=user).values_list("campaign_id", flat=True))
        | set(Task.objects.filter(assignee=user).values_list("campaign_id", flat=True))
        | set(Campaign.objects.filter(created_by=user).values_list("pk", flat=True))
    )
    # Campaigns first, in one order, as every logistics write locks them; then the user's row,
    # so no membership or assignment of theirs can be added until this commits.
    list(Campaign.objects.select_for_update().filter(pk__in=referenced).order_by("pk"))
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    user_delete_check(user=user)
    for member in CampaignMember.objects.filter(user=user).order_by("campaign_id"):
        logistics_services.member_remove(member=member)
    for task in Task.objects.filter(assignee=user).order_by("campaign_id", "pk"):
        logistics_services.task_update(task=task, data={"assignee_id": None})
    # Their sessions go with the row: close the realtime channels reading as them (a staff
    # user's see-all channels are reached by nothing else).
    sessions = list(AuthSession.objects.filter(user=user).values_list("pk", flat=True))
    _sessions_end_announce(user_id=user.pk, session_ids=sessions)
    user.delete()
