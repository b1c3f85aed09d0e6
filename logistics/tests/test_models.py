"""The campaign tables and the rules the database itself enforces: a violated constraint is
refused by the database, whichever way the row gets there (create, bulk_create, update())."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fashionos.principals import ServicePrincipal
from fashionos.testing.factories import UserFactory
from logistics.models import (
    Asset,
    Campaign,
    CampaignMember,
    CampaignRole,
    Sample,
    Task,
    TaskDependency,
)
from logistics.tests.factories import (
    AssetFactory,
    CampaignFactory,
    MemberFactory,
    SampleFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def _refused(write) -> None:
    """`write()` must be refused by the database (and leave the transaction usable)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def _constraints(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


# --- Table and index names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "table"),
    [
        (Campaign, "campaigns"),
        (CampaignMember, "campaign_members"),
        (Sample, "samples"),
        (Task, "tasks"),
        (Asset, "assets"),
        (TaskDependency, "task_dependencies"),
    ],
)
def test_tables_keep_their_names(model, table):
    assert model._meta.db_table == table
    assert table in connection.introspection.table_names()


def test_featured_samples_link_table_is_named():
    assert Asset.featured_samples.through._meta.db_table == "asset_samples"
    assert "asset_samples" in connection.introspection.table_names()


@pytest.mark.parametrize(
    ("table", "index", "columns"),
    [
        ("campaigns", "campaigns_updated_idx", ["updated_at"]),
        ("campaign_members", "campaign_members_user_idx", ["user_id", "campaign_id"]),
        ("samples", "samples_campaign_status_idx", ["campaign_id", "status"]),
        ("samples", "samples_delayed_idx", ["campaign_id"]),
        ("tasks", "tasks_campaign_status_idx", ["campaign_id", "status"]),
        ("tasks", "tasks_assignee_idx", ["assignee_id", "status"]),
        ("assets", "assets_campaign_status_idx", ["campaign_id", "status"]),
    ],
)
def test_indexes_exist(table, index, columns):
    found = _constraints(table)

    assert index in found
    assert found[index]["index"] is True
    assert found[index]["columns"] == columns


def test_campaign_members_are_unique_per_campaign():
    found = _constraints("campaign_members")["campaign_members_unique"]

    assert found["unique"] is True
    assert found["columns"] == ["campaign_id", "user_id"]


# --- Campaigns and members -------------------------------------------------------------------


def test_duplicate_campaign_member_is_refused():
    member = MemberFactory(role=CampaignRole.EDITOR)

    _refused(
        lambda: CampaignMember.objects.create(
            campaign=member.campaign, user=member.user, role=CampaignRole.VIEWER
        )
    )
    assert CampaignMember.objects.filter(campaign=member.campaign).count() == 1


def test_same_user_may_join_two_campaigns():
    user = UserFactory()

    MemberFactory(user=user)
    MemberFactory(user=user)

    assert CampaignMember.objects.filter(user=user).count() == 2


def test_unknown_member_role_is_refused():
    member = MemberFactory()

    _refused(lambda: CampaignMember.objects.filter(pk=member.pk).update(role="admin"))
    _refused(
        lambda: CampaignMember.objects.create(
            campaign=member.campaign, user=UserFactory(), role="superuser"
        )
    )


def test_unknown_campaign_status_is_refused():
    campaign = CampaignFactory()

    _refused(lambda: Campaign.objects.create(name="Ghost", status="archived"))
    _refused(lambda: Campaign.objects.filter(pk=campaign.pk).update(status="paused"))
    campaign.refresh_from_db()
    assert campaign.status == "planning"


@pytest.mark.parametrize("status", ["planning", "active", "wrapped", "cancelled"])
def test_every_campaign_status_is_accepted(status):
    assert Campaign.objects.create(name="Ok", status=status).status == status


def test_deleting_a_campaign_deletes_what_belongs_to_it():
    campaign = CampaignFactory()
    sample = SampleFactory(campaign=campaign)
    task = TaskFactory(campaign=campaign)
    asset = AssetFactory(campaign=campaign)
    asset.featured_samples.add(sample)
    MemberFactory(campaign=campaign)

    campaign.delete()

    assert not Sample.objects.filter(pk=sample.pk).exists()
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert not CampaignMember.objects.filter(campaign_id=campaign.pk).exists()


