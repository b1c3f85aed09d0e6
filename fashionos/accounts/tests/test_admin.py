"""People in the back office: staff add users who can then sign in."""

import pytest
from django.test import Client

from fashionos.testing.admin import admin_url as _url
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- People -----------------------------------------------------------------------------------


def test_staff_adds_a_user_who_can_then_sign_in(staff_client):
    reply = staff_client.post(
        _url(UserFactory._meta.model, "add"),
        {
            "email": "new.stylist@example.com",
            "full_name": "New Stylist",
            "password1": "a-long-enough-passphrase-9",
            "password2": "a-long-enough-passphrase-9",
        },
    )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    signed_in = Client().post(
        "/auth/v1/token?grant_type=password",
        {"email": "new.stylist@example.com", "password": "a-long-enough-passphrase-9"},
        content_type="application/json",
    )
    assert signed_in.status_code == 200


def test_user_admin_refuses_an_email_that_differs_only_in_case(staff_client):
    UserFactory(email="mila@example.com")

    reply = staff_client.post(
        _url(UserFactory._meta.model, "add"),
        {
            "email": "Mila@Example.com",
            "full_name": "Impostor",
            "password1": "a-long-enough-passphrase-9",
            "password2": "a-long-enough-passphrase-9",
        },
    )

    assert reply.status_code == 200
    assert "email" in reply.context["adminform"].form.errors
    assert UserFactory._meta.model.objects.filter(email__iexact="mila@example.com").count() == 1
