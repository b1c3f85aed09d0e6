"""Rows and column types as Supabase Realtime describes them."""

from __future__ import annotations

import pytest
from django.db import connection

from fashionos.realtime.records import table_columns
from logistics.models import Asset, Sample, Task


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Sample, Task, Asset], ids=lambda m: m._meta.db_table)
def test_columns_report_the_types_postgresql_has(model):
    """`columns` in a change is what Supabase reads from the catalog: the type names must be
    the database's own, or the official clients convert values wrongly."""
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's catalog")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            [model._meta.db_table],
        )
        catalog = dict(cursor.fetchall())
    reported = {column["name"]: column["type"] for column in table_columns(model)}
    assert reported == catalog


def test_every_realtime_column_has_a_known_type():
    for model in (Sample, Task, Asset):
        for column in table_columns(model):
            assert column["type"] in {
                "uuid", "varchar", "text", "bool", "int2", "int4", "int8", "float8",
                "numeric", "date", "timestamptz", "jsonb",
            }, column  # fmt: skip
