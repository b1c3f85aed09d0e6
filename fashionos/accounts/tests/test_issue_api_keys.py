"""`issue_api_keys`: the project's anon and service keys."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from fashionos.accounts.management.commands.issue_api_keys import Command
from fashionos.accounts.tokens import token_decode

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fashionos.tests.probe_urls")]


def _run(name: str, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_issue_api_keys_prints_both_keys():
    lines = _run("issue_api_keys").strip().splitlines()

    assert [line.split(": ", 1)[0] for line in lines] == ["anon", "service_role"]
    anon = lines[0].split(": ", 1)[1]
    service = lines[1].split(": ", 1)[1]
    assert token_decode(anon).role == "anon"
    assert token_decode(service).role == "service_role"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anon", {"role": "anon", "user": None, "session_id": None}),
        ("service_role", {"role": "service_role", "user": None, "session_id": None}),
    ],
)
def test_printed_key_authenticates_as_its_role(role, expected):
    key = _run("issue_api_keys", "--role", role).strip()

    assert "\n" not in key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/probe/caller").json() == expected


def test_service_key_passes_where_a_caller_is_required_and_anon_does_not():
    anon = _run("issue_api_keys", "--role", "anon").strip()
    service = _run("issue_api_keys", "--role", "service_role").strip()

    assert _as(anon).get("/probe/members-only").status_code == 401
    assert _as(service).get("/probe/members-only").status_code == 200


def _as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_issue_api_keys_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("issue_api_keys", "--role", "authenticated", stdout=StringIO())


def test_issue_api_keys_documents_itself():
    assert "anon" in Command.help
    assert "service_role" in Command.help
