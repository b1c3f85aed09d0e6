"""The permission matrix of `/api/v1` (tests/test_permission_matrix.py) run again through
`/rest/v1`: every role, every registered table, and select, insert, update, delete, with the
same outcome for the same rule, in PostgREST's words:

- R: the row is read (200, it is in the answer);
- -: the row is not matched (200 `[]`; nothing changes), where `/api/v1` answers 404 (or 401
  for the anon key, which Supabase serves as a role that sees nothing);
- C: inserted (201); U: updated (200, the row as changed); D: deleted (200, the row);
- X: refused (403 `42501`), nothing changes, where `/api/v1` answers 403, 405 (a table that
  takes no such write), or 400 for a campaign the caller may not write to.

And, for every cell and for an unfiltered read of every table by every role, no answer ever
holds a row of another user or another campaign than the role may read.
"""

from __future__ import annotations

import json
import uuid

import pytest

from analytics.tests.factories import AnalyticsEventFactory
from assistant.models import UserPreferences
from logistics.tests.factories import SampleFactory
from tests.world import PEOPLE, ROLES, snapshot, world_create

REPR = "return=representation"
NEW_SAMPLE = {"campaign_id": "{campaign}", "name": "Camel coat"}
NEW_TASK = {"campaign_id": "{campaign}", "title": "Steam the coats"}
NEW_ASSET = {"campaign_id": "{campaign}", "title": "Look 1", "kind": "image"}
NEW_MEMBER = {"campaign_id": "{campaign}", "user_id": "{newcomer}", "role": "viewer"}

