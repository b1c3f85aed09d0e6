"""Every field of every endpoint that takes a JSON body, sent with values of the wrong type:
a list, an object, a number too big for a float (1e400), a very long string and null (where
the field may not be null). Each is a 400 in the envelope (GoTrue's shape under /auth/v1)
and writes nothing.

The schema-driven fuzz (test_api_fuzz.py) only knows the fields the OpenAPI schema documents;
this table also reaches the fields inside the analyzers' and the chat's inline lists, and
the endpoints the fuzz leaves out (sign-in, /functions/v1)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from analytics.models import AnalyticsEvent
from assistant.models import Conversation, Insight, UserPreferences
from fashionos.accounts.models import AuthSession, RefreshToken
from fashionos.testing.factories import TEST_PASSWORD
from logistics.models import Asset, Campaign, CampaignMember, Sample, Task, TaskDependency
from tests.world import world_create

pytestmark = pytest.mark.django_db

HUGE = "__HUGE__"  # replaced by the literal 1e400 in the raw body (no Python value encodes to it)
LONG = "x" * 100_000
WRONG_VALUES = {"list": [], "object": {}, "huge": HUGE, "long": LONG, "null": None}

MODELS = [
    Campaign,
    CampaignMember,
    Sample,
    Task,
    TaskDependency,
    Asset,
    AnalyticsEvent,
    Conversation,
    Insight,
    UserPreferences,
    AuthSession,
    RefreshToken,
]


@dataclass(frozen=True)
class F:
    """A field: its JSON kind ("text", "list", "object" or "other") and whether null is a
    value it takes (a list or an object is never wrong for a field of that kind)."""

    kind: str = "text"
    nullable: bool = False

    def wrong(self) -> list[str]:
        names = ["huge", "long"]
        names += [] if self.kind == "list" else ["list"]
        names += [] if self.kind == "object" else ["object"]
        names += [] if self.nullable else ["null"]
        return names


TEXT, OTHER, LIST, OBJECT = F(), F("other"), F("list"), F("object")
NULLABLE, NULLABLE_LIST, NULLABLE_OBJECT = F("other", True), F("list", True), F("object", True)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: str  # `{sample}` and the like name rows of the world
    role: str | None  # None: no token at all
    base: dict | list
    fields: dict[str, F]  # dotted paths into base: "userContext.sampleList.0.eta"
    changes: str | None = None  # the world's row an update targets


SAMPLE_FIELDS = {
    "name": TEXT,
    "sku": TEXT,
    "designer": TEXT,
    "category": TEXT,
    "status": OTHER,
    "is_hero": OTHER,
    "priority": OTHER,
    "courier": TEXT,
    "tracking_number": TEXT,
    "eta": NULLABLE,
    "arrived_at": NULLABLE,
    "notes": TEXT,
}
TASK_FIELDS = {
    "title": TEXT,
    "status": OTHER,
    "assignee": NULLABLE,
    "duration_minutes": OTHER,
    "earliest_start": NULLABLE,
    "deadline": NULLABLE,
    "depends_on": LIST,
}
ASSET_FIELDS = {
    "title": TEXT,
    "kind": OTHER,
    "width": NULLABLE,
    "height": NULLABLE,
    "duration_seconds": NULLABLE,
    "status": OTHER,
    "target_channels": LIST,
    "featured_samples": LIST,
    "rights_expire_at": NULLABLE,
}
CAMPAIGN_FIELDS = {"name": TEXT, "shoot_date": NULLABLE, "location": TEXT, "status": OTHER}
EVENT_FIELDS = {
    "event_type": TEXT,
    "event_data": OBJECT,
    "page_route": F("text", True),
    "kit_context": NULLABLE,
    "session_id": NULLABLE,
    "user_id": NULLABLE,
}
PREFERENCE_FIELDS = {
    "default_kit": NULLABLE,
    "auto_suggestions_enabled": OTHER,
    "notification_preferences": OBJECT,
    "kit_order": LIST,
    "favorite_actions": LIST,
    "conversation_history_retention_days": OTHER,
}
# The analyzers' inline items (camelCase); null means "not given" for their optional fields.
INLINE_SAMPLE = {
    "id": F("text", True),
    "name": F("text", True),
    "status": OTHER,
    "category": F("text", True),
    "isHero": NULLABLE,
    "priority": NULLABLE,
    "eta": NULLABLE,
    "arrivedAt": NULLABLE,
    "designer": F("text", True),
    "courier": F("text", True),
    "trackingNumber": F("text", True),
}
INLINE_TASK = {
    "id": F("text", True),
    "title": F("text", True),
    "status": OTHER,
    "durationMinutes": NULLABLE,
    "dependsOn": NULLABLE_LIST,
    "assignee": F("text", True),
    "earliestStart": NULLABLE,
    "deadline": NULLABLE,
}
INLINE_ASSET = {
    "id": F("text", True),
    "title": F("text", True),
    "kind": OTHER,
    "status": OTHER,
    "width": NULLABLE,
    "height": NULLABLE,
    "durationSeconds": NULLABLE,
    "targetChannels": NULLABLE_LIST,
    "featuredSampleIds": NULLABLE_LIST,
    "rightsExpireAt": NULLABLE,
}
SAMPLE_ITEM = {"id": "s1", "status": "on_set"}
TASK_ITEM = {"id": "t1", "durationMinutes": 30}
ASSET_ITEM = {"id": "a1", "kind": "image", "status": "approved"}
CHAT = {"message": "Are we ready?", "currentKit": "logistics"}
CHAT_FIELDS = {
    "message": TEXT,
    "currentKit": OTHER,
    "currentRoute": F("text", True),
    "sessionId": NULLABLE,
    "conversationHistory": NULLABLE_LIST,
    "userContext": NULLABLE_OBJECT,
    "userContext.campaignId": NULLABLE,
    "userContext.sampleList": NULLABLE_LIST,
    "userContext.tasks": NULLABLE_LIST,
    "userContext.assets": NULLABLE_LIST,
}
ANALYZERS = [
    ("/api/v1/assistant/analyze/logistics", "/functions/v1/logistics-analyzer", "sampleList"),
    ("/api/v1/assistant/analyze/events", "/functions/v1/events-optimizer", "tasks"),
    ("/api/v1/assistant/analyze/media", "/functions/v1/media-scorer", "assets"),
]
FEEDBACK = "/api/v1/assistant/conversations/{owner_conversation}/feedback"
ITEMS = {"sampleList": SAMPLE_ITEM, "tasks": TASK_ITEM, "assets": ASSET_ITEM}


def _prefixed(prefix: str, fields: dict[str, F]) -> dict[str, F]:
    return {f"{prefix}.{name}": field for name, field in fields.items()}


def _endpoints() -> list[Endpoint]:
    credentials = {"email": "owner@example.com", "password": TEST_PASSWORD}
    sign_in = {"email": TEXT, "password": TEXT}
    endpoints = [
        Endpoint("campaign create", "post", "/api/v1/campaigns", "owner", {"name": "Resort"},
                 CAMPAIGN_FIELDS),
        Endpoint("campaign update", "patch", "/api/v1/campaigns/{campaign}", "owner", {},
                 CAMPAIGN_FIELDS, changes="campaign"),
        Endpoint("member add", "post", "/api/v1/campaigns/{campaign}/members", "admin",
                 {"user": "{newcomer}"}, {"user": OTHER, "role": OTHER}),
        Endpoint("member add by email", "post", "/api/v1/campaigns/{campaign}/members", "admin",
                 {}, {"email": TEXT}),
        Endpoint("invitation create", "post", "/api/v1/invitations", "owner",
                 {"campaign": "{campaign}", "email": "new.face@example.com"},
                 {"campaign": OTHER, "email": TEXT, "role": OTHER}),
        Endpoint("member role", "patch", "/api/v1/campaigns/{campaign}/members/{editor_member}",
                 "owner", {}, {"role": OTHER}, changes="editor_member"),
        Endpoint("sample create", "post", "/api/v1/samples", "owner",
                 {"campaign": "{campaign}", "name": "Coat"}, {"campaign": OTHER, **SAMPLE_FIELDS}),
        Endpoint("sample update", "patch", "/api/v1/samples/{sample}", "owner", {},
                 {"campaign": OTHER, **SAMPLE_FIELDS}, changes="sample"),
        Endpoint("task create", "post", "/api/v1/tasks", "owner",
                 {"campaign": "{campaign}", "title": "Build"}, {"campaign": OTHER, **TASK_FIELDS}),
        Endpoint("task update", "patch", "/api/v1/tasks/{task}", "owner", {}, TASK_FIELDS,
                 changes="task"),
        Endpoint("asset create", "post", "/api/v1/assets", "owner",
                 {"campaign": "{campaign}", "title": "Look"}, {"campaign": OTHER, **ASSET_FIELDS}),
        Endpoint("asset update", "patch", "/api/v1/assets/{asset}", "owner", {}, ASSET_FIELDS,
                 changes="asset"),
        Endpoint("event", "post", "/api/v1/analytics/events", "anon", {"event_type": "x"},
                 EVENT_FIELDS),
        Endpoint("event batch", "post", "/api/v1/analytics/events", "owner",
                 [{"event_type": "ok"}, {"event_type": "x"}], _prefixed("1", EVENT_FIELDS)),
        Endpoint("preferences patch", "patch", "/api/v1/assistant/preferences/me", "owner", {},
                 PREFERENCE_FIELDS),
        Endpoint("preferences put", "put", "/api/v1/assistant/preferences/me", "owner", {},
                 PREFERENCE_FIELDS),
        Endpoint("feedback", "post", FEEDBACK, "owner", {}, {"helpful": OTHER},
                 changes="owner_conversation"),
        Endpoint("api sign-in", "post", "/api/v1/auth/token", None, credentials, sign_in),
        Endpoint("api refresh", "post", "/api/v1/auth/refresh", None, {}, {"refresh_token": TEXT}),
        Endpoint("gotrue sign-in", "post", "/auth/v1/token?grant_type=password", None,
                 credentials, sign_in),
        Endpoint("gotrue refresh", "post", "/auth/v1/token?grant_type=refresh_token", None, {},
                 {"refresh_token": TEXT}),
        Endpoint("chat", "post", "/api/v1/assistant/chat", "owner", CHAT, CHAT_FIELDS),
        Endpoint("chat function", "post", "/functions/v1/chat-orchestrator", "owner", CHAT,
                 CHAT_FIELDS),
        Endpoint("chat inline samples", "post", "/api/v1/assistant/chat", "owner",
                 {**CHAT, "userContext": {"sampleList": [SAMPLE_ITEM]}},
                 _prefixed("userContext.sampleList.0", INLINE_SAMPLE)),
        Endpoint("chat inline tasks", "post", "/api/v1/assistant/chat", "owner",
                 {**CHAT, "userContext": {"tasks": [TASK_ITEM]}},
                 _prefixed("userContext.tasks.0", INLINE_TASK)),
        Endpoint("chat inline assets", "post", "/api/v1/assistant/chat", "owner",
                 {**CHAT, "userContext": {"assets": [ASSET_ITEM]}},
                 _prefixed("userContext.assets.0", INLINE_ASSET)),
        Endpoint("logistics inline", "post", ANALYZERS[0][0], "owner",
                 {"sampleList": [SAMPLE_ITEM]}, _prefixed("sampleList.0", INLINE_SAMPLE)),
        Endpoint("events inline", "post", ANALYZERS[1][0], "owner",
                 {"tasks": [TASK_ITEM]}, _prefixed("tasks.0", INLINE_TASK)),
        Endpoint("media inline", "post", ANALYZERS[2][0], "owner",
                 {"assets": [ASSET_ITEM]}, _prefixed("assets.0", INLINE_ASSET)),
        Endpoint("logistics analysis type", "post", ANALYZERS[0][0], "owner",
                 {"sampleList": [SAMPLE_ITEM]}, {"analysisType": OTHER}),
        Endpoint("events start", "post", ANALYZERS[1][0], "owner", {"tasks": [TASK_ITEM]},
                 {"startAt": NULLABLE}),
        Endpoint("media samples", "post", ANALYZERS[2][0], "owner", {"assets": [ASSET_ITEM]},
                 {"sampleList": NULLABLE_LIST, "shootDate": NULLABLE}),
        Endpoint("recommendations", "post", "/functions/v1/recommendations", "owner",
                 {"sampleList": [SAMPLE_ITEM]},
                 {"tasks": NULLABLE_LIST, "assets": NULLABLE_LIST, "shootDate": NULLABLE}),
    ]  # fmt: skip
    for api, function, name in ANALYZERS:
        for url in (api, function):
            endpoints.append(
                Endpoint(f"{url} list", "post", url, "owner", {name: [ITEMS[name]]},
                         {name: LIST})
            )  # fmt: skip
            endpoints.append(
                Endpoint(f"{url} campaign", "post", url, "owner", {}, {"campaignId": OTHER})
            )
    return endpoints


CASES = [
    pytest.param(endpoint, path, value, id=f"{endpoint.name}-{path}-{value}")
    for endpoint in _endpoints()
    for path, field in endpoint.fields.items()
    for value in field.wrong()
]


def _put(body, path: str, value):
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return body


def _raw(body, world) -> str:
    return json.dumps(world.body(body)).replace(f'"{HUGE}"', "1e400")


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _row_state(endpoint, world):
    if endpoint.changes is None:
        return None
    model = {
        "campaign": Campaign,
        "editor_member": CampaignMember,
        "sample": Sample,
        "task": Task,
        "asset": Asset,
        "owner_conversation": Conversation,
    }[endpoint.changes]
    return model.objects.filter(pk=world.ids[endpoint.changes]).values().first()


@pytest.fixture
def world(cast):
    world = world_create(cast, "owner")
    UserPreferences.objects.create(user=cast.owner)  # so a refused update has a row to keep
    return world


@pytest.mark.parametrize(("endpoint", "path", "value"), CASES)
def test_a_value_of_the_wrong_type_is_a_400_and_writes_nothing(world, endpoint, path, value):
    cast = world.cast
    client = cast.client(endpoint.role) if endpoint.role else APIClient()
    body = _put(copy.deepcopy(endpoint.base), path, WRONG_VALUES[value])
    counts, state = _row_counts(), _row_state(endpoint, world)

    reply = client.generic(
        endpoint.method.upper(),
        world.url(endpoint.url),
        _raw(body, world),
        content_type="application/json",
    )

    answer = reply.json()
    assert reply.status_code == 400, (path, value, answer)
    if endpoint.url.startswith("/auth/v1/"):
        assert set(answer) == {"code", "error_code", "msg"}, answer
    else:
        assert {"error", "code"} <= set(answer) <= {"error", "code", "details"}, answer
        assert answer["code"] in ("VALIDATION_ERROR", "MALFORMED_REQUEST"), answer
        if answer["code"] == "VALIDATION_ERROR":
            named = json.dumps(answer.get("details", {})) + answer["error"]
            assert path.split(".")[-1] in named, answer
    assert _row_counts() == counts
    assert _row_state(endpoint, world) == state


def test_the_table_covers_every_analyzer_and_chat_path():
    """A new body endpoint should join the table: these are the ones that take JSON today."""
    urls = {endpoint.url.split("?")[0] for endpoint in _endpoints()}
    assert {
        "/api/v1/assistant/chat",
        "/functions/v1/chat-orchestrator",
        "/functions/v1/recommendations",
        *(url for pair in ANALYZERS for url in pair[:2]),
        "/api/v1/analytics/events",
        "/api/v1/auth/token",
        "/api/v1/auth/refresh",
        "/auth/v1/token",
    } <= urls
