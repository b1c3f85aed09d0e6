"""An asset's width and height, when known, are at least one pixel (the API already refused 0).

On SQLite, adding a CHECK rebuilds the assets table: the triggers of 0002 and 0004 that
name it (on asset_samples) would break the rebuild, and the one on assets would be dropped
with the old table, so they are dropped first and created again afterwards, unchanged.
"""

from django.db import migrations, models

SAMPLE_CAMPAIGN_MESSAGE = "an asset may only feature samples of its own campaign"
ASSET_MESSAGE = "an asset featuring samples cannot move to another campaign"

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER asset_samples_same_campaign_insert BEFORE INSERT ON asset_samples
    WHEN (SELECT campaign_id FROM assets WHERE id = NEW.asset_id)
         IS NOT (SELECT campaign_id FROM samples WHERE id = NEW.sample_id)
    BEGIN SELECT RAISE(ABORT, '{SAMPLE_CAMPAIGN_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER asset_samples_same_campaign_update BEFORE UPDATE ON asset_samples
    WHEN (SELECT campaign_id FROM assets WHERE id = NEW.asset_id)
         IS NOT (SELECT campaign_id FROM samples WHERE id = NEW.sample_id)
    BEGIN SELECT RAISE(ABORT, '{SAMPLE_CAMPAIGN_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assets_keep_campaign_while_linked BEFORE UPDATE OF campaign_id ON assets
    WHEN NEW.campaign_id IS NOT OLD.campaign_id
         AND EXISTS (SELECT 1 FROM asset_samples WHERE asset_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, '{ASSET_MESSAGE}'); END;
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS asset_samples_same_campaign_insert",
    "DROP TRIGGER IF EXISTS asset_samples_same_campaign_update",
    "DROP TRIGGER IF EXISTS assets_keep_campaign_while_linked",
]


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("logistics", "0004_campaign_status_and_linked_moves")]

    operations = [
        migrations.RunPython(_sqlite(SQLITE_DROP), _sqlite(SQLITE_TRIGGERS)),
        migrations.AddConstraint(
            model_name="asset",
            constraint=models.CheckConstraint(
                condition=models.Q(("width__isnull", True), ("width__gte", 1), _connector="OR"),
                name="assets_width_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="asset",
            constraint=models.CheckConstraint(
                condition=models.Q(("height__isnull", True), ("height__gte", 1), _connector="OR"),
                name="assets_height_positive",
            ),
        ),
        migrations.RunPython(_sqlite(SQLITE_TRIGGERS), _sqlite(SQLITE_DROP)),
    ]
