"""The table registry: the one place where an app says which of its tables the outside may
reach, and how. The realtime engine (`fashionos/realtime/`) and the PostgREST-compatible
`/rest/v1` engine serve what is registered here and import no app; adding a table never
means editing the core.

Registering (in the app's `AppConfig.ready()`, see `logistics/tables.py`)::

    table_register(
        Sample,
        visible_to=lambda actor: Sample.objects.visible_to(actor),
        editable_by=lambda actor: Sample.objects.editable_by(actor),
        insertable=campaign_row_insertable,      # (actor, data) -> bool
        create=sample_create_from, update=sample_update_from, delete=sample_delete_from,
        read_only=("arrived_at",),
        group_column="campaign_id",
        realtime=True,
    )

What an entry (`Table`) gives, per table:

- `name`: the public table name, the model's `db_table` (`samples`); `model`: the model.
- `columns`: `Column`s in table order, as the outside sees them: `name` the database column
  (`campaign_id`), `field` the model field behind it (`campaign`), `attname` its raw
  attribute (`campaign_id`), `pg_type` the Postgres type name realtime reports (`uuid`,
  `varchar`, `int2`, `timestamptz`, `jsonb`, …), `access` one of `writable` (a client may
  send it), `read_only` (the server sets it from the request or a write computes it; a
  client may not send it) or `server_set` (ids, timestamps, revisions), `nullable`, and
  `references` (a foreign key's target table name, else None). Many-to-many links
  (`tasks.depends_on`, `assets.featured_samples`) are not columns.
- `relations(name)`: the foreign keys usable for embedding, both ways, between registered
  tables only: `samples` has `many_to_one` `campaign_id -> campaigns.id` (embed an object),
  `campaigns` has `one_to_many` `id <- samples.campaign_id` (embed a list). Derived from the
  models' foreign keys, never declared by hand.
- Reading: `visible_to(actor)` is the queryset of rows the actor may read; start every read
  from it (an outsider gets an empty result, never an error that says a row exists). Apply
  it to embedded rows too.
- Changing: `editable_by(actor)` is the queryset of rows the actor may update,
  `deletable_by(actor)` those it may delete (defaults to `editable_by`; campaigns: owners
  only). A row visible but not in these is a 403; a row not visible is not matched. None
  means no actor may change rows through the registry.
- Inserting: `insertable(actor, data)` says whether the actor may insert a row with these
  values (for campaign rows: whether it may write to `data["campaign_id"]`); None means the
  table takes no inserts through the registry.
- Bulk: `create_many(*, actor, rows)` (optional) creates a list of rows with the same
  validation and side effects as `create`, in a bounded number of statements, all or none;
  `insertable_columns` (optional) names the columns `insertable`'s answer depends on
  (`("campaign_id",)`), so `/rest/v1` asks once per distinct value for an array insert.
- Writing: `create(*, actor, data)`, `update(*, actor, instance, data)` and
  `delete(*, actor, instance)` wrap the app's own services, so validation, the one-owner
  and no-cycle rules, the campaign revision bump, the insight cache invalidation and the
  realtime announcement happen exactly as for `/api/v1`. `data` is keyed by column name with
  JSON values as a client sends them; `instance` is a row read through `visible_to`. They do
  not check permissions (the caller does, with the scopes above); they raise Django's
  `ValidationError` (per column) for bad values, `ColumnNotWritable` for a column the
  client may not send, and the model's `DoesNotExist` when the row was deleted meanwhile.
  An operation the table does not allow (conversations are an immutable log) is None.
- Realtime: `realtime` says whether changes are announced; `group_column` names the column
  holding the campaign a row belongs to (`campaign_id`; `id` for campaigns), and
  `group_of(record)` reads it. `groups_visible_to(actor)` gives the campaign ids an actor
  reads, from the source the owning app registered with `group_source_register`.

`tables()`, `table_get(name)` (raises `UnknownTable`), `table_for_model(model)` and
`realtime_tables()` look entries up; `row_record(instance)` renders a row as column-keyed
JSON, the shape realtime sends and `/rest/v1` answers.
"""

from fashionos.tables.columns import Column, row_record
from fashionos.tables.registry import (
    RegistryError,
    Relation,
    Table,
    UnknownTable,
    group_source_register,
    groups_visible_to,
    realtime_tables,
    relations,
    table_for_model,
    table_get,
    table_register,
    table_unregister,
    tables,
)
from fashionos.tables.writes import (
    ColumnNotWritable,
    actor_context,
    data_fields,
    serializer_validated,
)

__all__ = [
    "Column",
    "ColumnNotWritable",
    "RegistryError",
    "Relation",
    "Table",
    "UnknownTable",
    "actor_context",
    "data_fields",
    "group_source_register",
    "groups_visible_to",
    "realtime_tables",
    "relations",
    "row_record",
    "serializer_validated",
    "table_for_model",
    "table_get",
    "table_register",
    "table_unregister",
    "tables",
]
