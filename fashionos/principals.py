"""Who is calling: the roles of DESIGN.md section 5.

`anon` is Django's AnonymousUser; `authenticated` and `admin` are `User` rows (admin = staff);
`service_role` is the `ServicePrincipal` below, a caller with no row that bypasses ownership.
"""

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions

if TYPE_CHECKING:
    from fashionos.accounts.models import User

ROLE_ANON = "anon"
ROLE_AUTHENTICATED = "authenticated"
ROLE_SERVICE = "service_role"
ROLE_ADMIN = "admin"


class ServicePrincipal:
    """The service key's caller: server-side jobs that act on every row."""

    pk = None
    id = None
    email = ""
    is_active = True
    is_staff = False
    is_superuser = False
    is_anonymous = False
    is_authenticated = True
    is_unrestricted = True
    role = ROLE_SERVICE

    def __str__(self) -> str:
        return "service_role"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServicePrincipal)

    def __hash__(self) -> int:
        return hash(ROLE_SERVICE)

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False


# Whoever a service, selector or permission acts for: a user (authenticated or admin), the
# service key, or an anonymous caller.
Actor: TypeAlias = "User | ServicePrincipal | AnonymousUser"


def is_user(user) -> bool:
    """A signed-in person (not anon, not the service key)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "pk", None) is not None
    )


def is_service(user) -> bool:
    """The service key: server-side jobs that bypass row ownership, as Supabase's
    service_role bypasses row-level security."""
    return bool(getattr(user, "is_unrestricted", False))


def sees_every_row(user) -> bool:
    """The one rule for "this caller reads every row" of the tables whose policy lets admins
    read all (campaigns and their rows, analytics events): staff users (the admin role) and
    the service role. Tables that belong to one user (conversations, insights) let only the
    service role through; they use `is_service`."""
    return is_service(user) or bool(is_user(user) and user.is_staff)


# Body keys that say whose row a write is: the user is taken from the token, so a body may
# name only the caller (DESIGN.md section 5).
OWNER_KEYS = ("user", "user_id", "created_by", "created_by_id")


def names_another_user(body, user) -> bool:
    """Does the request body name, under one of OWNER_KEYS, a user other than `user`? A null
    value names no one; the service role may name anyone (it bypasses ownership). Anything
    that is not the caller's id (a malformed one included) counts as another user."""
    if is_service(user) or not isinstance(body, Mapping):
        return False
    for key in OWNER_KEYS:
        if key not in body or body[key] is None:
            continue
        try:
            named = uuid.UUID(str(body[key]))
        except ValueError:
            return True
        if not is_user(user) or named != uuid.UUID(str(user.pk)):
            return True
    return False


MSG_OTHER_USER_NAMED = "A body may name only the caller as its user."
CODE_OTHER_USER_NAMED = "OTHER_USER_REFUSED"


class CallerOnlyBodyMixin:
    """For a DRF serializer given the request in its context: a body that names another user
    (see `names_another_user`) is refused with 403 before any field is read, instead of the
    name being silently ignored."""

    def to_internal_value(self, data):
        if names_another_user(data, self.context["request"].user):
            raise exceptions.PermissionDenied(MSG_OTHER_USER_NAMED, code=CODE_OTHER_USER_NAMED)
        return super().to_internal_value(data)


def role_of(user) -> str:
    """The Supabase role name for a caller."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ROLE_ANON
    if isinstance(user, ServicePrincipal):
        return ROLE_SERVICE
    if getattr(user, "is_staff", False):
        return ROLE_ADMIN
    return ROLE_AUTHENTICATED


__all__ = [
    "OWNER_KEYS",
    "ROLE_ADMIN",
    "ROLE_ANON",
    "ROLE_AUTHENTICATED",
    "ROLE_SERVICE",
    "AnonymousUser",
    "CallerOnlyBodyMixin",
    "ServicePrincipal",
    "is_service",
    "is_user",
    "names_another_user",
    "role_of",
    "sees_every_row",
]
