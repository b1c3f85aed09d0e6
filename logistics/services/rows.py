"""The steps every write to a campaign's rows shares: the locks taken in one order (the
campaign's row first, then the row written), the row re-read as committed, the revision bump
(the insight cache key) and the announcement to realtime subscribers on commit.

An update or a delete bumps the revision in the statement that locks the campaign (an UPDATE
of the campaign's row locks it as SELECT ... FOR UPDATE does against every other writer of
the campaign); an insert, which takes no campaign lock, bumps it after its write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F, Model
from django.utils import timezone

from fashionos.realtime.changes import change_announce
from fashionos.tables import row_record
from logistics.models import Campaign


def campaign_touch(campaign_id) -> None:
    """Bump the campaign's revision and `updated_at` (its cached analyses become unreachable)."""
    Campaign.objects.filter(pk=campaign_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )


def row_inserted(table: str, instance) -> None:
    """After inserting a campaign's row: bump the campaign's revision (the insight cache key)
    and announce the row to realtime subscribers once the transaction commits."""
    campaign_touch(instance.campaign_id)
    row_changed(table, "INSERT", instance)


def row_changed(table: str, change: str, instance, old: dict[str, Any] | None = None) -> None:
    """Announce a change of a campaign's row to realtime subscribers once the transaction
    commits. The campaign's revision is bumped already: by `row_locked` for an update or a
    delete, by `row_inserted` for an insert."""
    change_announce(
        table=table,
        type=change,
        campaign_id=instance.campaign_id,
        record=row_record(instance) if change != "DELETE" else None,
        old_record=old,
    )


def rows_removed_announce(*, table: str, campaign_id, rows: Iterable[Model]) -> None:
    """Announce on commit that `rows` of `table` are deleted with their campaign (no revision
    bump: the campaign goes too)."""
    for row in rows:
        change_announce(
            table=table, type="DELETE", campaign_id=campaign_id, old_record=row_record(row)
        )


def fields_apply(instance, data: Mapping[str, Any]) -> None:
    """Set each given field on the instance (not saved)."""
    for name, value in data.items():
        setattr(instance, name, value)


def campaign_lock_touched(campaign_id) -> None:
    """Lock the campaign's row as `campaign_lock` does, and bump its revision as
    `campaign_touch` does, in one statement: the UPDATE takes the row's lock until the
    transaction ends, and any other writer of the campaign (an UPDATE of it or a
    SELECT ... FOR UPDATE) waits for it. Raises Campaign.DoesNotExist when it is gone."""
    touched = Campaign.objects.filter(pk=campaign_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not touched:
        raise Campaign.DoesNotExist("Campaign matching query does not exist.")


def campaign_lock(campaign_id) -> Campaign:
    """Lock the campaign's row until the transaction ends. The rules that span several rows
    (one owner at least, no dependency cycle) are checked under this lock, so two concurrent
    writes to one campaign are checked one after the other, each seeing the other's result.
    (A FOR UPDATE on the counted rows would not do: Django drops it from aggregates, and it
    could not lock the row another writer is about to change anyway.)"""
    return Campaign.objects.select_for_update().get(pk=campaign_id)


def row_locked(instance):
    """The row `instance` was loaded from, re-read as committed now and locked until the
    transaction ends, after its campaign's lock (which bumps the campaign's revision: the
    caller is about to change or delete the row). Writes start from it: `instance` may be
    stale (a view loads it before the transaction starts), and building on it would announce
    a wrong `old_record` and write back fields another writer changed in between. Raises the
    model's DoesNotExist when the row was deleted since (saving it would insert it again), or
    Campaign.DoesNotExist when its campaign was."""
    campaign_lock_touched(instance.campaign_id)
    return type(instance).objects.select_for_update().get(pk=instance.pk)
