"""PostgREST's query-string grammar (fashionos/postgrest/grammar.py) and headers
(negotiation.py), parsed without a database."""

from __future__ import annotations

import pytest

from fashionos.postgrest.errors import PostgrestError
from fashionos.postgrest.grammar import (
    Condition,
    Embed,
    Field,
    Group,
    OrderTerm,
    Star,
    columns_parse,
    filter_parse,
    logic_parse,
    order_parse,
    select_parse,
    unquote,
)
from fashionos.postgrest.negotiation import (
    Preferences,
    accept_parse,
    preferences_parse,
    range_parse,
)


def test_select_forms():
    assert select_parse("") == (Star(),)
    assert select_parse("*,title:name") == (Star(), Field("name", "title"))
    assert select_parse("id,c:campaigns!campaign_id!inner(name,*)") == (
        Field("id"),
        Embed("campaigns", (Field("name"), Star()), alias="c", hint="campaign_id", inner=True),
    )
    assert select_parse('"name"') == (Field("name"),)
    assert select_parse("name,...campaigns(title:name)") == (
        Field("name"),
        Embed("campaigns", (Field("name", "title"),), spread=True),
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("id,", "PGRST100"),
        ("campaigns(name", "PGRST100"),
        ("name::text", "PGRST127"),
        ("notes->>a", "PGRST127"),
        ("campaigns(samples(id))", "PGRST127"),
        ("count()", "PGRST123"),
        ("priority.sum()", "PGRST123"),
        ("1abc", "PGRST100"),
    ],
)
def test_select_refusals(text, code):
    with pytest.raises(PostgrestError) as raised:
        select_parse(text)
    assert raised.value.code == code


def test_filters():
    assert filter_parse("a", "eq.x.y") == Condition("a", "eq", "x.y")
    assert filter_parse("a", "not.is.NULL") == Condition("a", "is", "null", negated=True)
    assert filter_parse("a", 'in.(1,"b,c","d\\"e")') == Condition("a", "in", ("1", "b,c", 'd"e'))
    assert filter_parse("a", "in.()") == Condition("a", "in", ())
    assert filter_parse("a", "like.*x*") == Condition("a", "like", "*x*")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("eq", "PGRST100"),
        ("foo.1", "PGRST100"),
        ("in.1,2", "PGRST100"),
        ("is.yes", "PGRST100"),
        ("fts.cat", "PGRST127"),
        ("cs.{1}", "PGRST127"),
        ("eq(any).{1,2}", "PGRST127"),
        ("match.^a", "PGRST127"),
    ],
)
def test_filter_refusals(text, code):
    with pytest.raises(PostgrestError) as raised:
        filter_parse("a", text)
    assert raised.value.code == code
    assert raised.value.status == 400


def test_logic_trees():
    tree = logic_parse("not.or", '(a.eq."x,y",and(b.gt.1,c.not.in.(1,2)),not.or(d.is.true))')
    assert tree == Group(
        "or",
        (
            Condition("a", "eq", "x,y"),
            Group("and", (Condition("b", "gt", "1"), Condition("c", "in", ("1", "2"), True))),
            Group("or", (Condition("d", "is", "true"),), negated=True),
        ),
        negated=True,
    )
    with pytest.raises(PostgrestError):
        logic_parse("or", "(a.eq.1")
    with pytest.raises(PostgrestError):
        logic_parse("or", "()")


def test_order():
    assert order_parse("a,b.desc,c.asc.nullsfirst,d.nullslast") == (
        OrderTerm("a"),
        OrderTerm("b", True),
        OrderTerm("c", False, "first"),
        OrderTerm("d", False, "last"),
    )
    for bad in ("a.up", "a.desc.asc", "a.nullsfirst.nullslast"):
        with pytest.raises(PostgrestError):
            order_parse(bad)


def test_unquote_and_columns():
    assert unquote('"a\\\\b"') == "a\\b"
    assert columns_parse('"name","status"') == ("name", "status")


def test_prefer():
    assert preferences_parse("count=exact, return=representation") == Preferences(
        returning="representation", count="exact"
    )
    prefer = preferences_parse("resolution=merge-duplicates,missing=default,return=bogus")
    assert prefer == Preferences(resolution="merge-duplicates", missing_default=True)
    assert prefer.applied() == "resolution=merge-duplicates, missing=default"


def test_range_and_accept():
    assert range_parse("0-9") == (0, 9)
    assert range_parse("5-") == (5, None)
    assert range_parse("items=0-9") is None
    assert accept_parse("application/vnd.pgrst.object+json").single
    assert accept_parse("application/vnd.pgrst.object+json;nulls=stripped").strip_nulls
    assert not accept_parse("*/*").single
    with pytest.raises(PostgrestError) as raised:
        accept_parse("text/csv")
    assert (raised.value.status, raised.value.code) == (406, "PGRST107")
