"""Retention: `purge_conversations` deletes each user's turns older than their
`conversation_history_retention_days` (default 90), in bounded batches, and nothing else;
`purge_insights` deletes expired cache entries only. Both are cron jobs (README: Operations)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assistant.cache import insights_purge
from assistant.models import Conversation, Insight
from assistant.retention import DEFAULT_RETENTION_DAYS, conversations_purge
from assistant.tests.factories import ConversationFactory, InsightFactory, PreferencesFactory
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=500_000)
MICROSECOND = timedelta(microseconds=1)


def _turn(user, *, age: timedelta, now=NOW) -> Conversation:
    return ConversationFactory(user=user, created_at=now - age)


def _deletes_of(captured, table: str) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith(f'DELETE FROM "{table}"')
    ]


def _left(*turns) -> set:
    return set(
        Conversation.objects.filter(pk__in=[t.pk for t in turns]).values_list("pk", flat=True)
    )


# --- the boundaries ------------------------------------------------------------------------


def test_a_turn_exactly_at_the_default_age_is_kept_and_a_microsecond_older_goes():
    user = UserFactory()
    at_limit = _turn(user, age=timedelta(days=90))
    just_over = _turn(user, age=timedelta(days=90) + MICROSECOND)
    recent = _turn(user, age=timedelta(days=1))

    deleted = conversations_purge(now=NOW)

    assert deleted == {90: 1}
    assert _left(at_limit, just_over, recent) == {at_limit.pk, recent.pk}


def test_the_default_is_90_days():
    assert DEFAULT_RETENTION_DAYS == 90


def test_a_user_with_7_days_keeps_7_days_while_the_default_user_keeps_90():
    short = UserFactory()
    PreferencesFactory(user=short, conversation_history_retention_days=7)
    default = UserFactory()
    short_at_limit = _turn(short, age=timedelta(days=7))
    short_over = _turn(short, age=timedelta(days=7) + MICROSECOND)
    short_month = _turn(short, age=timedelta(days=30))
    default_month = _turn(default, age=timedelta(days=30))
    default_over = _turn(default, age=timedelta(days=91))

    deleted = conversations_purge(now=NOW)

    assert deleted == {7: 2, 90: 1}
    assert _left(short_at_limit, short_over, short_month, default_month, default_over) == {
        short_at_limit.pk,
        default_month.pk,
    }


def test_a_user_with_a_longer_retention_keeps_turns_the_default_would_delete():
    long = UserFactory()
    PreferencesFactory(user=long, conversation_history_retention_days=365)
    kept = _turn(long, age=timedelta(days=200))
    gone = _turn(long, age=timedelta(days=365) + MICROSECOND)

    deleted = conversations_purge(now=NOW)

    assert deleted == {365: 1}
    assert _left(kept, gone) == {kept.pk}


def test_preferences_left_at_the_default_behave_like_no_preferences():
    user = UserFactory()
    PreferencesFactory(user=user)  # 90 days
    kept = _turn(user, age=timedelta(days=90))
    gone = _turn(user, age=timedelta(days=90) + MICROSECOND)

    assert conversations_purge(now=NOW) == {90: 1}
    assert _left(kept, gone) == {kept.pk}


def test_other_users_are_untouched():
    purged = UserFactory()
    PreferencesFactory(user=purged, conversation_history_retention_days=1)
    bystanders = [UserFactory() for _ in range(3)]
    PreferencesFactory(user=bystanders[0], conversation_history_retention_days=30)
    theirs = [_turn(user, age=timedelta(days=age)) for user in bystanders for age in (2, 20)]
    _turn(purged, age=timedelta(days=2))

    deleted = conversations_purge(now=NOW)

    assert deleted == {1: 1}
    assert _left(*theirs) == {turn.pk for turn in theirs}
    assert not Conversation.objects.filter(user=purged).exists()


def test_nothing_expired_deletes_nothing_and_says_so():
    user = UserFactory()
    _turn(user, age=timedelta(days=3))

    with CaptureQueriesContext(connection) as captured:
        assert conversations_purge(now=NOW) == {}

    assert _deletes_of(captured, "assistant_conversations") == []
    assert Conversation.objects.count() == 1


# --- batches -------------------------------------------------------------------------------


def test_batches_of_two_delete_five_rows_in_three_statements():
    user = UserFactory()
    for days in range(100, 105):
        _turn(user, age=timedelta(days=days))
    kept = _turn(user, age=timedelta(days=10))

    with CaptureQueriesContext(connection) as captured:
        deleted = conversations_purge(now=NOW, batch_size=2)

    assert deleted == {90: 5}
    assert len(_deletes_of(captured, "assistant_conversations")) == 3
    assert list(Conversation.objects.values_list("pk", flat=True)) == [kept.pk]


def test_each_policy_is_batched_on_its_own():
    short = UserFactory()
    PreferencesFactory(user=short, conversation_history_retention_days=7)
    default = UserFactory()
    for days in (8, 9, 10):
        _turn(short, age=timedelta(days=days))
    for days in (95, 96, 97):
        _turn(default, age=timedelta(days=days))

    with CaptureQueriesContext(connection) as captured:
        deleted = conversations_purge(now=NOW, batch_size=2)

    assert deleted == {7: 3, 90: 3}
    assert len(_deletes_of(captured, "assistant_conversations")) == 4  # 2 + 2
    assert not Conversation.objects.exists()


def test_the_statements_stay_few_whatever_the_number_of_users():
    # One query for the custom policies, then per policy a select and a delete per batch: the
    # number of users does not matter.
    def queries_for(users: int) -> int:
        Conversation.objects.all().delete()
        for _ in range(users):
            _turn(UserFactory(), age=timedelta(days=120))
        with CaptureQueriesContext(connection) as captured:
            conversations_purge(now=NOW)
        return len(captured.captured_queries)

    assert queries_for(1) == queries_for(20)


# --- the command ---------------------------------------------------------------------------


def test_purge_conversations_reports_each_policy_and_the_total():
    now = timezone.now()
    short = UserFactory()
    PreferencesFactory(user=short, conversation_history_retention_days=7)
    default = UserFactory()
    _turn(short, age=timedelta(days=8), now=now)
    _turn(short, age=timedelta(days=1), now=now)
    for days in (100, 120, 140):
        _turn(default, age=timedelta(days=days), now=now)
    _turn(default, age=timedelta(days=80), now=now)
    out = StringIO()

    call_command("purge_conversations", "--batch-size", "2", stdout=out)

    assert out.getvalue().splitlines() == [
        "  retention 7 days: deleted 1",
        "  retention 90 days: deleted 3",
        "Deleted 4 conversation(s).",
    ]
    assert Conversation.objects.count() == 2


def test_purge_conversations_with_nothing_to_delete():
    _turn(UserFactory(), age=timedelta(days=1), now=timezone.now())
    out = StringIO()

    call_command("purge_conversations", stdout=out)

    assert out.getvalue() == "Deleted 0 conversation(s).\n"
    assert Conversation.objects.count() == 1


# --- purge_insights ------------------------------------------------------------------------


def test_an_insight_expiring_exactly_now_is_purged_and_one_a_microsecond_later_is_kept():
    expiring_now = InsightFactory(expires_at=NOW)
    expiring_later = InsightFactory(expires_at=NOW + MICROSECOND)
    expired = InsightFactory(expires_at=NOW - timedelta(hours=2))

    assert insights_purge(now=NOW) == 2
    assert set(Insight.objects.values_list("pk", flat=True)) == {expiring_later.pk}
    assert not Insight.objects.filter(pk__in=[expiring_now.pk, expired.pk]).exists()


def test_purge_insights_batches_of_two_delete_five_rows_in_three_statements():
    for minutes in range(1, 6):
        InsightFactory(expires_at=NOW - timedelta(minutes=minutes))
    live = InsightFactory(expires_at=NOW + timedelta(minutes=30))

    with CaptureQueriesContext(connection) as captured:
        assert insights_purge(now=NOW, batch_size=2) == 5

    assert len(_deletes_of(captured, "assistant_insights")) == 3
    assert list(Insight.objects.values_list("pk", flat=True)) == [live.pk]


def test_purge_insights_takes_every_users_expired_entries_and_no_live_one():
    users = [UserFactory() for _ in range(3)]
    for user in users:
        InsightFactory(user=user, expires_at=NOW - timedelta(seconds=1))
        InsightFactory(user=user, expires_at=NOW + timedelta(hours=1))

    assert insights_purge(now=NOW) == 3
    assert Insight.objects.filter(expires_at__gt=NOW).count() == 3
    assert Insight.objects.count() == 3


def test_purge_insights_command_reports_the_count():
    now = timezone.now()
    InsightFactory.create_batch(3, expires_at=now - timedelta(minutes=1))
    InsightFactory(expires_at=now + timedelta(minutes=30))
    out = StringIO()

    call_command("purge_insights", "--batch-size", "2", stdout=out)

    assert out.getvalue() == "Deleted 3 expired insight(s).\n"
    assert Insight.objects.count() == 1


def test_purging_leaves_the_other_table_alone():
    user = UserFactory()
    turn = _turn(user, age=timedelta(days=200))
    entry = InsightFactory(user=user, expires_at=NOW + timedelta(hours=1))

    insights_purge(now=NOW)
    assert Conversation.objects.filter(pk=turn.pk).exists()

    conversations_purge(now=NOW)
    assert Insight.objects.filter(pk=entry.pk).exists()
