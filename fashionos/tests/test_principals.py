"""The callers of DESIGN.md section 5 (issue 11, item 7): the service principal's every
attribute and method, and the role of each kind of caller, including Django's
AnonymousUser."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions, serializers

from fashionos.principals import (
    CODE_OTHER_USER_NAMED,
    MSG_OTHER_USER_NAMED,
    OWNER_KEYS,
    ROLE_ADMIN,
    ROLE_ANON,
    ROLE_AUTHENTICATED,
    ROLE_SERVICE,
    CallerOnlyBodyMixin,
    ServicePrincipal,
    is_service,
    is_user,
    names_another_user,
    role_of,
    sees_every_row,
)
from fashionos.testing.factories import UserFactory


def test_the_service_principal_is_active_but_neither_staff_nor_superuser():
    service = ServicePrincipal()
    assert service.is_active is True
    assert service.is_staff is False
    assert service.is_superuser is False
    assert service.is_anonymous is False
    assert service.is_authenticated is True
    assert service.is_unrestricted is True
    assert service.pk is None and service.id is None
    assert service.email == ""
    assert service.role == ROLE_SERVICE
    assert str(service) == "service_role"


def test_the_service_principal_holds_no_django_permission():
    service = ServicePrincipal()
    assert service.has_perm("logistics.change_campaign") is False
    assert service.has_perm("logistics.change_campaign", obj=object()) is False
    assert service.has_module_perms("logistics") is False


def test_service_principals_are_equal_to_each_other_only():
    assert ServicePrincipal() == ServicePrincipal()
    assert ServicePrincipal() != AnonymousUser()
    assert ServicePrincipal() != ROLE_SERVICE
    assert ServicePrincipal() != None  # noqa: E711  (the comparison under test)
    assert hash(ServicePrincipal()) == hash(ServicePrincipal()) == hash(ROLE_SERVICE)
    assert len({ServicePrincipal(), ServicePrincipal()}) == 1


@pytest.mark.django_db
def test_the_role_of_each_kind_of_caller():
    assert role_of(None) == ROLE_ANON
    assert role_of(AnonymousUser()) == ROLE_ANON
    assert role_of(ServicePrincipal()) == ROLE_SERVICE
    assert role_of(UserFactory()) == ROLE_AUTHENTICATED
    assert role_of(UserFactory(is_staff=True)) == ROLE_ADMIN


@pytest.mark.django_db
def test_who_is_a_user_who_is_the_service_and_who_sees_every_row():
    user, staff = UserFactory(), UserFactory(is_staff=True)
    assert [is_user(c) for c in (None, AnonymousUser(), ServicePrincipal(), user, staff)] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert [is_service(c) for c in (None, AnonymousUser(), ServicePrincipal(), user)] == [
        False,
        False,
        True,
        False,
    ]
    assert [sees_every_row(c) for c in (None, AnonymousUser(), ServicePrincipal(), user)] == [
        False,
        False,
        True,
        False,
    ]
    assert sees_every_row(staff) is True


@pytest.mark.django_db
@pytest.mark.parametrize("key", OWNER_KEYS)
def test_a_body_may_name_only_the_caller(key):
    user, other = UserFactory(), UserFactory()
    assert names_another_user({key: str(user.pk)}, user) is False
    assert names_another_user({key: str(user.pk).upper()}, user) is False
    assert names_another_user({key: None}, user) is False
    assert names_another_user({key: str(other.pk)}, user) is True
    assert names_another_user({key: "not-a-uuid"}, user) is True
    assert names_another_user({key: str(uuid.uuid4())}, AnonymousUser()) is True
    assert names_another_user({key: str(other.pk)}, ServicePrincipal()) is False
    assert names_another_user([{key: str(other.pk)}], user) is False  # not a mapping
    assert names_another_user({"other": str(other.pk)}, user) is False


def test_callers_missing_attributes_are_read_with_safe_defaults():
    """Objects that are not Django users (a bare object, one with only some attributes) are
    never taken for a user, the service or staff, and never raise."""
    bare = object()
    only_pk = SimpleNamespace(pk=1)
    signed_in_no_pk = SimpleNamespace(is_authenticated=True)
    assert [is_user(c) for c in (bare, only_pk, signed_in_no_pk)] == [False, False, False]
    assert is_service(bare) is False
    assert role_of(bare) == ROLE_ANON
    assert role_of(only_pk) == ROLE_ANON
    assert role_of(signed_in_no_pk) == ROLE_AUTHENTICATED  # authenticated, not staff


class _Body(CallerOnlyBodyMixin, serializers.Serializer):
    title = serializers.CharField()


@pytest.mark.django_db
def test_a_serializer_refuses_a_body_naming_another_user_before_reading_it():
    user, other = UserFactory(), UserFactory()
    context = {"request": SimpleNamespace(user=user)}
    theirs = _Body(data={"title": "x", "user_id": str(other.pk)}, context=context)
    with pytest.raises(exceptions.PermissionDenied) as denied:
        theirs.is_valid()
    assert str(denied.value.detail) == MSG_OTHER_USER_NAMED
    assert denied.value.detail.code == CODE_OTHER_USER_NAMED
    mine = _Body(data={"title": "x", "user_id": str(user.pk)}, context=context)
    assert mine.is_valid(), mine.errors
    assert mine.validated_data == {"title": "x"}
    missing_title = _Body(data={"user_id": str(user.pk)}, context=context)
    assert not missing_title.is_valid() and "title" in missing_title.errors