def test_deleting_the_creator_keeps_the_campaign():
    campaign = CampaignFactory()

    campaign.created_by.delete()

    campaign.refresh_from_db()
    assert campaign.created_by is None


# --- Samples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("priority", [0, 6])
def test_sample_priority_outside_1_to_5_is_refused(priority):
    campaign = CampaignFactory()

    _refused(lambda: Sample.objects.create(campaign=campaign, name="Gown", priority=priority))
    _refused(
        lambda: Sample.objects.bulk_create(
            [Sample(campaign=campaign, name="Gown", priority=priority)]
        )
    )
    assert not Sample.objects.exists()


@pytest.mark.parametrize("priority", [0, 6, 100])
def test_sample_priority_update_outside_1_to_5_is_refused(priority):
    sample = SampleFactory(priority=2)

    _refused(lambda: Sample.objects.filter(pk=sample.pk).update(priority=priority))
    sample.refresh_from_db()
    assert sample.priority == 2


@pytest.mark.parametrize("priority", [1, 5])
def test_sample_priority_bounds_are_accepted(priority):
    assert SampleFactory(priority=priority).priority == priority


def test_unknown_sample_status_is_refused():
    sample = SampleFactory()

    _refused(lambda: Sample.objects.create(campaign=sample.campaign, name="X", status="lost"))
    _refused(lambda: Sample.objects.filter(pk=sample.pk).update(status="ready"))


@pytest.mark.parametrize(
    "status", ["requested", "in_transit", "delayed", "arrived", "on_set", "shot", "returned"]
)
def test_every_sample_status_is_accepted(status):
    sample = SampleFactory(status=status)

    assert sample.status == status
    assert sample.is_ready is (status in ("on_set", "shot"))


# --- Tasks and their dependencies ------------------------------------------------------------


@pytest.mark.parametrize("minutes", [0, -30])
def test_task_duration_must_be_positive(minutes):
    campaign = CampaignFactory()

    _refused(
        lambda: Task.objects.create(campaign=campaign, title="Steam", duration_minutes=minutes)
    )
    task = TaskFactory(campaign=campaign)
    _refused(lambda: Task.objects.filter(pk=task.pk).update(duration_minutes=minutes))


def test_task_deadline_before_its_earliest_start_is_refused():
    campaign = CampaignFactory()
    start = timezone.now()

    _refused(
        lambda: Task.objects.create(
            campaign=campaign,
            title="Shoot",
            earliest_start=start,
            deadline=start - timedelta(minutes=1),
        )
    )
    _refused(
        lambda: Task.objects.create(
            campaign=campaign, title="Shoot", earliest_start=start, deadline=start
        )
    )
    task = TaskFactory(campaign=campaign, earliest_start=start, deadline=start + timedelta(hours=2))
    _refused(lambda: Task.objects.filter(pk=task.pk).update(deadline=start - timedelta(hours=1)))


def test_task_with_only_a_deadline_or_only_a_start_is_accepted():
    start = timezone.now()

    assert TaskFactory(earliest_start=start).deadline is None
    assert TaskFactory(deadline=start).earliest_start is None


def test_unknown_task_status_is_refused():
    task = TaskFactory()

    _refused(lambda: Task.objects.create(campaign=task.campaign, title="X", status="paused"))
    _refused(lambda: Task.objects.filter(pk=task.pk).update(status="cancelled"))


def test_task_cannot_depend_on_itself():
    task = TaskFactory()

    _refused(lambda: TaskDependency.objects.create(task=task, depends_on=task))
    other = TaskFactory(campaign=task.campaign)
    link = TaskDependency.objects.create(task=task, depends_on=other)
    _refused(lambda: TaskDependency.objects.filter(pk=link.pk).update(depends_on=task))


def test_duplicate_dependency_is_refused():
    task = TaskFactory()
    other = TaskFactory(campaign=task.campaign)
    TaskDependency.objects.create(task=task, depends_on=other)

    _refused(lambda: TaskDependency.objects.create(task=task, depends_on=other))