#  (name, method, path, body, cells for (owner, editor, viewer, outsider, anon, service, admin))
MATRIX = [
    ("campaign select", "get", "campaigns?id=eq.{campaign}", None, "RRR--RR"),
    ("campaign insert", "post", "campaigns", {"name": "New"}, "CCCCXXC"),
    ("campaign update", "patch", "campaigns?id=eq.{campaign}", {"location": "Pier 9"}, "UUX--UU"),
    ("campaign delete", "delete", "campaigns?id=eq.{campaign}", None, "DXX--DD"),
    ("member select", "get", "campaign_members?id=eq.{editor_member}", None, "RRR--RR"),
    ("member insert", "post", "campaign_members", NEW_MEMBER, "XXXXXCC"),  # owners invite
    (
        "member update",
        "patch",
        "campaign_members?id=eq.{editor_member}",
        {"role": "viewer"},
        "UXX--UU",
    ),
    ("member delete", "delete", "campaign_members?id=eq.{viewer_member}", None, "DXX--DD"),
    ("sample select", "get", "samples?id=eq.{sample}", None, "RRR--RR"),
    ("sample insert", "post", "samples", NEW_SAMPLE, "CCXXXCC"),
    ("sample update", "patch", "samples?id=eq.{sample}", {"is_hero": True}, "UUX--UU"),
    ("sample delete", "delete", "samples?id=eq.{sample}", None, "DDX--DD"),
    ("task select", "get", "tasks?id=eq.{task}", None, "RRR--RR"),
    ("task insert", "post", "tasks", NEW_TASK, "CCXXXCC"),
    ("task update", "patch", "tasks?id=eq.{task}", {"status": "done"}, "UUX--UU"),
    ("task delete", "delete", "tasks?id=eq.{task}", None, "DDX--DD"),
    ("asset select", "get", "assets?id=eq.{asset}", None, "RRR--RR"),
    ("asset insert", "post", "assets", NEW_ASSET, "CCXXXCC"),
    ("asset update", "patch", "assets?id=eq.{asset}", {"status": "approved"}, "UUX--UU"),
    ("asset delete", "delete", "assets?id=eq.{asset}", None, "DDX--DD"),
    (
        "own conversation select",
        "get",
        "assistant_conversations?id=eq.{my_conversation}",
        None,
        "RRRR--R",
    ),
    (
        "owner's conversation select",
        "get",
        "assistant_conversations?id=eq.{owner_conversation}",
        None,
        "R----R-",
    ),
    ("conversation insert", "post", "assistant_conversations", {"message": "hi"}, "XXXXXXX"),
    (
        "conversation update",
        "patch",
        "assistant_conversations?id=eq.{my_conversation}",
        {"helpful": True},
        "XXXXXXX",
    ),
    (
        "conversation delete",
        "delete",
        "assistant_conversations?id=eq.{my_conversation}",
        None,
        "XXXXXXX",
    ),
    ("own insight select", "get", "assistant_insights?id=eq.{my_insight}", None, "RRRR--R"),
    ("owner's insight select", "get", "assistant_insights?id=eq.{owner_insight}", None, "R----R-"),
    ("insight insert", "post", "assistant_insights", {"insight_type": "x"}, "XXXXXXX"),
    (
        "insight update",
        "patch",
        "assistant_insights?id=eq.{owner_insight}",
        {"data": {}},
        "XXXXXXX",
    ),
    (
        "owner's insight delete",
        "delete",
        "assistant_insights?id=eq.{owner_insight}",
        None,
        "X----D-",
    ),
    ("own preferences select", "get", "user_preferences?user_id=eq.{my_user}", None, "RRRR--R"),
    (
        "owner's preferences select",
        "get",
        "user_preferences?user_id=eq.{owner_user}",
        None,
        "R----R-",
    ),
    (
        "own preferences update",
        "patch",
        "user_preferences?user_id=eq.{my_user}",
        {"default_kit": "media"},
        "UUUU--U",
    ),
    (
        "owner's preferences update",
        "patch",
        "user_preferences?user_id=eq.{owner_user}",
        {"default_kit": "media"},
        "U----U-",
    ),
    ("preferences insert", "post", "user_preferences", {"default_kit": "media"}, "XXXXXXX"),
    ("preferences delete", "delete", "user_preferences?user_id=eq.{my_user}", None, "XXXXXXX"),
    ("event insert without user", "post", "analytics_events", {"event_type": "opened"}, "CCCCCCC"),
    (
        "event insert as self",
        "post",
        "analytics_events",
        {"event_type": "opened", "user_id": "{me}"},
        "CCCCCCC",
    ),
    (
        "event insert naming the owner",
        "post",
        "analytics_events",
        {"event_type": "opened", "user_id": "{owner_user}"},
        "CXXXXCX",
    ),
    (
        "event batch as self",
        "post",
        "analytics_events",
        [{"event_type": "a"}, {"event_type": "b", "user_id": "{me}"}],
        "CCCCCCC",
    ),
    ("owner's event select", "get", "analytics_events?id=eq.{owner_event}", None, "R----RR"),
    (
        "event update",
        "patch",
        "analytics_events?id=eq.{owner_event}",
        {"event_type": "x"},
        "XXXXXXX",
    ),
    ("event delete", "delete", "analytics_events?id=eq.{owner_event}", None, "XXXXXXX"),
]

CELLS = [
    pytest.param(method, path, body, role, cells[i], id=f"{name}-{role}")
    for name, method, path, body, cells in MATRIX
    for i, role in enumerate(ROLES)
]
TABLES = (
    "campaigns",
    "campaign_members",
    "samples",
    "tasks",
    "assets",
    "assistant_conversations",
    "assistant_insights",
    "user_preferences",
    "analytics_events",
)


@pytest.fixture
def world(cast, request):
    """The matrix's world for one role: the shared rows (tests/world.py), everyone's
    preferences and an event of each person, and a sample in the outsider's campaign."""
    role = request.node.callspec.params["role"]
    made = world_create(cast, role)
    events = {}
    for who in PEOPLE:
        person = getattr(cast, who)
        UserPreferences.objects.create(user=person)
        events[who] = AnalyticsEventFactory(user=person)
    made.ids["owner_event"] = str(events["owner"].pk)
    made.ids["my_user"] = made.ids["me"] if role in PEOPLE else str(uuid.uuid4())
    made.ids["secret_sample"] = str(SampleFactory(campaign=cast.other_campaign).pk)
    made.foreign = _foreign_ids(cast, role, made.ids, events)
    return made


