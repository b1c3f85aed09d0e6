"""Who is calling: the roles of DESIGN.md section 5.

`anon` is Django's AnonymousUser; `authenticated` and `admin` are `User` rows (admin = staff);
`service_role` is the `ServicePrincipal` below, a caller with no row that bypasses ownership.
"""

from django.contrib.auth.models import AnonymousUser

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
    "ROLE_ADMIN",
    "ROLE_ANON",
    "ROLE_AUTHENTICATED",
    "ROLE_SERVICE",
    "AnonymousUser",
    "ServicePrincipal",
    "role_of",
]
