"""`/rest/v1` reads against the cast's campaign: select forms, embeds both ways scoped by
permissions, every filter operator with `not.` and logic groups, order with nulls, pages by
limit/offset and Range, counts, HEAD, `.single()`, and PostgREST's errors."""

from __future__ import annotations

import datetime

import pytest

from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import access_token_issue
from fashionos.testing.clients import client_with_token
from logistics.tests.factories import SampleFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast):
    """Four samples in the cast's campaign (one with no eta), one in the outsider's."""
    today = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    made = {
        "dress": SampleFactory(
            campaign=cast.campaign,
            name="Silk dress",
            status="arrived",
            priority=1,
            is_hero=True,
            eta=today,
        ),
        "coat": SampleFactory(
            campaign=cast.campaign,
            name="Wool coat",
            status="delayed",
            priority=2,
            eta=today + datetime.timedelta(days=2),
        ),
        "bag": SampleFactory(
            campaign=cast.campaign,
            name="Bag, large (red)",
            status="requested",
            priority=3,
            eta=None,
        ),
        "shoe": SampleFactory(
            campaign=cast.campaign,
            name="shoe",
            status="on_set",
            priority=5,
            eta=today + datetime.timedelta(days=1),
        ),
        "secret": SampleFactory(campaign=cast.other_campaign, name="Secret", status="arrived"),
    }
    return {key: str(sample.pk) for key, sample in made.items()}


def get(cast, role, url, **headers):
    return cast.client(role).get(url, **{f"HTTP_{k.upper()}": v for k, v in headers.items()})


def names(response):
    assert response.status_code in (200, 206), response.content
    return [row["name"] for row in response.json()]


def test_star_gives_every_column_named_as_in_the_database(cast, rows):
    response = get(cast, "owner", "/rest/v1/samples?id=eq." + rows["dress"])
    (row,) = response.json()
    assert row["campaign_id"] == str(cast.campaign.pk)
    assert "campaign" not in row
    assert row["eta"] == "2027-03-01T00:00:00+00:00"
    assert response["Content-Type"].startswith("application/json")


def test_columns_and_aliases(cast, rows):
    response = get(cast, "owner", f"/rest/v1/samples?select=id,title:name&id=eq.{rows['coat']}")
    assert response.json() == [{"id": rows["coat"], "title": "Wool coat"}]


def test_many_to_one_embed_is_an_object(cast, rows):
    url = f"/rest/v1/samples?select=name,campaigns(name)&id=eq.{rows['dress']}"
    assert get(cast, "viewer", url).json() == [
        {"name": "Silk dress", "campaigns": {"name": "Resort 27"}}
    ]


def test_one_to_many_embed_is_a_list_filtered_and_ordered(cast, rows):
    url = (
        "/rest/v1/campaigns?select=name,items:samples(name)"
        "&items.priority=lte.2&items.order=priority.desc"
    )
    assert get(cast, "owner", url).json() == [
        {"name": "Resort 27", "items": [{"name": "Wool coat"}, {"name": "Silk dress"}]}
    ]


def test_inner_embed_filters_the_parents(cast, rows):
    url = "/rest/v1/campaigns?select=name,samples!inner(name)&samples.name=eq.shoe"
    assert get(cast, "admin", url).json() == [{"name": "Resort 27", "samples": [{"name": "shoe"}]}]


def test_embedded_rows_follow_the_permissions(cast, rows):
    """The admin sees both campaigns; the outsider sees only theirs, and a sample of another
    campaign embedded from the outsider's side is never there."""
    admin = get(cast, "admin", "/rest/v1/campaigns?select=name,samples(name)&order=name")
    assert [(c["name"], len(c["samples"])) for c in admin.json()] == [
        ("Outsider's campaign", 1),
        ("Resort 27", 4),
    ]
    outsider = get(cast, "outsider", "/rest/v1/campaigns?select=name,samples(name)")
    assert outsider.json() == [{"name": "Outsider's campaign", "samples": [{"name": "Secret"}]}]


def test_outsider_and_anon_see_nothing_and_no_error(cast, rows):
    url = f"/rest/v1/samples?id=eq.{rows['dress']}"
    assert get(cast, "outsider", url).json() == []
    assert get(cast, "anon", url).json() == []
    assert client_with_token(None).get(url).json() == []


