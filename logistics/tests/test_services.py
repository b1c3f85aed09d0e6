"""Rules the logistics services keep whoever calls them, under concurrency too: a campaign
never ends up without an owner, two concurrent dependency edits never close a cycle, and the
campaign revision (the insight cache key) never goes backwards."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from fashionos.testing.factories import UserFactory
from logistics.dependencies import dependency_cycle
from logistics.models import Campaign, CampaignMember, CampaignRole, TaskDependency
from logistics.services import assets as asset_services
from logistics.services import rows as row_services
from logistics.services import samples as sample_services
from logistics.services import tasks as task_services
from logistics.services.campaigns import campaign_update
from logistics.services.members import MSG_LAST_OWNER, member_remove, member_update_role
from logistics.services.samples import sample_create
from logistics.services.tasks import task_create, task_update
from logistics.tests.factories import (
    AssetFactory,
    CampaignFactory,
    MemberFactory,
    SampleFactory,
    TaskFactory,
)

# --- The revision only grows -----------------------------------------------------------------


@pytest.mark.django_db
def test_campaign_update_never_writes_back_a_stale_revision():
    campaign = CampaignFactory()
    stale = Campaign.objects.get(pk=campaign.pk)
    sample_create(campaign=campaign, data={"name": "Camel coat"})  # bumps it
    bumped = Campaign.objects.get(pk=campaign.pk).revision
    assert bumped > stale.revision

    updated = campaign_update(campaign=stale, data={"name": "Resort 28"})

    stored = Campaign.objects.get(pk=campaign.pk)
    assert stored.revision > bumped
    assert stored.name == "Resort 28"
    assert updated.revision == stored.revision


# --- Concurrent writes (PostgreSQL: SQLite runs one writer at a time) ---------------------------

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite takes a database-wide write lock, so two writers never "
    "overlap and row locks (SELECT ... FOR UPDATE) are not supported",
)

# How long the first writer holds its transaction open, waiting for the second to finish. The
# second finishes at once without the campaign lock (the race), or waits for the first to
# commit with it; either way the test takes at most this long.
HOLD_SECONDS = 1.5


def _race(first, second) -> list[BaseException | None]:
    """Run `first` in a transaction kept open until `second` (started once `first` has done
    its write) has finished or HOLD_SECONDS have passed; return each one's error or None."""
    first_wrote, second_done = threading.Event(), threading.Event()
    outcome: list[BaseException | None] = [None, None]

    def run_first():
        try:
            with transaction.atomic():
                first()
                first_wrote.set()
                second_done.wait(HOLD_SECONDS)
        except BaseException as exc:  # reported to the test below
            outcome[0] = exc
        finally:
            first_wrote.set()
            connection.close()

    def run_second():
        first_wrote.wait(HOLD_SECONDS)
        try:
            second()
        except BaseException as exc:
            outcome[1] = exc
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


def _two_owners():
    campaign = CampaignFactory()
    first = MemberFactory(campaign=campaign, user=UserFactory(), role=CampaignRole.OWNER)
    second = MemberFactory(campaign=campaign, user=UserFactory(), role=CampaignRole.OWNER)
    return campaign, first, second


def _owners(campaign) -> int:
    return CampaignMember.objects.filter(campaign=campaign, role=CampaignRole.OWNER).count()


def _refused_last_owner(outcome) -> None:
    """Exactly one of the two writes was refused, for the last-owner rule."""
    errors = [error for error in outcome if error is not None]
    assert len(errors) == 1, outcome
    assert isinstance(errors[0], ValidationError)
    assert errors[0].message_dict == {"role": [MSG_LAST_OWNER]}


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_leave_one_owner():
    campaign, first, second = _two_owners()

    outcome = _race(
        lambda: member_update_role(
            member=CampaignMember.objects.get(pk=second.pk), role=CampaignRole.VIEWER
        ),
        lambda: member_update_role(
            member=CampaignMember.objects.get(pk=first.pk), role=CampaignRole.VIEWER
        ),
    )

    _refused_last_owner(outcome)
    assert _owners(campaign) == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_owners_removing_each_other_leave_one_owner():
    campaign, first, second = _two_owners()

    outcome = _race(
        lambda: member_remove(member=CampaignMember.objects.get(pk=second.pk)),
        lambda: member_remove(member=CampaignMember.objects.get(pk=first.pk)),
    )

    _refused_last_owner(outcome)
    assert _owners(campaign) == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_demotion_racing_a_removal_leaves_one_owner():
    campaign, first, second = _two_owners()

    outcome = _race(
        lambda: member_remove(member=CampaignMember.objects.get(pk=second.pk)),
        lambda: member_update_role(
            member=CampaignMember.objects.get(pk=first.pk), role=CampaignRole.EDITOR
        ),
    )

    _refused_last_owner(outcome)
    assert _owners(campaign) == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_dependency_edits_cannot_close_a_cycle_together():
    campaign = CampaignFactory()
    shoot = task_create(campaign=campaign, data={"title": "Shoot"})
    retouch = task_create(campaign=campaign, data={"title": "Retouch"})

    outcome = _race(
        lambda: task_update(task=retouch, data={}, depends_on=[shoot]),
        lambda: task_update(task=shoot, data={}, depends_on=[retouch]),
    )

    errors = [error for error in outcome if error is not None]
    assert len(errors) == 1, outcome
    assert "cycle" in str(errors[0])
    edges = TaskDependency.objects.values_list("task_id", "depends_on_id")
    assert dependency_cycle(list(edges)) == []
    assert len(edges) == 1


