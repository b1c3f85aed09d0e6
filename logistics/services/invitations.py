"""Invitations: how a person joins a campaign with their consent. An owner invites an e-mail
address with a role; the addressee accepts (only then is the membership created, and
announced to their open sockets) or declines; an owner may withdraw it; it expires.

Inviting answers the same whether or not the address has an account (the invitation waits
for that address to sign up), so invitations cannot be used to find out who uses FashionOS.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from logistics.models import (
    Campaign,
    CampaignInvitation,
    CampaignMember,
    InvitationStatus,
    MemberJoined,
)
from logistics.services.members import MSG_ALREADY_MEMBER, member_add
from logistics.services.rows import campaign_lock

INVITATION_LIFETIME = timedelta(days=14)

MSG_INVITATION_CLOSED = "This invitation has expired or has already been answered."
MSG_INVITATION_SUBJECT = "You are invited to a FashionOS campaign"


@transaction.atomic
def invitation_create(
    *, campaign: Campaign, email: str, role: str, invited_by
) -> CampaignInvitation:
    """Invite `email` to `campaign` as `role`, replacing a pending invitation of the same
    address, and e-mail the address once this commits. Refuses (ValidationError) the address
    of a current member (whom the inviting owner already sees). Nothing about whether the
    address has an account changes the answer."""
    email = email.strip().lower()
    campaign_lock(campaign.pk)
    if CampaignMember.objects.filter(campaign=campaign, user__email__iexact=email).exists():
        raise ValidationError({"email": [MSG_ALREADY_MEMBER]})
    CampaignInvitation.objects.filter(
        campaign=campaign, email=email, status=InvitationStatus.PENDING
    ).delete()
    now = timezone.now()
    invitation = CampaignInvitation.objects.create(
        campaign=campaign,
        email=email,
        role=role,
        invited_by=invited_by if getattr(invited_by, "pk", None) else None,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    body = (
        f'You are invited to join the campaign "{campaign.name}" as {role}.\n\n'
        f"Sign in to FashionOS with this address (or sign up with it) at {settings.AUTH_SITE_URL} "
        "and accept or decline the invitation. It expires in "
        f"{INVITATION_LIFETIME.days} days.\n"
    )
    transaction.on_commit(
        lambda: send_mail(MSG_INVITATION_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [email])
    )
    return invitation


def _pending_locked(invitation: CampaignInvitation) -> CampaignInvitation:
    """Lock the campaign, then re-read the invitation: it may have been answered meanwhile."""
    campaign_lock(invitation.campaign_id)
    fresh = CampaignInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if fresh is None or fresh.status != InvitationStatus.PENDING:
        raise ValidationError(MSG_INVITATION_CLOSED)
    return fresh


@transaction.atomic
def invitation_accept(*, invitation: CampaignInvitation, user) -> CampaignMember:
    """The addressee `user` accepts: the membership is created with the invited role (and
    announced to their open sockets on commit). Refuses (ValidationError) an invitation that
    expired or was already answered. A user who became a member meanwhile keeps their
    membership and role."""
    invitation = _pending_locked(invitation)
    if invitation.is_expired:
        raise ValidationError(MSG_INVITATION_CLOSED)
    invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    member = CampaignMember.objects.filter(campaign_id=invitation.campaign_id, user=user).first()
    if member is not None:
        return member
    return member_add(
        campaign=invitation.campaign, user=user, role=invitation.role, joined=MemberJoined.ACCEPTED
    )


@transaction.atomic
def invitation_decline(*, invitation: CampaignInvitation) -> CampaignInvitation:
    """The addressee declines; refuses (ValidationError) one already answered."""
    invitation = _pending_locked(invitation)
    invitation.status, invitation.responded_at = InvitationStatus.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: CampaignInvitation) -> None:
    """An owner withdraws an invitation (answered ones are deleted too: the record goes)."""
    campaign_lock(invitation.campaign_id)
    CampaignInvitation.objects.filter(pk=invitation.pk).delete()