def test_dependency_within_a_campaign_is_accepted():
    task = TaskFactory()
    first = TaskFactory(campaign=task.campaign)

    task.depends_on.add(first)

    assert list(task.depends_on.all()) == [first]
    assert list(first.dependents.all()) == [task]


def test_dependency_on_a_task_of_another_campaign_is_refused_by_the_trigger():
    task = TaskFactory()
    foreign = TaskFactory()

    _refused(lambda: TaskDependency.objects.create(task=task, depends_on=foreign))
    _refused(
        lambda: TaskDependency.objects.bulk_create([TaskDependency(task=task, depends_on=foreign)])
    )
    _refused(lambda: task.depends_on.add(foreign))
    _refused(lambda: foreign.depends_on.add(task))
    assert not TaskDependency.objects.exists()


def test_dependency_repointed_to_another_campaign_is_refused_by_the_trigger():
    task = TaskFactory()
    link = TaskDependency.objects.create(task=task, depends_on=TaskFactory(campaign=task.campaign))
    foreign = TaskFactory()

    _refused(lambda: TaskDependency.objects.filter(pk=link.pk).update(depends_on=foreign))
    _refused(lambda: TaskDependency.objects.filter(pk=link.pk).update(task=foreign))


def test_linked_task_cannot_move_to_another_campaign():
    """Moving either end of a dependency would leave a link across campaigns."""
    task = TaskFactory()
    first = TaskFactory(campaign=task.campaign)
    task.depends_on.add(first)
    elsewhere = CampaignFactory()

    _refused(lambda: Task.objects.filter(pk=task.pk).update(campaign=elsewhere))
    _refused(lambda: Task.objects.filter(pk=first.pk).update(campaign=elsewhere))
    task.refresh_from_db()
    assert task.campaign_id != elsewhere.pk


def test_task_without_dependencies_may_move():
    task = TaskFactory()
    elsewhere = CampaignFactory()

    Task.objects.filter(pk=task.pk).update(campaign=elsewhere, title="Moved")

    task.refresh_from_db()
    assert task.campaign_id == elsewhere.pk


def test_saving_a_linked_task_in_its_own_campaign_is_accepted():
    task = TaskFactory()
    task.depends_on.add(TaskFactory(campaign=task.campaign))

    task.title = "Renamed"
    task.save()

    assert Task.objects.get(pk=task.pk).title == "Renamed"


# --- Assets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0, -1.5])
def test_asset_duration_must_be_positive(seconds):
    campaign = CampaignFactory()

    _refused(
        lambda: Asset.objects.create(
            campaign=campaign, title="Teaser", kind="video", duration_seconds=seconds
        )
    )
    asset = AssetFactory(campaign=campaign, kind="video", duration_seconds=15.0)
    _refused(lambda: Asset.objects.filter(pk=asset.pk).update(duration_seconds=seconds))


def test_asset_without_a_duration_is_accepted():
    assert AssetFactory(duration_seconds=None).duration_seconds is None


def test_unknown_asset_status_and_kind_are_refused():
    asset = AssetFactory()

    _refused(lambda: Asset.objects.create(campaign=asset.campaign, title="X", status="published"))
    _refused(lambda: Asset.objects.create(campaign=asset.campaign, title="X", kind="audio"))
    _refused(lambda: Asset.objects.filter(pk=asset.pk).update(status="live"))
    _refused(lambda: Asset.objects.filter(pk=asset.pk).update(kind="gif"))


def test_asset_may_feature_samples_of_its_own_campaign():
    asset = AssetFactory()
    sample = SampleFactory(campaign=asset.campaign)

    asset.featured_samples.add(sample)

    assert list(asset.featured_samples.all()) == [sample]
    assert list(sample.assets.all()) == [asset]


def test_asset_featuring_a_sample_of_another_campaign_is_refused_by_the_trigger():
    asset = AssetFactory()
    foreign = SampleFactory()
    link = Asset.featured_samples.through

    _refused(lambda: asset.featured_samples.add(foreign))
    _refused(lambda: foreign.assets.add(asset))
    _refused(lambda: link.objects.create(asset=asset, sample=foreign))
    assert not link.objects.exists()


