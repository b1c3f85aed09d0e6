"""Single-use, expiring secrets sent by e-mail (sign-up confirmation, password recovery, a new
address's confirmation), and the e-mails that carry them.

Each is sent two ways, as GoTrue sends them: a link to `GET /auth/v1/verify?token=…` carrying
a long random token (`token_hash` to `POST /auth/v1/verify`), and a six-digit code to type
(`token` with the `email` it was sent to). Only SHA-256 digests are stored. A token is spent
by its first use; issuing a new one of a purpose retires the user's older ones; a wrong code
counts against every live token sent to that address, and `MAX_FAILED_CODES` wrong codes
retire them, so a code cannot be guessed within the throttle.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fashionos.accounts.models import OneTimeToken, User

CODE_DIGITS = 6
MAX_FAILED_CODES = 5

MSG_LINK_INVALID = "Email link is invalid or has expired"
MSG_CODE_INVALID = "Token has expired or is invalid"

Purpose = OneTimeToken.Purpose

_SUBJECTS = {
    Purpose.SIGNUP: "Confirm your sign-up",
    Purpose.RECOVERY: "Reset your password",
    Purpose.EMAIL_CHANGE: "Confirm your new e-mail address",
}
_ACTIONS = {
    Purpose.SIGNUP: "confirm your account",
    Purpose.RECOVERY: "reset your password",
    Purpose.EMAIL_CHANGE: "confirm this address as your new sign-in e-mail",
}


class TokenRefused(Exception):
    """The token or code is unknown, spent, expired or retired (GoTrue's 403 otp_expired)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class IssuedToken:
    purpose: str
    sent_to: str
    token: str
    code: str


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def code_digest(*, email: str, code: str) -> str:
    """A code's digest, salted with the address it was sent to (as GoTrue hashes its OTPs)."""
    return _digest(f"{email.strip().lower()}:{code.strip()}")


def one_time_token_issue(*, user: User, purpose: str, sent_to: str) -> IssuedToken:
    """Retire `user`'s live tokens of `purpose` and issue a new one for `sent_to`. Returns the
    secrets to send (they are stored only as digests)."""
    now = timezone.now()
    OneTimeToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=now
    )
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    OneTimeToken.objects.create(
        user=user,
        purpose=purpose,
        sent_to=sent_to,
        token_digest=_digest(token),
        code_digest=code_digest(email=sent_to, code=code),
        created_at=now,
        expires_at=now + settings.AUTH_OTP_LIFETIME,
    )
    return IssuedToken(purpose, sent_to, token, code)


def one_time_token_recently_sent(*, user: User, purpose: str) -> bool:
    """Whether a token of `purpose` was sent to `user` less than AUTH_EMAIL_MIN_INTERVAL ago
    (one address is not flooded with e-mails)."""
    since = timezone.now() - settings.AUTH_EMAIL_MIN_INTERVAL
    return OneTimeToken.objects.filter(user=user, purpose=purpose, created_at__gt=since).exists()


def one_time_token_spend(
    *, purpose: str, token_hash: str = "", email: str = "", code: str = ""
) -> OneTimeToken:
    """Spend the live token of `purpose` named by its link token (`token_hash`) or by the code
    sent to `email`; return it, locked, within the caller's transaction. Raises TokenRefused
    when it is unknown, spent, expired or retired; the caller counts a refused code with
    `one_time_token_wrong_code` once its transaction is rolled back."""
    now = timezone.now()
    tokens = OneTimeToken.objects.select_for_update().select_related("user")
    if token_hash:
        found = tokens.filter(purpose=purpose, token_digest=_digest(token_hash)).first()
        message = MSG_LINK_INVALID
    else:
        found = (
            tokens.filter(
                purpose=purpose,
                sent_to__iexact=email,
                code_digest=code_digest(email=email, code=code),
            )
            .order_by("-created_at")
            .first()
        )
        message = MSG_CODE_INVALID
    usable = (
        found is not None
        and found.used_at is None
        and found.expires_at > now
        and found.failed_attempts < MAX_FAILED_CODES
        and found.user.is_active
    )
    if not usable:
        raise TokenRefused(message)
    found.used_at = now
    found.save(update_fields=["used_at"])
    return found


def one_time_token_wrong_code(*, email: str, purpose: str) -> None:
    """Count a refused code against every live token of `purpose` sent to `email`."""
    OneTimeToken.objects.filter(
        purpose=purpose, sent_to__iexact=email, used_at__isnull=True
    ).update(failed_attempts=F("failed_attempts") + 1)


def one_time_token_email(*, issued: IssuedToken, verify_url: str, redirect_to: str) -> None:
    """Once the transaction commits, e-mail `issued` (link and code) through Django's e-mail
    backend."""
    link = f"{verify_url}?" + urlencode(
        {"token": issued.token, "type": issued.purpose, "redirect_to": redirect_to}
    )
    minutes = int(settings.AUTH_OTP_LIFETIME.total_seconds() // 60)
    body = (
        f"Follow this link to {_ACTIONS[issued.purpose]}:\n\n{link}\n\n"
        f"Or enter this code: {issued.code}\n\n"
        f"The link and the code work once, for {minutes} minutes. If you did not ask for "
        "this, ignore this e-mail.\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            _SUBJECTS[issued.purpose],
            body,
            settings.DEFAULT_FROM_EMAIL,
            [issued.sent_to],
        )
    )
