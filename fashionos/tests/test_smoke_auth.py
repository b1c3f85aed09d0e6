import pytest


@pytest.mark.django_db
def test_password_grant_then_user(cast):
    from rest_framework.test import APIClient

    client = APIClient()
    reply = client.post(
        "/auth/v1/token?grant_type=password",
        {"email": "owner@example.com", "password": "correct-horse-battery-staple"},
        format="json",
    )
    assert reply.status_code == 200, reply.content
    token = reply.json()["access_token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = client.get("/auth/v1/user")
    assert me.status_code == 200
    assert me.json()["email"] == "owner@example.com"
