"""Columns as the registry describes them: the Postgres type names Supabase Realtime reports,
and what a client may write."""

from __future__ import annotations

import pytest
from django.db import connection

from fashionos.tables import tables

PG_TYPES = {
    "uuid", "varchar", "text", "bool", "int2", "int4", "int8", "float8",
    "numeric", "date", "timestamptz", "jsonb",
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("table", tables(), ids=lambda t: t.name)
def test_columns_report_the_types_postgresql_has(table):
    """`columns` in a change is what Supabase reads from the catalog: the type names must be
    the database's own, or the official clients convert values wrongly."""
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's catalog")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            [table.name],
        )
        catalog = dict(cursor.fetchall())
    reported = {column.name: column.pg_type for column in table.columns}
    assert reported == catalog


@pytest.mark.parametrize("table", tables(), ids=lambda t: t.name)
def test_every_registered_column_has_a_known_type(table):
    for column in table.columns:
        assert column.pg_type in PG_TYPES, column
