"""A person's own account, as GoTrue's account calls change it: sign up, change profile,
address or password, recover a forgotten password, verify an e-mailed token.

These services raise `AccountError` (GoTrue's status, error code and message) and never
touch HTTP; `fashionos/accounts/account_views.py` renders them. E-mails leave only once the
transaction that issued their token commits.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fashionos.accounts.models import OneTimeToken, User
from fashionos.accounts.one_time_tokens import (
    TokenRefused,
    one_time_token_email,
    one_time_token_issue,
    one_time_token_recently_sent,
    one_time_token_spend,
    one_time_token_wrong_code,
)
from fashionos.accounts.services import IssuedSession, session_open, session_sign_out

Purpose = OneTimeToken.Purpose

MAX_METADATA_BYTES = 16_384
FULL_NAME_KEY = "full_name"

MSG_SIGNUP_DISABLED = "Signups not allowed for this instance"
MSG_USER_EXISTS = "User already registered"
MSG_EMAIL_EXISTS = "A user with this email address has already been registered"
MSG_SAME_PASSWORD = "New password should be different from the old password."
MSG_METADATA_TOO_LARGE = f"User metadata may not exceed {MAX_METADATA_BYTES} bytes"

# Django's password validators' codes, as GoTrue's `weak_password.reasons`.
_WEAK_REASONS = {
    "password_too_short": "length",
    "password_too_common": "pwned",
    "password_entirely_numeric": "characters",
    "password_too_similar": "characters",
}


@dataclass
class AccountError(Exception):
    """A refusal in GoTrue's terms: HTTP status, `error_code`, `msg` (and, for a weak
    password, the reasons)."""

    status: int
    code: str
    message: str
    reasons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class SignUp:
    """What a sign-up answers: a session when the user is confirmed at once, else the user
    waiting for confirmation (for a taken address while confirmation is on, a stand-in
    that tells nothing about the account)."""

    user: User
    session: IssuedSession | None


@dataclass(frozen=True, slots=True)
class Mailing:
    """Where the links of e-mails point: this server's `/auth/v1/verify`, and the frontend
    address the verification lands on."""

    verify_url: str
    redirect_to: str


def redirect_allowed(requested: str | None) -> str:
    """`requested` when it is the site URL or under an allowed redirect prefix, else the site
    URL: a link in our e-mail never sends someone to an address we do not know."""
    allowed = [settings.AUTH_SITE_URL, *settings.AUTH_REDIRECT_URLS]
    if requested and any(requested.startswith(prefix) for prefix in allowed if prefix):
        return requested
    return settings.AUTH_SITE_URL


def password_check(*, password: str, user: User | None = None) -> None:
    """Refuse (422 weak_password, with GoTrue's reasons) a password Django's validators
    refuse."""
    try:
        validate_password(password, user)
    except ValidationError as refused:
        reasons = sorted({_WEAK_REASONS.get(e.code, e.code or "weak") for e in refused.error_list})
        messages = " ".join(str(message) for message in refused.messages)
        raise AccountError(422, "weak_password", messages, reasons) from None


def _metadata_merge(user: User, data: dict) -> None:
    """GoTrue's merge: each key set, a null removes it. `full_name` mirrors its key."""
    merged = {**user.user_metadata}
    for key, value in data.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(json.dumps(merged).encode()) > MAX_METADATA_BYTES:
        raise AccountError(400, "validation_failed", MSG_METADATA_TOO_LARGE)
    user.user_metadata = merged
    if FULL_NAME_KEY in data:
        name = data[FULL_NAME_KEY]
        user.full_name = name.strip()[:150] if isinstance(name, str) else ""


def account_sign_up(
    *, email: str, password: str, data: dict, mailing: Mailing, user_agent: str = ""
) -> SignUp:
    """Create an account for `email`. Refuses when sign-up is off (422 signup_disabled) or
    the password is weak (422 weak_password). With AUTH_EMAIL_CONFIRM off the user is
    confirmed and signed in at once, and a taken address is 422 user_already_exists; with it
    on, a confirmation is e-mailed and a taken address answers a stand-in exactly like a new
    sign-up's answer (nothing is sent, nothing changes), so addresses cannot be probed."""
    if not settings.AUTH_SIGNUP_ENABLED:
        raise AccountError(422, "signup_disabled", MSG_SIGNUP_DISABLED)
    email = User.objects.normalize_email(email).strip().lower()
    candidate = User(email=email, date_joined=timezone.now())
    _metadata_merge(candidate, data)
    password_check(password=password, user=candidate)
    # Hashed on every path, so a taken address does not answer faster.
    candidate.password = make_password(password)
    confirm = settings.AUTH_EMAIL_CONFIRM
    candidate.email_confirmed_at = None if confirm else candidate.date_joined
    try:
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise IntegrityError(MSG_USER_EXISTS)
            candidate.save(force_insert=True)
            if confirm:
                issued = one_time_token_issue(user=candidate, purpose=Purpose.SIGNUP, sent_to=email)
                one_time_token_email(
                    issued=issued, verify_url=mailing.verify_url, redirect_to=mailing.redirect_to
                )
                return SignUp(candidate, None)
            return SignUp(candidate, session_open(user=candidate, user_agent=user_agent))
    except IntegrityError:
        if not confirm:
            raise AccountError(422, "user_already_exists", MSG_USER_EXISTS) from None
    # A stand-in shaped like a new user's answer: a fresh id, nothing of the real account.
    candidate.pk = uuid.uuid4()
    candidate.password = ""
    return SignUp(candidate, None)


def account_update(
    *,
    user: User,
    session_id: uuid.UUID | None,
    mailing: Mailing,
    email: str | None = None,
    password: str | None = None,
    data: dict | None = None,
) -> User:
    """Change `user`'s own metadata (merged, a null removes a key), password (checked by the
    validators; the user's other sessions end) or address (a code and link go to the new
    address, which replaces the old once verified). Refuses a taken address (422
    email_exists), a weak or unchanged password (422), and changes nothing then."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if data is not None:
            _metadata_merge(user, data)
        new_email = User.objects.normalize_email(email or "").strip().lower()
        if new_email and new_email != user.email:
            if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
                raise AccountError(422, "email_exists", MSG_EMAIL_EXISTS)
            user.email_change = new_email
            issued = one_time_token_issue(
                user=user, purpose=Purpose.EMAIL_CHANGE, sent_to=new_email
            )
            one_time_token_email(
                issued=issued, verify_url=mailing.verify_url, redirect_to=mailing.redirect_to
            )
        if password is not None:
            password_check(password=password, user=user)
            if user.check_password(password):
                raise AccountError(422, "same_password", MSG_SAME_PASSWORD)
            user.set_password(password)
            # The password-change receiver ends every session but the caller's (GoTrue's rule).
            user.session_kept_on_password_change = session_id
        user.save(update_fields=["user_metadata", "full_name", "email_change", "password"])
        if password is not None:
            session_sign_out(session_id=session_id, user=user, scope="others")
    return user


def account_recovery_request(*, email: str, mailing: Mailing) -> None:
    """E-mail a recovery link and code to `email` when it is an active account's. Answers the
    same (nothing) for an unknown address, and sends nothing when one was sent less than
    AUTH_EMAIL_MIN_INTERVAL ago, so the answer never tells whether the account exists."""
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email, is_active=True).first()
        if user is None or one_time_token_recently_sent(user=user, purpose=Purpose.RECOVERY):
            return
        issued = one_time_token_issue(user=user, purpose=Purpose.RECOVERY, sent_to=user.email)
        one_time_token_email(
            issued=issued, verify_url=mailing.verify_url, redirect_to=mailing.redirect_to
        )


def account_verify(
    *,
    purpose: str,
    token_hash: str = "",
    email: str = "",
    code: str = "",
    user_agent: str = "",
) -> IssuedSession:
    """Spend an e-mailed token and sign its user in: a sign-up or recovery confirms the
    address, an address change takes effect. Refuses (403 otp_expired) a token that is
    unknown, used, expired or retired, counting a wrong code; refuses (422 email_exists) an
    address change to an address taken meanwhile."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            token = one_time_token_spend(
                purpose=purpose, token_hash=token_hash, email=email, code=code
            )
            user = token.user
            now = timezone.now()
            if purpose == Purpose.EMAIL_CHANGE:
                if User.objects.filter(email__iexact=token.sent_to).exclude(pk=user.pk).exists():
                    raise AccountError(422, "email_exists", MSG_EMAIL_EXISTS)
                user.email, user.email_change = token.sent_to, ""
            if user.email_confirmed_at is None:
                user.email_confirmed_at = now
            user.save(update_fields=["email", "email_change", "email_confirmed_at"])
            return session_open(user=user, user_agent=user_agent)
    except TokenRefused as refused:
        if code:
            one_time_token_wrong_code(email=email, purpose=purpose)
        raise AccountError(403, "otp_expired", refused.message) from None
