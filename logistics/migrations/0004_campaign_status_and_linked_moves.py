"""Two rules the database did not yet enforce:

- a campaign's status is one of the known values (as for samples, tasks and assets);
- a task, sample or asset that is linked (task dependencies, featured samples) cannot move to
  another campaign: the triggers of 0002 check the link table, so moving one end of a link
  would otherwise leave a link across campaigns behind.
"""

from django.db import migrations, models

TASK_MESSAGE = "a task with dependencies cannot move to another campaign"
SAMPLE_MESSAGE = "a sample featured in an asset cannot move to another campaign"
ASSET_MESSAGE = "an asset featuring samples cannot move to another campaign"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION fashionos_task_keeps_campaign_while_linked() RETURNS trigger AS $$
BEGIN
    IF NEW.campaign_id IS DISTINCT FROM OLD.campaign_id AND EXISTS (
        SELECT 1 FROM task_dependencies WHERE task_id = OLD.id OR depends_on_id = OLD.id
    ) THEN
        RAISE EXCEPTION '{TASK_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tasks_keep_campaign_while_linked
    BEFORE UPDATE OF campaign_id ON tasks
    FOR EACH ROW EXECUTE FUNCTION fashionos_task_keeps_campaign_while_linked();

CREATE OR REPLACE FUNCTION fashionos_sample_keeps_campaign_while_linked() RETURNS trigger AS $$
BEGIN
    IF NEW.campaign_id IS DISTINCT FROM OLD.campaign_id AND EXISTS (
        SELECT 1 FROM asset_samples WHERE sample_id = OLD.id
    ) THEN
        RAISE EXCEPTION '{SAMPLE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER samples_keep_campaign_while_linked
    BEFORE UPDATE OF campaign_id ON samples
    FOR EACH ROW EXECUTE FUNCTION fashionos_sample_keeps_campaign_while_linked();

CREATE OR REPLACE FUNCTION fashionos_asset_keeps_campaign_while_linked() RETURNS trigger AS $$
BEGIN
    IF NEW.campaign_id IS DISTINCT FROM OLD.campaign_id AND EXISTS (
        SELECT 1 FROM asset_samples WHERE asset_id = OLD.id
    ) THEN
        RAISE EXCEPTION '{ASSET_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assets_keep_campaign_while_linked
    BEFORE UPDATE OF campaign_id ON assets
    FOR EACH ROW EXECUTE FUNCTION fashionos_asset_keeps_campaign_while_linked();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS tasks_keep_campaign_while_linked ON tasks;
DROP FUNCTION IF EXISTS fashionos_task_keeps_campaign_while_linked();
DROP TRIGGER IF EXISTS samples_keep_campaign_while_linked ON samples;
DROP FUNCTION IF EXISTS fashionos_sample_keeps_campaign_while_linked();
DROP TRIGGER IF EXISTS assets_keep_campaign_while_linked ON assets;
DROP FUNCTION IF EXISTS fashionos_asset_keeps_campaign_while_linked();
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER tasks_keep_campaign_while_linked BEFORE UPDATE OF campaign_id ON tasks
    WHEN NEW.campaign_id IS NOT OLD.campaign_id AND EXISTS (
        SELECT 1 FROM task_dependencies WHERE task_id = OLD.id OR depends_on_id = OLD.id
    )
    BEGIN SELECT RAISE(ABORT, '{TASK_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER samples_keep_campaign_while_linked BEFORE UPDATE OF campaign_id ON samples
    WHEN NEW.campaign_id IS NOT OLD.campaign_id
         AND EXISTS (SELECT 1 FROM asset_samples WHERE sample_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, '{SAMPLE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assets_keep_campaign_while_linked BEFORE UPDATE OF campaign_id ON assets
    WHEN NEW.campaign_id IS NOT OLD.campaign_id
         AND EXISTS (SELECT 1 FROM asset_samples WHERE asset_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, '{ASSET_MESSAGE}'); END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tasks_keep_campaign_while_linked",
    "DROP TRIGGER IF EXISTS samples_keep_campaign_while_linked",
    "DROP TRIGGER IF EXISTS assets_keep_campaign_while_linked",
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
    dependencies = [("logistics", "0003_asset_image_metrics")]

    operations = [
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["planning", "active", "wrapped", "cancelled"])),
                name="campaigns_status_valid",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