def _foreign_ids(cast, role, ids, events) -> set[str]:
    """Ids that must never appear in an answer to `role`: other people's own rows, and the
    rows of the campaigns it is not a member of (admins and the service key read every
    campaign; only the service key reads other people's own rows)."""
    people_rows = {
        who: {ids["owner_conversation"], ids["owner_insight"], str(events[who].pk)}
        if who == "owner"
        else {str(events[who].pk)}
        for who in PEOPLE
    }
    if role == "service":
        return set()
    foreign = set().union(*(rows for who, rows in people_rows.items() if who != role))
    if role == "admin":
        return foreign - {str(events[who].pk) for who in PEOPLE}  # admins read all events
    if role in ("owner", "editor", "viewer"):
        return foreign | {str(cast.other_campaign.pk), ids["secret_sample"]}
    cast_rows = {
        ids[k] for k in ("campaign", "sample", "task", "asset", "editor_member", "viewer_member")
    }
    if role == "outsider":
        return foreign | cast_rows
    return foreign | cast_rows | {str(cast.other_campaign.pk), ids["secret_sample"]}


def _call(cast, role, method, path, body=None, prefer=REPR):
    client = cast.client(role)
    if method in ("get", "head"):
        return client.get(path)
    payload = json.dumps(body) if body is not None else ""
    return getattr(client, method)(
        path, payload, content_type="application/json", HTTP_PREFER=prefer
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CELLS)
def test_rest_permission_cell(cast, world, method, path, body, role, expected):
    url = "/rest/v1/" + world.url(path)
    before = snapshot()
    # Inserts ask for no representation: an anonymous event may be written, not read back.
    prefer = "return=minimal" if method == "post" else REPR
    reply = _call(cast, role, method, url, world.body(body), prefer)
    target = url.rsplit("eq.", 1)[-1] if "eq." in url else None
    if expected == "X":
        assert reply.status_code == 403, reply.content
        assert reply.json()["code"] == "42501"
        assert snapshot() == before, "a refused call changed stored rows"
    elif expected == "-":
        assert (reply.status_code, reply.json()) == (200, []), reply.content
        assert snapshot() == before, "a call that matched nothing changed stored rows"
    elif expected == "C":
        assert reply.status_code == 201, reply.content
        assert snapshot() != before
    else:
        assert reply.status_code == 200, reply.content
        rows = reply.json()
        key = "user_id" if "user_preferences" in url else "id"
        assert [str(row[key]) for row in rows] == [target]
        if expected in ("U", "D"):
            assert snapshot() != before
    assert not any(pk in reply.content.decode() for pk in world.foreign)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_answer_holds_another_users_rows(cast, world, role):
    """An unfiltered read of every table, with every embed the table has, by every role."""
    embeds = {
        "campaigns": ",samples(*),tasks(*),assets(*),campaign_members(*)",
        "samples": ",campaigns(*)",
        "tasks": ",campaigns(*)",
        "assets": ",campaigns(*)",
        "campaign_members": ",campaigns(*)",
    }
    for table in TABLES:
        reply = _call(cast, role, "get", f"/rest/v1/{table}?select=*{embeds.get(table, '')}")
        assert reply.status_code == 200, (table, reply.content)
        text = reply.content.decode()
        leaked = [pk for pk in world.foreign if pk in text]
        assert not leaked, (table, leaked)


def test_matrix_covers_every_registered_table_and_action():
    covered = {(path.split("?")[0], method) for _, method, path, _, _ in MATRIX}
    for table in TABLES:
        for method in ("get", "post", "patch", "delete"):
            assert (table, method) in covered, (table, method)
    assert all(len(cells) == len(ROLES) for *_, cells in MATRIX)