# --- Updates and deletes start from the committed row ------------------------------------------

# Per entity: its factory, the service that updates it and the one that deletes it, and two
# fields set by two different writers, with the value each writer sets.
ROW_WRITES = {
    "samples": (SampleFactory, "sample", ("status", "arrived"), ("notes", "Steam before set")),
    "tasks": (TaskFactory, "task", ("status", "in_progress"), ("title", "Steam the gowns")),
    "assets": (AssetFactory, "asset", ("status", "in_review"), ("title", "Gown, full length")),
}
SERVICES = {"sample": sample_services, "task": task_services, "asset": asset_services}


@pytest.fixture
def announced(monkeypatch) -> list[dict]:
    """Every change the logistics services announce, as the keyword arguments they pass."""
    calls: list[dict] = []
    lock = threading.Lock()

    def record(**change):
        with lock:
            calls.append(change)

    monkeypatch.setattr(row_services, "change_announce", record)
    return calls


def _update(entity: str, row, field_value: tuple[str, Any]):
    _, name, _, _ = ROW_WRITES[entity]
    field, value = field_value
    return getattr(SERVICES[name], f"{name}_update")(**{name: row, "data": {field: value}})


def _stale_pair(entity: str):
    """A row and two copies of it loaded before any write, as two concurrent PATCHes load it
    before their transactions start."""
    factory, *_ = ROW_WRITES[entity]
    row = factory()
    model = type(row)
    return row, model.objects.get(pk=row.pk), model.objects.get(pk=row.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("entity", ROW_WRITES)
def test_an_update_from_a_stale_instance_announces_the_committed_row_and_keeps_it(
    entity, announced
):
    _, _, first, second = ROW_WRITES[entity]
    row, stale, fresh = _stale_pair(entity)
    _update(entity, fresh, first)  # committed after the view loaded `stale`

    _update(entity, stale, second)

    change = announced[-1]
    assert change["type"] == "UPDATE"
    assert change["old_record"][first[0]] == first[1]  # the prior state, not the stale one
    assert change["record"][first[0]] == first[1]
    assert change["record"][second[0]] == second[1]
    stored = type(row).objects.get(pk=row.pk)
    assert (getattr(stored, first[0]), getattr(stored, second[0])) == (first[1], second[1])


@pytest.mark.django_db
@pytest.mark.parametrize("entity", ROW_WRITES)
def test_a_delete_from_a_stale_instance_announces_the_committed_row(entity, announced):
    _, name, first, _ = ROW_WRITES[entity]
    row, stale, fresh = _stale_pair(entity)
    _update(entity, fresh, first)

    getattr(SERVICES[name], f"{name}_delete")(**{name: stale})

    change = announced[-1]
    assert change["type"] == "DELETE"
    assert change["old_record"][first[0]] == first[1]
    assert not type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("entity", ROW_WRITES)
def test_a_row_deleted_since_it_was_loaded_is_not_written_back(entity, announced):
    _, name, first, _ = ROW_WRITES[entity]
    row, stale, fresh = _stale_pair(entity)
    getattr(SERVICES[name], f"{name}_delete")(**{name: fresh})
    announced.clear()

    model = type(row)
    with pytest.raises(model.DoesNotExist):
        _update(entity, stale, first)
    with pytest.raises(model.DoesNotExist):
        getattr(SERVICES[name], f"{name}_delete")(**{name: stale})

    assert not model.objects.filter(pk=row.pk).exists()  # a plain save() would insert it again
    assert announced == []


@pg_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("entity", ROW_WRITES)
def test_two_concurrent_updates_lose_nothing_and_announce_the_committed_prior_row(
    entity, announced
):
    _, _, first, second = ROW_WRITES[entity]
    row, stale_a, stale_b = _stale_pair(entity)
    before = type(row).objects.get(pk=row.pk)

    outcome = _race(
        lambda: _update(entity, stale_a, first),
        lambda: _update(entity, stale_b, second),
    )

    assert outcome == [None, None]
    updates = [change for change in announced if change["type"] == "UPDATE"]
    assert len(updates) == 2
    assert updates[0]["old_record"][first[0]] == getattr(before, first[0])
    # The second writer waited for the first to commit and started from its row.
    assert updates[1]["old_record"][first[0]] == first[1]
    assert updates[1]["old_record"][second[0]] == getattr(before, second[0])
    assert updates[1]["record"][first[0]] == first[1]
    stored = type(row).objects.get(pk=row.pk)
    assert (getattr(stored, first[0]), getattr(stored, second[0])) == (first[1], second[1])
