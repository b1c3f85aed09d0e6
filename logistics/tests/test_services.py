"""Rules the logistics services keep whoever calls them, under concurrency too: a campaign
never ends up without an owner, two concurrent dependency edits never close a cycle, and the
campaign revision (the insight cache key) never goes backwards."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from fashionos.testing.factories import CampaignFactory, MemberFactory, UserFactory
from logistics import services
from logistics.dependencies import dependency_cycle
from logistics.models import Campaign, CampaignMember, CampaignRole, TaskDependency

# --- The revision only grows -----------------------------------------------------------------


@pytest.mark.django_db
def test_campaign_update_never_writes_back_a_stale_revision():
    campaign = CampaignFactory()
    stale = Campaign.objects.get(pk=campaign.pk)
    services.sample_create(campaign=campaign, data={"name": "Camel coat"})  # bumps it
    bumped = Campaign.objects.get(pk=campaign.pk).revision
    assert bumped > stale.revision

    updated = services.campaign_update(campaign=stale, data={"name": "Resort 28"})

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
    assert errors[0].message_dict == {"role": [services.MSG_LAST_OWNER]}


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_leave_one_owner():
    campaign, first, second = _two_owners()

    outcome = _race(
        lambda: services.member_update_role(
            member=CampaignMember.objects.get(pk=second.pk), role=CampaignRole.VIEWER
        ),
        lambda: services.member_update_role(
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
        lambda: services.member_remove(member=CampaignMember.objects.get(pk=second.pk)),
        lambda: services.member_remove(member=CampaignMember.objects.get(pk=first.pk)),
    )

    _refused_last_owner(outcome)
    assert _owners(campaign) == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_demotion_racing_a_removal_leaves_one_owner():
    campaign, first, second = _two_owners()

    outcome = _race(
        lambda: services.member_remove(member=CampaignMember.objects.get(pk=second.pk)),
        lambda: services.member_update_role(
            member=CampaignMember.objects.get(pk=first.pk), role=CampaignRole.EDITOR
        ),
    )

    _refused_last_owner(outcome)
    assert _owners(campaign) == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_dependency_edits_cannot_close_a_cycle_together():
    campaign = CampaignFactory()
    shoot = services.task_create(campaign=campaign, data={"title": "Shoot"})
    retouch = services.task_create(campaign=campaign, data={"title": "Retouch"})

    outcome = _race(
        lambda: services.task_update(task=retouch, data={}, depends_on=[shoot]),
        lambda: services.task_update(task=shoot, data={}, depends_on=[retouch]),
    )

    errors = [error for error in outcome if error is not None]
    assert len(errors) == 1, outcome
    assert "cycle" in str(errors[0])
    edges = TaskDependency.objects.values_list("task_id", "depends_on_id")
    assert dependency_cycle(list(edges)) == []
    assert len(edges) == 1
