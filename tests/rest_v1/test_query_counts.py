"""A `/rest/v1` read runs a fixed number of SQL statements whatever the number of rows: the
token's session, the page, one per embed and one for the count; never one per row."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fashionos.testing.clients import session_queries_warm, session_warm
from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db

# (query, statements): the page, + 1 per embed (+ the session, + 1 for the count).
CASES = [
    ("select=*", 1),
    ("select=id,name,campaigns(name)", 2),
    ("select=id,name,campaigns(name,samples(id))", None),  # refused: one level only
    ("select=*,campaigns(*)&status=eq.arrived&order=name", 2),
]


def _statements(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code in (200, 206), response.content
    return len(queries)


@pytest.mark.parametrize("rows", [1, 200])
@pytest.mark.parametrize(("query", "expected"), [case for case in CASES if case[1]])
def test_statements_do_not_grow_with_rows(cast, rows, query, expected):
    SampleFactory.create_batch(rows, campaign=cast.campaign, status="arrived")
    client = session_warm(cast.client("editor"))
    session = session_queries_warm()  # none once cached (with Redis), else one
    assert _statements(client, f"/rest/v1/samples?{query}") == session + expected
    counted = _statements(client, f"/rest/v1/samples?{query}", HTTP_PREFER="count=exact")
    assert counted == session + expected + 1


@pytest.mark.parametrize("rows", [1, 200])
def test_one_to_many_embed_is_one_statement(cast, rows):
    SampleFactory.create_batch(rows, campaign=cast.campaign)
    SampleFactory.create_batch(rows, campaign=cast.other_campaign)
    client = cast.client("admin")
    assert _statements(client, "/rest/v1/campaigns?select=name,samples(id,status)") == 3


def test_nested_embeds_are_refused(cast):
    response = cast.client("owner").get(f"/rest/v1/samples?{CASES[2][0]}")
    assert response.status_code == 400
    assert response.json()["code"] == "PGRST127"


def _inserted_statements(cast, table, rows) -> int:
    client = cast.client("editor")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/rest/v1/{table}?select=id",
            json.dumps(rows),
            content_type="application/json",
            HTTP_PREFER="return=representation",
        )
    assert response.status_code == 201, response.content
    assert len(response.json()) == len(rows)
    return len(queries)


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("samples", lambda cast, i: {"campaign_id": str(cast.campaign.pk), "name": f"S{i}"}),
        (
            "analytics_events",
            lambda cast, i: {"event_type": "view", "user_id": str(cast.editor.pk)},
        ),
    ],
)
def test_bulk_insert_statements_do_not_grow_with_rows(cast, table, row):
    """An insert of 1, 2 or 200 rows runs a bounded number of statements (on SQLite the one
    bulk INSERT is split in batches of 999 parameters, so allow those)."""
    one = _inserted_statements(cast, table, [row(cast, 0)])
    two = _inserted_statements(cast, table, [row(cast, i) for i in range(2)])
    many = _inserted_statements(cast, table, [row(cast, i) for i in range(200)])
    batches = 0 if connection.vendor == "postgresql" else 200 * 16 // 999 + 1
    print(f"{table}: {one} statements for 1 row, {two} for 2, {many} for 200")
    assert many <= two + batches
    assert max(one, many) < 15
