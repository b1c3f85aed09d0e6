"""/api/v1/analytics/events: one event in one INSERT, a batch in one COPY (PostgreSQL) or one
bulk insert (SQLite); whose event it is comes from the token; reads are scoped."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import services
from analytics.models import AnalyticsEvent
from analytics.services import CODE_OTHER_USER
from analytics.tests.factories import AnalyticsEventFactory
from analytics.views import CODE_TOO_MANY_EVENTS
from fashionos.api.parsers import MSG_NUMBER_TOO_BIG
from fashionos.testing.clients import session_queries_warm, session_warm

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/events"


def test_one_event_is_recorded_for_the_caller(cast):
    session = uuid.uuid4()
    body = {
        "event_type": "assistant_opened",
        "event_data": {"source": "fab"},
        "page_route": "/sample-tracker",
        "kit_context": "logistics",
        "session_id": str(session),
    }
    reply = cast.client("editor").post(URL, body, format="json")
    assert reply.status_code == 201, reply.content
    assert reply.json()["count"] == 1
    event = AnalyticsEvent.objects.get(pk=reply.json()["ids"][0])
    assert event.user == cast.editor
    assert (event.event_data, event.session_id) == ({"source": "fab"}, session)


def test_a_batch_of_1000_is_one_copy_or_one_bulk_insert(cast):
    client = session_warm(cast.client("owner"))
    events = [{"event_type": f"e{i % 7}", "user_id": str(cast.owner.pk)} for i in range(1000)]
    with CaptureQueriesContext(connection) as queries:
        reply = client.post(URL, events, format="json")
    assert reply.status_code == 201, reply.content
    assert reply.json()["count"] == 1000
    inserts = [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    inserts = [q for q in inserts if "analytics_events" in q["sql"]]
    if connection.vendor == "postgresql":  # one COPY and nothing else
        statements = [q["sql"].split()[0] for q in queries]
        assert statements == ["SELECT"] * session_queries_warm() + ["COPY"], statements
        assert queries[-1]["sql"].startswith('COPY "analytics_events"')
    else:  # SQLite's bound on query parameters splits the one bulk_create into batches
        assert 1 <= len(inserts) <= 10
    assert AnalyticsEvent.objects.filter(user=cast.owner).count() == 1000


def test_one_event_is_one_insert_without_begin_or_commit(cast):
    client = session_warm(cast.client("owner"))
    with CaptureQueriesContext(connection) as queries:
        reply = client.post(URL, {"event_type": "x", "kit_context": "media"}, format="json")
    assert reply.status_code == 201, reply.content
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries]
    # One INSERT and nothing around it (no SAVEPOINT under the test's transaction, so no
    # BEGIN/COMMIT outside one); the session read where it is not cached.
    assert statements == ["SELECT"] * session_queries_warm() + ["INSERT"]


def test_more_than_1000_is_a_413_and_records_nothing(cast):
    reply = cast.client("owner").post(URL, [{"event_type": "x"}] * 1001, format="json")
    assert reply.status_code == 413
    assert reply.json()["code"] == CODE_TOO_MANY_EVENTS
    assert not AnalyticsEvent.objects.exists()


def test_anonymous_events_have_no_user(cast):
    reply = cast.client("anon").post(URL, {"event_type": "landing_viewed"}, format="json")
    assert reply.status_code == 201
    assert AnalyticsEvent.objects.get().user is None
    naming = {"event_type": "x", "user_id": str(cast.owner.pk)}
    assert cast.client("anon").post(URL, naming, format="json").status_code == 403


def test_a_user_cannot_record_for_another(cast):
    batch = [{"event_type": "ok"}, {"event_type": "sneaky", "user_id": str(cast.owner.pk)}]
    reply = cast.client("viewer").post(URL, batch, format="json")
    assert reply.status_code == 403
    assert reply.json()["code"] == CODE_OTHER_USER
    assert not AnalyticsEvent.objects.exists()


def test_null_user_id_from_a_user_is_recorded_as_theirs(cast):
    reply = cast.client("viewer").post(URL, {"event_type": "x", "user_id": None}, format="json")
    assert reply.status_code == 201
    assert AnalyticsEvent.objects.get().user == cast.viewer


def test_the_service_role_records_for_anyone(cast):
    batch = [
        {"event_type": "job", "user_id": str(cast.owner.pk)},
        {"event_type": "job", "user_id": None},
        {"event_type": "job"},
    ]
    reply = cast.client("service").post(URL, batch, format="json")
    assert reply.status_code == 201
    users = sorted(str(e.user_id) for e in AnalyticsEvent.objects.all())
    assert users == sorted([str(cast.owner.pk), "None", "None"])
    unknown = {"event_type": "job", "user_id": str(uuid.uuid4())}
    reply = cast.client("service").post(URL, unknown, format="json")
    assert reply.status_code == 400
    assert "user_id" in reply.json()["details"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        "event",
        42,
        {"event_type": ""},
        {"event_type": "x" * 101},
        {"event_type": "x", "event_data": ["not", "an", "object"]},
        {"event_type": "x", "event_data": {"blob": "y" * 17000}},
        {"event_type": "x", "kit_context": "shopping"},
        {"event_type": "x", "session_id": "abc"},
        {"event_type": "x", "user_id": "me"},
        {"event_type": "x", "page_route": "/" * 501},
        [{"event_type": "ok"}, {"event_type": 7, "kit_context": "shopping"}],
        # Unhashable or non-text values where the fast path compares or hashes them.
        {"event_type": "x", "kit_context": []},
        {"event_type": "x", "kit_context": {}},
        {"event_type": "x", "kit_context": 1},
        {"event_type": ["x"]},
        {"event_type": {"x": 1}},
        {"event_type": "x", "page_route": []},
        {"event_type": "x", "page_route": {}},
        {"event_type": "x", "session_id": []},
        {"event_type": "x", "session_id": {}},
        {"event_type": "x", "session_id": 2**100},
        {"event_type": "x", "user_id": {}},
        [{"event_type": "ok"}, {"event_type": "x", "kit_context": []}],
        [{"event_type": "ok"}, ["nested"]],
    ],
)
@pytest.mark.parametrize("role", ["owner", "anon"])
def test_bad_events_are_a_400_and_nothing_is_recorded(cast, body, role):
    reply = cast.client(role).post(URL, body, format="json")
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "VALIDATION_ERROR"
    assert not AnalyticsEvent.objects.exists()


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 400 + ".0", "1.0e999999"])
@pytest.mark.parametrize("role", ["owner", "anon"])
def test_a_number_too_big_for_a_float_is_a_400_and_nothing_is_recorded(cast, role, number):
    for raw in (
        '{"event_type": "x", "event_data": {"n": NUMBER}}'.replace("NUMBER", number),
        '[{"event_type": "x", "event_data": {"deep": [{"n": NUMBER}]}}]'.replace("NUMBER", number),
    ):
        reply = cast.client(role).generic("POST", URL, raw, content_type="application/json")
        assert reply.status_code == 400, reply.content
        assert reply.json() == {"error": MSG_NUMBER_TOO_BIG, "code": "MALFORMED_REQUEST"}
    assert not AnalyticsEvent.objects.exists()


def test_big_finite_numbers_and_integers_are_kept(cast):
    big = "9" * 100
    raw = '{"event_type": "x", "event_data": {"f": 1.5e308, "i": BIG, "tiny": 1e-400}}'
    raw = raw.replace("BIG", big)
    reply = cast.client("owner").generic("POST", URL, raw, content_type="application/json")
    assert reply.status_code == 201, reply.content
    data = AnalyticsEvent.objects.get().event_data
    # jsonb keeps numbers as numerics: 1.5e308 may come back written out as an integer.
    assert (float(data["f"]), data["i"], data["tiny"]) == (1.5e308, int(big), 0.0)


def test_reads_are_scoped(cast):
    AnalyticsEventFactory(user=cast.owner)
    AnalyticsEventFactory(user=cast.editor)
    AnalyticsEventFactory(user=None)
    own = cast.client("owner").get(URL).json()["results"]
    assert [row["user"] for row in own] == [str(cast.owner.pk)]
    assert cast.client("admin").get(URL).json()["count"] == 3
    assert cast.client("service").get(URL).json()["count"] == 3
    assert cast.client("anon").get(URL).status_code == 401


def test_filters(cast):
    session = uuid.uuid4()
    AnalyticsEventFactory(user=cast.owner, event_type="a", kit_context="media", session_id=session)
    AnalyticsEventFactory(user=cast.owner, event_type="b", kit_context="events")
    client = cast.client("admin")

    def types(query: str) -> list[str]:
        reply = client.get(f"{URL}?{query}")
        assert reply.status_code == 200, reply.content
        return [row["event_type"] for row in reply.json()["results"]]

    assert types("event_type=a") == ["a"]
    assert types("kit_context=events") == ["b"]
    assert types(f"session_id={session}") == ["a"]
    assert types("since=2999-01-01T00:00:00Z") == []
    assert sorted(types(f"user={cast.owner.pk}")) == ["a", "b"]
    for bad in ("kit_context=tv", "session_id=1", "since=yesterday", "user=me"):
        assert client.get(f"{URL}?{bad}").status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_stores_the_same_rows_as_a_bulk_insert(cast, monkeypatch):
    """The COPY path and the bulk insert it replaced store identical rows, for every column
    and value shape (nested JSON, unicode, nulls, the service role naming users)."""
    events = [
        {
            "event_type": f"type {i}",
            "event_data": {"n": i, "nested": {"list": [1, 2.5, None, True]}, "text": "Crêpe 👗"}
            if i % 2
            else {},
            "page_route": None if i % 3 else f"/route/{i}",
            "kit_context": [None, "logistics", "events", "media", "general"][i % 5],
            "session_id": str(uuid.uuid4()) if i % 4 else None,
            "user_id": str(cast.owner.pk) if i % 2 else None,
        }
        for i in range(40)
    ]
    client = cast.client("service")

    def stored() -> list[tuple]:
        rows = AnalyticsEvent.objects.filter(event_type__startswith="type ").order_by("event_type")
        values = list(
            rows.values_list(
                "user_id", "event_type", "event_data", "page_route", "kit_context", "session_id"
            )
        )
        rows.delete()
        return values

    assert client.post(URL, events, format="json").status_code == 201
    copied = stored()
    monkeypatch.setattr(services, "_copy_available", lambda: False)  # the bulk insert instead
    assert client.post(URL, events, format="json").status_code == 201
    assert stored() == copied
    assert len(copied) == 40
