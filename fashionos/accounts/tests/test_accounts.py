"""The user model: e-mail login, UUID ids, one account per address whatever its case."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fashionos.accounts.models import MSG_EMAIL_TAKEN, AuthSession, User
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_users_have_uuid_ids_and_sign_in_by_email():
    user = User.objects.create_user("Rosa@Example.COM", "a-passphrase-long-enough")

    assert isinstance(user.pk, uuid.UUID)
    assert user.email == "rosa@example.com"
    assert User.USERNAME_FIELD == "email"
    assert user.check_password("a-passphrase-long-enough")
    assert user.is_staff is False


def test_superuser_is_staff():
    admin = User.objects.create_superuser("boss@example.com", "a-passphrase-long-enough")

    assert admin.is_staff is True
    assert admin.is_superuser is True


def test_email_is_required():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("", "x")


def test_database_refuses_an_email_that_differs_only_in_case():
    UserFactory(email="mila@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="MILA@example.com")


def test_full_clean_lowercases_and_reports_a_taken_email():
    UserFactory(email="mila@example.com")
    twin = User(email="Mila@Example.com")
    twin.set_unusable_password()

    with pytest.raises(ValidationError) as refused:
        twin.full_clean()

    assert twin.email == "mila@example.com"
    assert "email" in refused.value.message_dict


def test_taken_email_message_is_the_constraint_message():
    UserFactory(email="mila@example.com")
    twin = User(email="MILA@EXAMPLE.COM", password="x")

    with pytest.raises(ValidationError) as refused:
        twin.validate_constraints()

    assert refused.value.messages == [MSG_EMAIL_TAKEN]


def test_deleting_a_user_deletes_their_sessions():
    user = UserFactory()
    AuthSession.objects.create(user=user)

    user.delete()

    assert not AuthSession.objects.exists()