def test_service_key_sees_every_row(cast, rows):
    assert len(get(cast, "service", "/rest/v1/samples").json()) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=eq.arrived", ["Silk dress"]),
        ("status=neq.arrived", ["Wool coat", "Bag, large (red)", "shoe"]),
        ("priority=gt.2", ["Bag, large (red)", "shoe"]),
        ("priority=gte.2", ["Wool coat", "Bag, large (red)", "shoe"]),
        ("priority=lt.2", ["Silk dress"]),
        ("priority=lte.2", ["Silk dress", "Wool coat"]),
        ("name=like.*o*", ["Wool coat", "shoe"]),
        ("name=like.S*", ["Silk dress"]),
        ("name=ilike.s*", ["Silk dress", "shoe"]),
        ("name=like.s%25", ["shoe"]),
        ("eta=is.null", ["Bag, large (red)"]),
        ("eta=not.is.null", ["Silk dress", "Wool coat", "shoe"]),
        ("is_hero=is.true", ["Silk dress"]),
        ("is_hero=is.false", ["Wool coat", "Bag, large (red)", "shoe"]),
        ("status=in.(arrived,on_set)", ["Silk dress", "shoe"]),
        ('name=in.("Bag, large (red)",shoe)', ["Bag, large (red)", "shoe"]),
        ("status=not.in.(arrived,on_set)", ["Wool coat", "Bag, large (red)"]),
        ("status=not.eq.arrived", ["Wool coat", "Bag, large (red)", "shoe"]),
        ("eta=gte.2027-03-02", ["Wool coat", "shoe"]),
        ("eta=not.gte.2027-03-02", ["Silk dress"]),
        ("or=(status.eq.arrived,priority.gte.5)", ["Silk dress", "shoe"]),
        ('or=(name.eq."Bag, large (red)",name.eq.shoe)', ["Bag, large (red)", "shoe"]),
        ("and=(priority.gte.2,priority.lte.3)", ["Wool coat", "Bag, large (red)"]),
        ("not.or=(status.eq.arrived,priority.gte.5)", ["Wool coat", "Bag, large (red)"]),
        (
            "or=(is_hero.is.true,and(priority.gte.3,status.neq.on_set))",
            ["Silk dress", "Bag, large (red)"],
        ),
        (
            "or=(status.in.(delayed,requested),name.like.S*)",
            ["Silk dress", "Wool coat", "Bag, large (red)"],
        ),
        ("status=eq.arrived&priority=eq.2", []),
    ],
)
def test_filters(cast, rows, query, expected):
    response = get(cast, "owner", f"/rest/v1/samples?select=name&order=priority&{query}")
    assert names(response) == expected


def test_neq_leaves_out_nulls_as_sql_does(cast, rows):
    url = "/rest/v1/samples?select=name&eta=neq.2027-03-01T00:00:00Z&order=priority"
    assert names(get(cast, "owner", url)) == ["Wool coat", "shoe"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("eta", ["Silk dress", "shoe", "Wool coat", "Bag, large (red)"]),
        ("eta.asc.nullsfirst", ["Bag, large (red)", "Silk dress", "shoe", "Wool coat"]),
        ("eta.desc", ["Bag, large (red)", "Wool coat", "shoe", "Silk dress"]),
        ("eta.desc.nullslast", ["Wool coat", "shoe", "Silk dress", "Bag, large (red)"]),
        ("is_hero.desc,priority.desc", ["Silk dress", "shoe", "Bag, large (red)", "Wool coat"]),
    ],
)
def test_order(cast, rows, order, expected):
    assert names(get(cast, "owner", f"/rest/v1/samples?select=name&order={order}")) == expected


def test_limit_offset_and_count(cast, rows):
    response = get(
        cast,
        "owner",
        "/rest/v1/samples?select=name&order=priority&limit=2&offset=1",
        prefer="count=exact",
    )
    assert response.status_code == 206
    assert names(response) == ["Wool coat", "Bag, large (red)"]
    assert response["Content-Range"] == "1-2/4"


@pytest.mark.parametrize("count", ["exact", "planned", "estimated"])
def test_every_count_is_exact(cast, rows, count):
    response = get(cast, "owner", "/rest/v1/samples?select=id", prefer=f"count={count}")
    assert response.status_code == 200
    assert response["Content-Range"] == "0-3/4"


def test_range_header(cast, rows):
    response = get(
        cast,
        "owner",
        "/rest/v1/samples?select=name&order=priority",
        range="1-2",
        range_unit="items",
    )
    assert names(response) == ["Wool coat", "Bag, large (red)"]
    assert response["Content-Range"] == "1-2/*"
    open_ended = get(cast, "owner", "/rest/v1/samples?select=name&order=priority", range="3-")
    assert names(open_ended) == ["shoe"]


def test_range_past_the_end(cast, rows):
    response = get(cast, "owner", "/rest/v1/samples?offset=10", prefer="count=exact")
    assert response.status_code == 416
    assert response.json()["code"] == "PGRST103"
    assert response["Content-Range"] == "*/4"
    inverted = get(cast, "owner", "/rest/v1/samples", range="5-2")
    assert inverted.status_code == 416


def test_no_rows_content_range(cast, rows):
    response = get(cast, "outsider", "/rest/v1/tasks", prefer="count=exact")
    assert response.json() == []
    assert response["Content-Range"] == "*/0"


def test_head_counts_without_a_body(cast, rows):
    response = cast.client("owner").head("/rest/v1/samples", HTTP_PREFER="count=exact")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Range"] == "0-3/4"


def test_single_object(cast, rows):
    accept = "application/vnd.pgrst.object+json"
    one = get(cast, "owner", f"/rest/v1/samples?select=name&id=eq.{rows['shoe']}", accept=accept)
    assert one.json() == {"name": "shoe"}
    assert one["Content-Type"].startswith(accept)
    for query in ("", f"&id=eq.{rows['secret']}"):
        response = get(cast, "owner", f"/rest/v1/samples?select=name{query}", accept=accept)
        assert response.status_code == 406
        body = response.json()
        assert body["code"] == "PGRST116"
        assert body["details"] == f"The result contains {4 if not query else 0} rows"


