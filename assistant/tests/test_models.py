"""The assistant's tables keep the original names and indexes, and the database refuses what
the original schema (and a user) would not expect: a duplicated insight key, a retention
outside 1..3650 days."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assistant.models import Conversation, Insight, UserPreferences
from assistant.tests.factories import ConversationFactory, InsightFactory, PreferencesFactory
from fashionos.principals import ServicePrincipal
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def _constraints(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.parametrize(
    ("model", "table"),
    [
        (Conversation, "assistant_conversations"),
        (Insight, "assistant_insights"),
        (UserPreferences, "user_preferences"),
    ],
)
def test_tables_keep_the_original_names(model, table):
    assert model._meta.db_table == table
    assert table in connection.introspection.table_names()


@pytest.mark.parametrize(
    ("table", "index", "columns", "orders"),
    [
        (
            "assistant_conversations",
            "idx_conversations_user",
            ["user_id", "created_at"],
            ["ASC", "DESC"],
        ),
        ("assistant_conversations", "idx_conversations_session", ["session_id"], ["ASC"]),
        ("assistant_conversations", "idx_conversations_kit", ["kit_context"], ["ASC"]),
        ("assistant_insights", "idx_insights_expiry", ["expires_at"], ["ASC"]),
    ],
)
def test_original_indexes_exist(table, index, columns, orders):
    found = _constraints(table)

    assert index in found
    assert found[index]["index"] is True
    assert found[index]["columns"] == columns
    assert found[index]["orders"] == orders


def test_insight_lookup_index_is_unique():
    found = _constraints("assistant_insights")["idx_insights_lookup"]

    assert found["unique"] is True
    assert found["columns"] == ["user_id", "insight_type", "context_id"]


def test_duplicate_insight_key_is_refused():
    insight = InsightFactory()

    def duplicate():
        Insight.objects.create(
            user=insight.user,
            insight_type=insight.insight_type,
            context_id=insight.context_id,
            data={"other": True},
            expires_at=timezone.now() + timedelta(hours=1),
        )

    _refused(duplicate)
    assert Insight.objects.count() == 1


def test_insight_key_differs_by_user_type_or_context():
    insight = InsightFactory()
    later = timezone.now() + timedelta(hours=1)

    Insight.objects.bulk_create(
        [
            Insight(
                user=UserFactory(),
                insight_type=insight.insight_type,
                context_id=insight.context_id,
                data={},
                expires_at=later,
            ),
            Insight(
                user=insight.user,
                insight_type="media_scores",
                context_id=insight.context_id,
                data={},
                expires_at=later,
            ),
            Insight(
                user=insight.user,
                insight_type=insight.insight_type,
                context_id="another-input",
                data={},
                expires_at=later,
            ),
        ]
    )

    assert Insight.objects.count() == 4


@pytest.mark.parametrize("days", [0, 3651])
def test_retention_days_outside_1_to_3650_are_refused(days):
    user = UserFactory()

    _refused(
        lambda: UserPreferences.objects.create(user=user, conversation_history_retention_days=days)
    )
    preferences = PreferencesFactory()
    _refused(
        lambda: UserPreferences.objects.filter(pk=preferences.pk).update(
            conversation_history_retention_days=days
        )
    )
    preferences.refresh_from_db()
    assert preferences.conversation_history_retention_days == 90


@pytest.mark.parametrize("days", [1, 3650])
def test_retention_day_bounds_are_accepted(days):
    preferences = PreferencesFactory(conversation_history_retention_days=days)

    preferences.refresh_from_db()
    assert preferences.conversation_history_retention_days == days


def test_preferences_defaults_and_json_lists():
    preferences = PreferencesFactory(kit_order=["media", "logistics"])

    preferences.refresh_from_db()
    assert preferences.kit_order == ["media", "logistics"]
    assert preferences.favorite_actions == []
    assert preferences.notification_preferences == {}
    assert preferences.auto_suggestions_enabled is True
    assert preferences.default_kit is None


def test_one_preferences_row_per_user():
    preferences = PreferencesFactory()

    _refused(lambda: UserPreferences.objects.create(user=preferences.user))


def test_deleting_a_user_deletes_their_conversations_insights_and_preferences():
    user = UserFactory()
    ConversationFactory(user=user)
    InsightFactory(user=user)
    PreferencesFactory(user=user)

    user.delete()

    assert not Conversation.objects.exists()
    assert not Insight.objects.exists()
    assert not UserPreferences.objects.exists()


def test_conversation_requires_a_user_and_a_response():
    user = UserFactory()

    _refused(
        lambda: Conversation.objects.create(
            user=None, session_id=user.pk, message="hi", response={}, kit_context="general"
        )
    )
    _refused(
        lambda: Conversation.objects.create(
            user=user, session_id=user.pk, message="hi", response=None, kit_context="general"
        )
    )


def test_visibility_is_own_rows_only_and_every_row_for_the_service_role():
    mine = ConversationFactory()
    theirs = ConversationFactory()
    staff = UserFactory(is_staff=True)

    assert list(Conversation.objects.visible_to(mine.user)) == [mine]
    assert list(Conversation.objects.visible_to(None)) == []
    assert list(Conversation.objects.visible_to(staff)) == []
    assert set(Conversation.objects.visible_to(ServicePrincipal())) == {mine, theirs}


def test_only_the_owner_may_give_feedback():
    mine = ConversationFactory()
    ConversationFactory()

    assert list(Conversation.objects.editable_by(mine.user)) == [mine]
    assert not Conversation.objects.editable_by(ServicePrincipal()).exists()
    assert not Conversation.objects.editable_by(UserFactory(is_staff=True)).exists()


def test_insights_are_changed_by_the_service_role_only():
    insight = InsightFactory()

    assert list(Insight.objects.visible_to(insight.user)) == [insight]
    assert not Insight.objects.editable_by(insight.user).exists()
    assert list(Insight.objects.editable_by(ServicePrincipal())) == [insight]


def test_preferences_are_read_and_changed_by_their_user():
    mine = PreferencesFactory()
    theirs = PreferencesFactory()

    for rows in (UserPreferences.objects.visible_to, UserPreferences.objects.editable_by):
        assert list(rows(mine.user)) == [mine]
        assert list(rows(None)) == []
        assert set(rows(ServicePrincipal())) == {mine, theirs}
    assert not UserPreferences.objects.visible_to(UserFactory(is_staff=True)).exists()


@pytest.mark.parametrize("kit", ["shopping", "", "Logistics"])
def test_a_conversation_kit_outside_the_kits_is_refused(kit):
    user = UserFactory()

    _refused(
        lambda: Conversation.objects.create(
            user=user, session_id=user.pk, message="hi", response={}, kit_context=kit
        )
    )


@pytest.mark.parametrize("kit", ["logistics", "events", "media", "general"])
def test_every_kit_is_accepted_in_conversations_and_preferences(kit):
    ConversationFactory(kit_context=kit)
    PreferencesFactory(default_kit=kit)


@pytest.mark.parametrize("kit", ["shopping", ""])
def test_a_default_kit_outside_the_kits_is_refused(kit):
    preferences = PreferencesFactory(default_kit=None)

    _refused(lambda: UserPreferences.objects.filter(pk=preferences.pk).update(default_kit=kit))