def test_featured_sample_link_repointed_to_another_campaign_is_refused():
    asset = AssetFactory()
    asset.featured_samples.add(SampleFactory(campaign=asset.campaign))
    link = Asset.featured_samples.through.objects.get(asset=asset)
    foreign = SampleFactory()

    _refused(lambda: type(link).objects.filter(pk=link.pk).update(sample=foreign))


def test_featured_sample_and_its_asset_cannot_move_to_another_campaign():
    asset = AssetFactory()
    sample = SampleFactory(campaign=asset.campaign)
    asset.featured_samples.add(sample)
    elsewhere = CampaignFactory()

    _refused(lambda: Sample.objects.filter(pk=sample.pk).update(campaign=elsewhere))
    _refused(lambda: Asset.objects.filter(pk=asset.pk).update(campaign=elsewhere))


def test_unlinked_sample_and_asset_may_move():
    sample = SampleFactory()
    asset = AssetFactory()
    elsewhere = CampaignFactory()

    Sample.objects.filter(pk=sample.pk).update(campaign=elsewhere)
    Asset.objects.filter(pk=asset.pk).update(campaign=elsewhere)

    assert Sample.objects.get(pk=sample.pk).campaign_id == elsewhere.pk
    assert Asset.objects.get(pk=asset.pk).campaign_id == elsewhere.pk


@pytest.mark.parametrize("side", ["width", "height"])
def test_asset_width_and_height_must_be_at_least_one_pixel(side):
    campaign = CampaignFactory()

    _refused(lambda: Asset.objects.create(campaign=campaign, title="Look", **{side: 0}))
    asset = AssetFactory(campaign=campaign, width=1080, height=1350)
    _refused(lambda: Asset.objects.filter(pk=asset.pk).update(**{side: 0}))
    Asset.objects.filter(pk=asset.pk).update(**{side: 1})
    Asset.objects.filter(pk=asset.pk).update(**{side: None})  # unknown size: no check


# --- Visibility querysets --------------------------------------------------------------------


def test_campaign_visibility_follows_membership(cast):
    assert list(Campaign.objects.visible_to(cast.viewer)) == [cast.campaign]
    assert list(Campaign.objects.editable_by(cast.viewer)) == []
    assert list(Campaign.objects.editable_by(cast.editor)) == [cast.campaign]
    assert list(Campaign.objects.owned_by(cast.editor)) == []
    assert list(Campaign.objects.owned_by(cast.owner)) == [cast.campaign]
    assert list(Campaign.objects.visible_to(cast.outsider)) == [cast.other_campaign]
    assert set(Campaign.objects.visible_to(cast.admin)) == {cast.campaign, cast.other_campaign}
    assert list(Campaign.objects.visible_to(None)) == []


def test_rows_of_a_campaign_inherit_its_visibility(cast):
    mine = SampleFactory(campaign=cast.campaign)
    SampleFactory(campaign=cast.other_campaign)

    assert list(Sample.objects.visible_to(cast.viewer)) == [mine]
    assert list(Sample.objects.editable_by(cast.viewer)) == []
    assert list(Sample.objects.editable_by(cast.editor)) == [mine]
    assert Sample.objects.visible_to(cast.admin).count() == 2


def test_memberships_are_seen_with_their_campaign_and_managed_by_its_owners(cast):
    ours = set(CampaignMember.objects.filter(campaign=cast.campaign))
    everyone = set(CampaignMember.objects.all())

    assert set(CampaignMember.objects.visible_to(cast.viewer)) == ours
    assert set(CampaignMember.objects.editable_by(cast.owner)) == ours
    assert list(CampaignMember.objects.editable_by(cast.editor)) == []
    assert list(CampaignMember.objects.visible_to(None)) == []
    for unrestricted in (cast.admin, ServicePrincipal()):
        assert set(CampaignMember.objects.visible_to(unrestricted)) == everyone
        assert set(CampaignMember.objects.editable_by(unrestricted)) == everyone
