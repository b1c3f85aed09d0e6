"""The one table of the bare app (bench/bare/app.py), created by the benchmark's setup."""

BARE_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_bare_rows (
    id bigserial PRIMARY KEY,
    event_type varchar(100) NOT NULL,
    event_data jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""
