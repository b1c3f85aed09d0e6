"""The conformance table (`conformance.py`) run row by row: each request as supabase-js or
supabase-py sends it, answered as PostgREST answers it."""

from __future__ import annotations

import datetime
import json

import pytest

from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import access_token_issue
from fashionos.testing.clients import client_with_token
from logistics.tests.factories import SampleFactory
from tests.rest_v1.conformance import CASES

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)


def conformance_world(cast) -> dict[str, str]:
    """The rows the table's cases name (see the table's docstring), by key."""
    samples = {
        "dress": dict(name="Silk dress", status="arrived", priority=1, is_hero=True, eta=DAY),
        "coat": dict(
            name="Wool coat", status="delayed", priority=2, eta=DAY + datetime.timedelta(days=2)
        ),
        "bag": dict(name="Bag, large (red)", status="requested", priority=3, eta=None),
        "shoe": dict(
            name="shoe", status="on_set", priority=5, eta=DAY + datetime.timedelta(days=1)
        ),
    }
    ids = {
        key: SampleFactory(campaign=cast.campaign, **values).pk for key, values in samples.items()
    }
    ids["secret"] = SampleFactory(campaign=cast.other_campaign, name="Secret", status="arrived").pk
    ids.update(
        campaign=cast.campaign.pk,
        other_campaign=cast.other_campaign.pk,
        owner=cast.owner.pk,
        editor=cast.editor.pk,
        viewer=cast.viewer.pk,
    )
    return {key: str(value) for key, value in ids.items()}


def _fill(value, ids):
    if isinstance(value, str):
        for key, pk in ids.items():
            value = value.replace("{" + key + "}", pk)
        return value
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def _client(cast, caller):
    if caller == "none":
        return client_with_token(None)
    if caller == "bad":
        return client_with_token("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.forged")
    if caller == "expired":
        session = AuthSession.objects.create(user=cast.owner)
        past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        token, _ = access_token_issue(user=cast.owner, session_id=session.id, now=past)
        return client_with_token(token)
    return cast.client(caller)


def _subset(actual, expected) -> bool:
    if isinstance(expected, dict):
        if isinstance(actual, list):
            actual = {str(index): item for index, item in enumerate(actual)}
        return isinstance(actual, dict) and all(
            key in actual and _subset(actual[key], value) for key, value in expected.items()
        )
    return actual == expected


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_conformance(cast, case):
    ids = conformance_world(cast)
    client = _client(cast, case.get("caller", "owner"))
    headers = {
        "HTTP_" + name.upper().replace("-", "_"): _fill(value, ids)
        for name, value in case.get("headers", {}).items()
    }
    method = case.get("method", "get")
    path = _fill(case["path"], ids)
    if "body" in case:
        body = json.dumps(_fill(case["body"], ids))
        response = getattr(client, method)(path, body, content_type="application/json", **headers)
    else:
        response = getattr(client, method)(path, **headers)
    assert response.status_code == case.get("status", 200), response.content
    for name, value in _fill(case.get("expect_headers", {}), ids).items():
        assert response.get(name) == value, (name, response.get(name))
    if "expect_body" in case:
        assert response.json() == _fill(case["expect_body"], ids)
    if "expect_subset" in case:
        assert _subset(response.json(), _fill(case["expect_subset"], ids)), response.json()
    if method == "head" or response.status_code == 204:
        assert response.content == b""


def test_the_table_covers_every_operator_prefer_value_and_error_code():
    text = json.dumps(CASES)
    for operator in ("eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "is", "in"):
        assert f"={operator}." in text and f"=not.{operator}." in text, operator
    for prefer in (
        "count=exact",
        "count=planned",
        "count=estimated",
        "return=minimal",
        "return=representation",
        "return=headers-only",
        "resolution=merge-duplicates",
        "resolution=ignore-duplicates",
        "missing=default",
    ):
        assert prefer in text, prefer
    for code in (
        "PGRST100",
        "42703",
        "PGRST205",
        "PGRST116",
        "23505",
        "42501",
        "PGRST301",
        "PGRST303",
        "PGRST103",
        "PGRST200",
        "PGRST127",
        "PGRST202",
        "21000",
        "22P02",
    ):
        assert f'"{code}"' in text, code
    methods = {case.get("method", "get") for case in CASES}
    assert {"get", "head", "post", "patch", "delete"} <= methods
