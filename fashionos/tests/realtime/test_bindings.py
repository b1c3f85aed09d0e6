"""Binding validation and filter matching, as pure functions."""

from __future__ import annotations

import pytest

from fashionos.realtime.bindings import (
    MAX_IN_VALUES,
    MSG_BAD_SCHEMA,
    MSG_BAD_VALUE,
    MSG_FILTER_NEEDS_TABLE,
    MSG_IN_LIST,
    MSG_NOT_COMPARABLE,
    MSG_TOO_MANY_IN_VALUES,
    MSG_UNSUPPORTED_KEY,
    BindingError,
    binding_parse,
    bindings_parse,
)

CAMPAIGN = "6f1c0a52-4a43-4a7e-9c55-0d3f1d2e8b11"


def _sample(**fields) -> dict:
    row = {
        "id": "0b6f2d1e-8f57-4c3e-9a0b-5c1d2e3f4a5b",
        "campaign_id": CAMPAIGN,
        "name": "Silk coat",
        "status": "arrived",
        "is_hero": False,
        "priority": 3,
        "eta": "2027-03-01T10:00:00+00:00",
        "notes": "",
    }
    row.update(fields)
    return row


def _matches(filter_text: str, row: dict, table: str = "samples") -> bool:
    binding = binding_parse(
        {"event": "*", "schema": "public", "table": table, "filter": filter_text}
    )
    return binding.matches(table, "UPDATE", row)


@pytest.mark.parametrize(
    ("filter_text", "row", "expected"),
    [
        ("status=eq.arrived", _sample(), True),
        ("status=eq.on_set", _sample(), False),
        ("status=neq.on_set", _sample(), True),
        ("priority=lt.4", _sample(), True),
        ("priority=lt.3", _sample(), False),
        ("priority=lte.3", _sample(), True),
        ("priority=gt.2", _sample(), True),
        ("priority=gt.3", _sample(), False),
        ("priority=gte.3", _sample(), True),
        ("status=in.(on_set,arrived)", _sample(), True),
        ("status=in.(on_set,shot)", _sample(), False),
        ("is_hero=eq.false", _sample(), True),
        ("is_hero=eq.t", _sample(is_hero=True), True),
        (f"campaign_id=eq.{CAMPAIGN.upper()}", _sample(), True),  # uuid, not text
        ("eta=gt.2027-02-28", _sample(), True),  # a date read as midnight UTC
        ("eta=lt.2027-03-01T11:00:00+01:00", _sample(), False),  # 10:00 UTC, not before
        ("eta=gte.2027-03-01T10:00:00Z", _sample(), True),
        ("eta=gt.2000-01-01", _sample(eta=None), False),  # NULL matches nothing
        ("status=neq.on_set", _sample(status=None), False),
        ('name=eq."Silk coat"', _sample(), True),
        ('name=eq."Coat, wool"', _sample(name="Coat, wool"), True),
        ('name=in.("Coat, wool",Cape)', _sample(name="Cape"), True),
        ('name=eq."say \\"hi\\""', _sample(name='say "hi"'), True),
        ("status=eq.arrived,priority=gt.3", _sample(), False),  # comma is AND
        ("status=eq.arrived,priority=eq.3", _sample(), True),
    ],
)
def test_filters_match_as_postgres_would(filter_text, row, expected):
    assert _matches(filter_text, row) is expected


def test_numbers_compare_as_numbers_not_text():
    task = {"duration_minutes": 10}
    assert _matches("duration_minutes=gt.9", task, table="tasks")
    assert not _matches("duration_minutes=lt.9", task, table="tasks")


def test_floats_and_json_columns():
    assert _matches("duration_seconds=gte.1.5", {"duration_seconds": 2.0}, table="assets")
    with pytest.raises(BindingError) as error:
        binding_parse(
            {"event": "*", "schema": "public", "table": "assets", "filter": "target_channels=eq.x"}
        )
    assert error.value.reason == MSG_NOT_COMPARABLE.format(column="target_channels", type="jsonb")


def test_a_binding_matches_its_event_and_table_only():
    binding = binding_parse({"event": "INSERT", "schema": "public", "table": "samples"})
    assert binding.matches("samples", "INSERT", _sample())
    assert not binding.matches("samples", "UPDATE", _sample())
    assert not binding.matches("tasks", "INSERT", {})
    star = binding_parse({"event": "*", "schema": "public"})
    assert all(star.matches(t, "DELETE", {}) for t in ("samples", "tasks", "assets"))


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        (
            {"event": "*", "schema": "auth", "table": "samples"},
            MSG_BAD_SCHEMA.format(schema="auth"),
        ),
        ({"event": "*", "schema": "public", "filter": "status=eq.x"}, MSG_FILTER_NEEDS_TABLE),
        (
            {"event": "*", "schema": "public", "table": "samples", "select": ["id"]},
            MSG_UNSUPPORTED_KEY.format(key="select"),
        ),
        (
            {"event": "*", "schema": "public", "table": "samples", "filter": "priority=eq.high"},
            MSG_BAD_VALUE.format(value="high", column="priority", type="int2"),
        ),
        (
            {"event": "*", "schema": "public", "table": "samples", "filter": "status=in.on_set"},
            MSG_IN_LIST,
        ),
        (
            {
                "event": "*",
                "schema": "public",
                "table": "samples",
                "filter": "priority=in.(" + ",".join(["1"] * (MAX_IN_VALUES + 1)) + ")",
            },
            MSG_TOO_MANY_IN_VALUES,
        ),
    ],
)
def test_invalid_bindings_say_why(spec, reason):
    with pytest.raises(BindingError) as error:
        bindings_parse([spec])
    assert error.value.reason == reason


@pytest.mark.parametrize(
    "filter_text",
    [
        "status",
        "status=",
        "status=eq",
        "status=eq.",
        "=eq.x",
        "status=eq.a,",
        'name=eq."open',
        "status=in.(a",
        "status=eq.a(b",
    ],
)
def test_malformed_filters_are_refused(filter_text):
    with pytest.raises(BindingError):
        binding_parse({"event": "*", "schema": "public", "table": "samples", "filter": filter_text})


def test_ids_are_positive_stable_and_distinct_within_a_channel():
    specs = [
        {"event": "*", "schema": "public", "table": "samples"},
        {"event": "*", "schema": "public", "table": "samples", "filter": "status=eq.shot"},
        {"event": "*", "schema": "public", "table": "samples"},  # a duplicate keeps its id
    ]
    first, second, duplicate = bindings_parse(specs)
    assert first.id > 0 and second.id > 0
    assert first.id != second.id
    assert duplicate.id == first.id
    assert [b.id for b in bindings_parse(specs)] == [first.id, second.id, first.id]


def test_the_reply_echoes_the_binding_as_sent_plus_its_id():
    spec = {"event": "UPDATE", "schema": "public", "table": "tasks", "filter": ""}
    binding = binding_parse(spec)
    assert binding.reply() == {**spec, "id": binding.id}
    assert binding.conditions == ()
