"""The table registry: a table an app registers appears in realtime with its columns; a model
no app registers does not; registrations are checked against the model."""

from __future__ import annotations

import pytest

from fashionos.accounts.models import AuthSession
from fashionos.realtime.bindings import MSG_UNKNOWN_TABLE, BindingError, binding_parse
from fashionos.realtime.hub import change_data
from fashionos.tables import (
    RegistryError,
    UnknownTable,
    realtime_tables,
    relations,
    table_for_model,
    table_get,
    table_register,
    table_unregister,
    tables,
)


def _binding(table: str):
    return binding_parse({"event": "*", "schema": "public", "table": table})


@pytest.fixture
def sessions_table():
    """auth_sessions registered for realtime for the length of one test, grouped by user."""
    table = table_register(
        AuthSession,
        visible_to=lambda actor: AuthSession.objects.none(),
        group_column="user_id",
        realtime=True,
    )
    yield table
    table_unregister(table.name)


def test_the_apps_register_every_table_they_expose():
    assert [table.name for table in tables()] == [
        "campaigns",
        "campaign_members",
        "campaign_invitations",
        "samples",
        "tasks",
        "assets",
        "assistant_conversations",
        "assistant_insights",
        "user_preferences",
        "analytics_events",
    ]
    assert realtime_tables() == ("samples", "tasks", "assets")


def test_a_registered_table_appears_in_realtime_with_its_columns(sessions_table):
    binding = _binding("auth_sessions")
    assert binding.table == "auth_sessions"
    data = change_data(
        {
            "table": "auth_sessions",
            "change_type": "INSERT",
            "record": {"id": "x"},
            "old_record": None,
            "commit_timestamp": "2026-12-04T10:00:00+00:00",
        }
    )
    assert data["columns"] == [
        {"name": field.column, "type": column.pg_type}
        for field, column in zip(
            AuthSession._meta.concrete_fields, sessions_table.columns, strict=True
        )
    ]
    assert {"name": "user_id", "type": "uuid"} in data["columns"]
    assert {"name": "created_at", "type": "timestamptz"} in data["columns"]


def test_an_unregistered_model_is_not_in_realtime(sessions_table):
    table_unregister("auth_sessions")
    with pytest.raises(BindingError) as refused:
        _binding("auth_sessions")
    assert refused.value.reason == MSG_UNKNOWN_TABLE.format(
        table="auth_sessions", tables="samples, tasks and assets"
    )
    assert table_for_model(AuthSession) is None
    with pytest.raises(UnknownTable):
        table_get("auth_sessions")


def test_a_table_registered_but_not_for_realtime_is_refused_by_realtime():
    assert table_get("campaigns").realtime is False
    with pytest.raises(BindingError):
        _binding("campaigns")


def test_registrations_are_checked_against_the_model(sessions_table):
    with pytest.raises(RegistryError):  # the same table twice
        table_register(AuthSession, visible_to=lambda actor: None)
    table_unregister("auth_sessions")
    with pytest.raises(RegistryError):  # not a column
        table_register(AuthSession, visible_to=lambda actor: None, read_only=("nope",))
    with pytest.raises(RegistryError):  # realtime needs a group
        table_register(AuthSession, visible_to=lambda actor: None, realtime=True)
    assert table_for_model(AuthSession) is None


def test_relations_are_derived_both_ways_between_registered_tables_only():
    samples = {(r.kind, r.column, r.target, r.target_column) for r in relations("samples")}
    assert samples == {("many_to_one", "campaign_id", "campaigns", "id")}
    campaigns = {(r.kind, r.target) for r in relations("campaigns")}
    assert campaigns == {
        ("one_to_many", "campaign_members"),
        ("one_to_many", "campaign_invitations"),
        ("one_to_many", "samples"),
        ("one_to_many", "tasks"),
        ("one_to_many", "assets"),
    }
    # tasks.assignee_id points at auth_users, which no app registers: not embeddable.
    assert table_get("tasks").column("assignee_id").references == "auth_users"
    assert all(r.target != "auth_users" for r in relations("tasks"))


def test_column_access_says_what_a_client_may_send():
    access = {column.name: column.access for column in table_get("samples").columns}
    assert access["id"] == "server_set"
    assert access["created_at"] == "server_set"
    assert access["updated_at"] == "server_set"
    assert access["name"] == "writable"
    assert access["campaign_id"] == "writable"
    campaigns = {column.name: column.access for column in table_get("campaigns").columns}
    assert campaigns["revision"] == "server_set"
    assert campaigns["created_by_id"] == "read_only"
    assets = {column.name: column.access for column in table_get("assets").columns}
    assert assets["image_sharpness"] == "server_set"
    assert assets["file"] == "read_only"
    column = table_get("samples").column("campaign_id")
    assert (column.field, column.attname, column.pg_type) == ("campaign", "campaign_id", "uuid")
    with pytest.raises(KeyError):
        table_get("samples").column("campaign")


def test_operations_a_table_does_not_allow_are_none():
    conversations = table_get("assistant_conversations")
    assert (conversations.create, conversations.update, conversations.delete) == (None,) * 3
    assert conversations.insertable is None and conversations.editable_by is None
    events = table_get("analytics_events")
    assert events.create is not None and events.update is None and events.delete is None
    assert table_get("campaigns").deletable_by != table_get("campaigns").editable_by
