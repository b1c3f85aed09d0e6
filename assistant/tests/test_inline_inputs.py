"""The analyzers' inline dates (assistant/inline_inputs.py), through every endpoint that
takes them: naive date-times and bare dates are read as UTC (they used to be a 500), and a
year the analyzers could overflow on is a 400 naming the field, before anything is analysed
or cached."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assistant.inline_inputs import (
    MAX_DURATION_MINUTES,
    MAX_TASKS,
    MSG_DATE,
    MSG_YEAR_RANGE,
    YEAR_MAX,
    YEAR_MIN,
    InputErrors,
    date_parse,
    datetime_parse,
)
from assistant.models import Conversation, Insight

pytestmark = pytest.mark.django_db

CHAT = "/api/v1/assistant/chat"
LOGISTICS = "/api/v1/assistant/analyze/logistics"
EVENTS = "/api/v1/assistant/analyze/events"
MEDIA = "/api/v1/assistant/analyze/media"
FN_LOGISTICS = "/functions/v1/logistics-analyzer"
FN_EVENTS = "/functions/v1/events-optimizer"
FN_MEDIA = "/functions/v1/media-scorer"
FN_RECOMMENDATIONS = "/functions/v1/recommendations"
FN_CHAT = "/functions/v1/chat-orchestrator"


def _sample(**fields):
    return {"id": "s1", "name": "Silk Gown", "status": "delayed", "isHero": True, **fields}


def _task(**fields):
    return {"id": "t1", "title": "Build set", "durationMinutes": 60, **fields}


def _asset(**fields):
    return {"id": "a1", "title": "Portrait", "status": "approved", "width": 1080, **fields}


# Every date-time field of the inline shapes: (path, body with the value put in, the field the
# error names). snake_case spellings go through the same parser.
DATETIME_FIELDS = [
    (LOGISTICS, lambda v: {"sampleList": [_sample(eta=v)]}, "sampleList[0].eta"),
    (FN_LOGISTICS, lambda v: {"sampleList": [_sample(arrivedAt=v)]}, "sampleList[0].arrivedAt"),
    (LOGISTICS, lambda v: {"sampleList": [_sample(arrived_at=v)]}, "sampleList[0].arrivedAt"),
    (EVENTS, lambda v: {"tasks": [_task(earliestStart=v)]}, "tasks[0].earliestStart"),
    (FN_EVENTS, lambda v: {"tasks": [_task(earliest_start=v)]}, "tasks[0].earliestStart"),
    (EVENTS, lambda v: {"tasks": [_task(deadline=v)]}, "tasks[0].deadline"),
    (EVENTS, lambda v: {"tasks": [_task()], "startAt": v}, "startAt"),
    (FN_EVENTS, lambda v: {"tasks": [_task()], "startAt": v}, "startAt"),
    (MEDIA, lambda v: {"assets": [_asset(rightsExpireAt=v)]}, "assets[0].rightsExpireAt"),
    (FN_MEDIA, lambda v: {"assets": [_asset(rights_expire_at=v)]}, "assets[0].rightsExpireAt"),
    (FN_RECOMMENDATIONS, lambda v: {"sampleList": [_sample(eta=v)]}, "sampleList[0].eta"),
    (FN_RECOMMENDATIONS, lambda v: {"tasks": [_task(deadline=v)]}, "tasks[0].deadline"),
    (FN_RECOMMENDATIONS, lambda v: {"assets": [_asset(rightsExpireAt=v)]},
     "assets[0].rightsExpireAt"),
]  # fmt: skip
# shootDate is a date, taken by every endpoint of analysis_source.
DATE_FIELDS = [
    (path, lambda v, body=body: {**body, "shootDate": v}, "shootDate")
    for path, body in [
        (MEDIA, {"assets": [_asset()]}),
        (FN_MEDIA, {"assets": [_asset()]}),
        (LOGISTICS, {"sampleList": [_sample()]}),
        (FN_RECOMMENDATIONS, {"sampleList": [_sample()]}),
    ]
]
# The chat takes the same inline lists in userContext.
CHAT_FIELDS = [
    (path, lambda v, key=key, item=item: {"userContext": {key: [item(v)]}}, field)
    for path in (CHAT, FN_CHAT)
    for key, item, field in [
        ("sampleList", lambda v: _sample(eta=v), "userContext.sampleList[0].eta"),
        ("sampleList", lambda v: _sample(arrivedAt=v), "userContext.sampleList[0].arrivedAt"),
        ("tasks", lambda v: _task(earliestStart=v), "userContext.tasks[0].earliestStart"),
        ("tasks", lambda v: _task(deadline=v), "userContext.tasks[0].deadline"),
        ("assets", lambda v: _asset(rightsExpireAt=v), "userContext.assets[0].rightsExpireAt"),
    ]
]
CHAT_QUESTION = {"message": "Are we ready?", "currentKit": "logistics"}


def _post(client, path, body):
    if path in (CHAT, FN_CHAT):
        body = {**CHAT_QUESTION, **body}
    return client.post(path, body, format="json")


def _refused(response, field: str) -> dict:
    body = response.json()
    assert response.status_code == 400, body
    assert body["code"] == "VALIDATION_ERROR"
    assert field in body["details"], body
    return body


@pytest.mark.parametrize("value", ["2025-06-01", "2025-06-01T10:00:00", "2025-06-01 10:00"])
@pytest.mark.parametrize(("path", "build", "field"), DATETIME_FIELDS + CHAT_FIELDS)
def test_a_naive_date_time_is_read_as_utc(cast, frozen_clock, path, build, field, value):
    response = _post(cast.client("owner"), path, build(value))

    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(("path", "build", "field"), DATE_FIELDS)
def test_a_shoot_date_is_a_date(cast, frozen_clock, path, build, field):
    assert _post(cast.client("owner"), path, build("2025-06-01")).status_code == 200

    body = _refused(_post(cast.client("owner"), path, build("2025-06-01T10:00:00")), field)
    assert body["details"][field] == [MSG_DATE]


OUT_OF_RANGE = [
    "9999-12-31T00:00:00Z",
    "9999-12-31T23:59Z",
    "9999-12-31",
    "0001-01-01T00:00:00+05:00",
    f"{YEAR_MAX + 1}-01-01",
    f"{YEAR_MIN - 1}-12-31T23:59:59Z",
]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize(("path", "build", "field"), DATETIME_FIELDS + DATE_FIELDS + CHAT_FIELDS)
def test_a_year_out_of_range_is_a_400_naming_the_field(cast, path, build, field, value):
    if field == "shootDate":
        value = value.split("T")[0]

    body = _refused(_post(cast.client("owner"), path, build(value)), field)

    assert body["details"][field] == [MSG_YEAR_RANGE]
    assert Insight.objects.count() == 0
    assert Conversation.objects.count() == 0


def test_the_longest_schedule_from_the_last_year_does_not_overflow(cast, frozen_clock):
    """What the audit found overflowing: the latest start, then as many of the longest tasks
    as are taken, one after the other."""
    tasks = [
        _task(id=f"t{n}", durationMinutes=MAX_DURATION_MINUTES, earliestStart="2100-12-31T23:59Z")
        | ({"dependsOn": [f"t{n - 1}"]} if n else {})
        for n in range(MAX_TASKS)
    ]

    response = cast.client("owner").post(
        EVENTS, {"tasks": tasks, "startAt": "2100-12-31T23:59-05:00"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["totalDuration"] == MAX_TASKS * MAX_DURATION_MINUTES


@pytest.mark.parametrize("duration", [MAX_DURATION_MINUTES + 1, 10**12, 0])
def test_a_task_duration_out_of_range_is_a_400(cast, duration):
    body = {"tasks": [_task(durationMinutes=duration, earliestStart="2100-01-01T00:00:00Z")]}

    _refused(cast.client("owner").post(EVENTS, body, format="json"), "tasks[0].durationMinutes")


# --- the parsers themselves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-01", datetime(2025, 6, 1, tzinfo=UTC)),
        ("2025-06-01T10:00:00", datetime(2025, 6, 1, 10, tzinfo=UTC)),
        ("2025-06-01T10:00:00Z", datetime(2025, 6, 1, 10, tzinfo=UTC)),
        ("2025-06-01T12:00:00+02:00", datetime(2025, 6, 1, 10, tzinfo=UTC)),
        (f"{YEAR_MIN}-01-01T00:00:00", datetime(YEAR_MIN, 1, 1, tzinfo=UTC)),
        (None, None),
        ("", None),
    ],
)
def test_datetime_parse_answers_an_aware_date_time(value, expected):
    errors = InputErrors()

    parsed = datetime_parse(value, "at", errors)

    assert parsed == expected
    assert parsed is None or parsed.utcoffset() is not None
    assert not errors.details


@pytest.mark.parametrize("value", ["soon", 5, 1.5, [], {}, True, "2025-13-01", "2025-06-01T25:00"])
def test_datetime_parse_refuses_what_is_not_a_date_time(value):
    errors = InputErrors()

    assert datetime_parse(value, "at", errors) is None
    assert list(errors.details) == ["at"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-06-01", date(2025, 6, 1)), (f"{YEAR_MAX}-12-31", date(YEAR_MAX, 12, 31))],
)
def test_date_parse_answers_a_date(value, expected):
    errors = InputErrors()

    assert date_parse(value, "day", errors) == expected
    assert not errors.details


@pytest.mark.parametrize("value", ["9999-12-31", "1969-12-31", 20250601, ["2025-06-01"]])
def test_date_parse_refuses_other_values(value):
    errors = InputErrors()

    assert date_parse(value, "day", errors) is None
    assert list(errors.details) == ["day"]