def test_nulls_stripped(cast, rows):
    url = f"/rest/v1/samples?select=name,eta&id=eq.{rows['bag']}"
    response = get(cast, "owner", url, accept="application/vnd.pgrst.array+json;nulls=stripped")
    assert response.json() == [{"name": "Bag, large (red)"}]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/rest/v1/samples?status=eq", 400, "PGRST100"),
        ("/rest/v1/samples?status=equals.x", 400, "PGRST100"),
        ("/rest/v1/samples?select=name,(", 400, "PGRST100"),
        ("/rest/v1/samples?or=(status.eq.x", 400, "PGRST100"),
        ("/rest/v1/samples?order=name.sideways", 400, "PGRST100"),
        ("/rest/v1/samples?limit=ten", 400, "PGRST100"),
        ("/rest/v1/samples?is_hero=is.maybe", 400, "PGRST100"),
        ("/rest/v1/samples?select=colour", 400, "42703"),
        ("/rest/v1/samples?colour=eq.red", 400, "42703"),
        ("/rest/v1/samples?order=colour", 400, "42703"),
        ("/rest/v1/samples?select=name,campaigns(colour)", 400, "42703"),
        ("/rest/v1/samples?priority=eq.high", 400, "22P02"),
        ("/rest/v1/samples?select=name,shoes(id)", 400, "PGRST200"),
        ("/rest/v1/samples?campaigns.name=eq.x", 400, "PGRST108"),
        ("/rest/v1/sample", 404, "PGRST205"),
        ("/rest/v1/auth_users", 404, "PGRST205"),
        ("/rest/v1/samples?select=name::text", 400, "PGRST127"),
        ("/rest/v1/samples?select=notes->a", 400, "PGRST127"),
        ("/rest/v1/samples?notes=fts.silk", 400, "PGRST127"),
        ("/rest/v1/samples?name=like(any).{a*,b*}", 400, "PGRST127"),
        ("/rest/v1/campaigns?select=...samples(name)", 400, "PGRST119"),
        ("/rest/v1/samples?select=count()", 400, "PGRST123"),
        ("/rest/v1/rpc/readiness", 404, "PGRST202"),
        ("/rest/v1/", 404, "PGRST126"),
    ],
)
def test_errors_in_postgrest_shape(cast, rows, url, status, code):
    response = get(cast, "owner", url)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"code", "message", "details", "hint"}


def test_unknown_table_hints_the_close_name(cast):
    body = get(cast, "owner", "/rest/v1/sample").json()
    assert body["hint"] == "Perhaps you meant the table 'public.samples'"


def test_schema_other_than_public(cast, rows):
    response = get(cast, "owner", "/rest/v1/samples", accept_profile="private")
    assert response.status_code == 406
    assert response.json()["code"] == "PGRST106"
    assert get(cast, "owner", "/rest/v1/samples", accept_profile="public").status_code == 200


def test_bad_and_expired_tokens(cast, settings):
    bad = client_with_token("not.a.jwt").get("/rest/v1/samples")
    assert bad.status_code == 401
    assert bad.json()["code"] == "PGRST301"
    assert bad["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    session = AuthSession.objects.create(user=cast.owner)
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    token, _ = access_token_issue(user=cast.owner, session_id=session.id, now=past)
    expired = client_with_token(token).get("/rest/v1/samples")
    assert expired.status_code == 401
    assert expired.json() == {
        "code": "PGRST303",
        "details": None,
        "hint": None,
        "message": "JWT expired",
    }


def test_page_size_is_bounded(cast, rows, settings):
    settings.REST_MAX_ROWS = 3
    assert len(get(cast, "owner", "/rest/v1/samples").json()) == 3
    too_many = get(cast, "owner", "/rest/v1/samples?limit=4")
    assert too_many.status_code == 400
    assert too_many.json()["code"] == "PGRST100"
    assert get(cast, "owner", "/rest/v1/samples", range="0-3").status_code == 400


def test_filters_and_in_lists_are_bounded(cast, rows, settings):
    settings.REST_MAX_FILTERS = 2
    settings.REST_MAX_IN_VALUES = 2
    three = "/rest/v1/samples?or=(priority.eq.1,priority.eq.2,priority.eq.3)"
    assert get(cast, "owner", three).status_code == 400
    assert get(cast, "owner", "/rest/v1/samples?status=in.(a,b,c)").status_code == 400
    assert get(cast, "owner", "/rest/v1/samples?status=in.(a,b)").status_code == 200


def test_every_registered_table_answers(cast, rows):
    TaskFactory(campaign=cast.campaign)
    for table in (
        "campaigns",
        "campaign_members",
        "samples",
        "tasks",
        "assets",
        "assistant_conversations",
        "assistant_insights",
        "user_preferences",
        "analytics_events",
    ):
        response = get(cast, "service", f"/rest/v1/{table}?limit=1", prefer="count=exact")
        assert response.status_code in (200, 206), (table, response.content)
