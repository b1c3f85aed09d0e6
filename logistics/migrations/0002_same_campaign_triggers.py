"""Database triggers that refuse links across campaigns: a task may only depend on a task of its
own campaign, and an asset may only feature samples of its own campaign. A CHECK constraint
cannot look at another row, so a trigger does it, on PostgreSQL and on SQLite alike."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION fashionos_same_campaign_task_dependency() RETURNS trigger AS $$
BEGIN
    IF (SELECT campaign_id FROM tasks WHERE id = NEW.task_id)
       IS DISTINCT FROM (SELECT campaign_id FROM tasks WHERE id = NEW.depends_on_id) THEN
        RAISE EXCEPTION 'a task may only depend on tasks of its own campaign'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER task_dependencies_same_campaign
    BEFORE INSERT OR UPDATE ON task_dependencies
    FOR EACH ROW EXECUTE FUNCTION fashionos_same_campaign_task_dependency();

CREATE OR REPLACE FUNCTION fashionos_same_campaign_asset_sample() RETURNS trigger AS $$
BEGIN
    IF (SELECT campaign_id FROM assets WHERE id = NEW.asset_id)
       IS DISTINCT FROM (SELECT campaign_id FROM samples WHERE id = NEW.sample_id) THEN
        RAISE EXCEPTION 'an asset may only feature samples of its own campaign'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER asset_samples_same_campaign
    BEFORE INSERT OR UPDATE ON asset_samples
    FOR EACH ROW EXECUTE FUNCTION fashionos_same_campaign_asset_sample();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS task_dependencies_same_campaign ON task_dependencies;
DROP FUNCTION IF EXISTS fashionos_same_campaign_task_dependency();
DROP TRIGGER IF EXISTS asset_samples_same_campaign ON asset_samples;
DROP FUNCTION IF EXISTS fashionos_same_campaign_asset_sample();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER task_dependencies_same_campaign_insert BEFORE INSERT ON task_dependencies
    WHEN (SELECT campaign_id FROM tasks WHERE id = NEW.task_id)
         IS NOT (SELECT campaign_id FROM tasks WHERE id = NEW.depends_on_id)
    BEGIN SELECT RAISE(ABORT, 'a task may only depend on tasks of its own campaign'); END;
    """,
    """
    CREATE TRIGGER task_dependencies_same_campaign_update BEFORE UPDATE ON task_dependencies
    WHEN (SELECT campaign_id FROM tasks WHERE id = NEW.task_id)
         IS NOT (SELECT campaign_id FROM tasks WHERE id = NEW.depends_on_id)
    BEGIN SELECT RAISE(ABORT, 'a task may only depend on tasks of its own campaign'); END;
    """,
    """
    CREATE TRIGGER asset_samples_same_campaign_insert BEFORE INSERT ON asset_samples
    WHEN (SELECT campaign_id FROM assets WHERE id = NEW.asset_id)
         IS NOT (SELECT campaign_id FROM samples WHERE id = NEW.sample_id)
    BEGIN SELECT RAISE(ABORT, 'an asset may only feature samples of its own campaign'); END;
    """,
    """
    CREATE TRIGGER asset_samples_same_campaign_update BEFORE UPDATE ON asset_samples
    WHEN (SELECT campaign_id FROM assets WHERE id = NEW.asset_id)
         IS NOT (SELECT campaign_id FROM samples WHERE id = NEW.sample_id)
    BEGIN SELECT RAISE(ABORT, 'an asset may only feature samples of its own campaign'); END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS task_dependencies_same_campaign_insert",
    "DROP TRIGGER IF EXISTS task_dependencies_same_campaign_update",
    "DROP TRIGGER IF EXISTS asset_samples_same_campaign_insert",
    "DROP TRIGGER IF EXISTS asset_samples_same_campaign_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return
        if isinstance(statements, str):
            statements = [statements]
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
