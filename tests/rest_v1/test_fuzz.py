"""Whatever query string a client sends to `/rest/v1`, the answer is rows or a PostgREST
error (4xx with a code), never a 500: names, operators, values, quotes, parentheses and
headers drawn at random from the grammar's own alphabet."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db

WORDS = st.sampled_from(
    [
        "id",
        "name",
        "status",
        "priority",
        "eta",
        "is_hero",
        "campaign_id",
        "notes",
        "campaigns",
        "samples",
        "tasks",
        "select",
        "order",
        "limit",
        "offset",
        "or",
        "and",
        "not",
        "eq",
        "neq",
        "gt",
        "gte",
        "lt",
        "lte",
        "like",
        "ilike",
        "is",
        "in",
        "null",
        "true",
        "false",
        "asc",
        "desc",
        "nullsfirst",
        "nullslast",
        "inner",
        "fts",
        "cs",
        "arrived",
        "2027-03-01",
        "12",
        "-1",
        "x",
        "*",
        "%",
        "",
        "99999999999999999999999",
        "\x00",
        "é",
    ]
)
PUNCTUATION = st.sampled_from([*'.,()":!*\\-> ', "::", "->>", "..."])
TEXT = st.lists(st.one_of(WORDS, PUNCTUATION), max_size=12).map("".join)
KEYS = st.one_of(
    st.sampled_from(
        [
            "select",
            "order",
            "limit",
            "offset",
            "or",
            "and",
            "not.or",
            "status",
            "name",
            "priority",
            "eta",
            "is_hero",
            "campaigns.name",
            "samples.order",
            "id",
            "columns",
        ]
    ),
    TEXT.filter(bool),
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_PREFER": st.sampled_from(["count=exact", "return=representation", "count=x", ""]),
        "HTTP_RANGE": st.one_of(TEXT, st.sampled_from(["0-1", "3-", "5-2"])),
        "HTTP_ACCEPT": st.sampled_from(
            ["application/json", "application/vnd.pgrst.object+json", "text/csv", "*/*", ""]
        ),
    },
)


@pytest.fixture
def owner_client(cast):
    SampleFactory(campaign=cast.campaign, name="Silk dress", status="arrived")
    SampleFactory(campaign=cast.campaign, name="Bag, large (red)", eta=None)
    return cast.client("owner")


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.sampled_from(["samples", "campaigns", "campaign_members"]),
    params=st.lists(st.tuples(KEYS, TEXT), max_size=4),
    headers=HEADERS,
)
def test_any_query_is_rows_or_a_postgrest_error(owner_client, table, params, headers):
    response = owner_client.get(f"/rest/v1/{table}?{urlencode(params)}", **headers)
    assert response.status_code < 500, (params, headers, response.content)
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"code", "message", "details", "hint"}
        assert body["code"]
