# ruff: noqa: E501  (the matrix keeps one row per line, so it reads as a table)
"""The permission matrix: every role, every endpoint, every action, with the expected status
written out as data. Each row says which policy it mirrors: a line of ORIGINAL.md section 3
(the RLS policies, quoted) or, for the tables the original did not have, DESIGN.md section 5.

Columns: owner, editor, viewer (members of the campaign), outsider (a user of another
campaign), anon (the anon key), service (the service key), admin (a staff user).
"""

from __future__ import annotations

import pytest

from assistant.models import Conversation
from logistics.models import Sample
from logistics.tests.factories import SampleFactory
from tests.world import ROLES, snapshot, world_create

CAMPAIGN = "/api/v1/campaigns/{campaign}"
MEMBERS = "/api/v1/campaigns/{campaign}/members"
SAMPLE = "/api/v1/samples/{sample}"
TASK = "/api/v1/tasks/{task}"
ASSET = "/api/v1/assets/{asset}"
MY_CONV = "/api/v1/assistant/conversations/{my_conversation}"
OWNER_CONV = "/api/v1/assistant/conversations/{owner_conversation}"
MY_INSIGHT = "/api/v1/assistant/insights/{my_insight}"
OWNER_INSIGHT = "/api/v1/assistant/insights/{owner_insight}"
PREFS = "/api/v1/assistant/preferences/me"
EVENTS = "/api/v1/analytics/events"

# DESIGN.md §5, the tables the original did not have: "campaigns, samples, tasks, assets:
# members of the campaign read; owners and editors write; viewers read only; owners manage
# members". A row the caller cannot see is a 404; one it sees but may not change is a 403.
D5_READ = "DESIGN §5: members of the campaign read"
D5_WRITE = "DESIGN §5: owners and editors write; viewers read only"
D5_OWNERS = "DESIGN §5: owners manage members (and delete the campaign)"
D5_CREATE = "DESIGN §5: any user may start a campaign and becomes its owner"
D5_DIRECT_ADD = (
    "DESIGN §5: staff and the service key may add members directly (administration); owners invite"
)
D5_INVITE = (
    "DESIGN §5: an owner invites an e-mail with a role; the invitation is seen by its "
    "addressee and the campaign's owners, and withdrawn by the owners"
)
D5_CONSENT = "DESIGN §5: only the invitee's acceptance creates the membership; only they answer"
INVITATIONS = "/api/v1/invitations"
INVITATION = "/api/v1/invitations/{invitation}"
MY_INVITATION = "/api/v1/invitations/{my_invitation}"
NEW_INVITATION = {"campaign": "{campaign}", "email": "new.face@example.com", "role": "viewer"}
# ORIGINAL.md §3, quoted.
C_SELECT = 'ORIGINAL §3 "Users can read own conversations" FOR SELECT USING (auth.uid() = user_id)'
C_INSERT = 'ORIGINAL §3 "Users can insert own conversations": only the chat endpoint inserts'
C_NO_UPDATE = "ORIGINAL §3 conversations: No updates or deletes (immutable audit log)"
C_SELECT_SERVICE = (
    C_SELECT + "; the service key reads every row (DESIGN §5: service_role bypasses row "
    "ownership, as Supabase's service_role bypasses RLS)"
)
C_FEEDBACK = (
    "DESIGN §5: the only change allowed is the owner's one-time helpful feedback "
    "(the service key sees the row but is not its owner: 403)"
)
I_SELECT = 'ORIGINAL §3 "Users can read own insights" FOR SELECT USING (auth.uid() = user_id)'
I_SERVICE = (
    "ORIGINAL §3 \"Service can manage insights\" FOR ALL USING (role = 'service_role'); "
    "entries are written by the server's cache, REST lets the service role drop one"
)
P_SELECT = 'ORIGINAL §3 "Users can read own preferences" FOR SELECT USING (auth.uid() = user_id)'
P_UPDATE = 'ORIGINAL §3 "Users can update own preferences" FOR UPDATE (auth.uid() = user_id)'
P_INSERT = 'ORIGINAL §3 "Users can insert own preferences": created on first read, for self'
E_INSERT = (
    'ORIGINAL §3 "Users can insert their own events" WITH CHECK '
    "(auth.uid() = user_id OR user_id IS NULL)"
)
E_SELECT = (
    "ORIGINAL §3 \"Admins can read all events\" USING (role = 'admin' OR auth.uid() = user_id)"
)

OWN_BODY = (
    "DESIGN §5: the user is always taken from the token, never the body; a body that names "
    "another user (user, user_id, created_by) is refused with 403, naming oneself is fine, "
    "and the service key bypasses ownership"
)

NEW_SAMPLE = {"campaign": "{campaign}", "name": "Camel coat"}
NEW_TASK = {"campaign": "{campaign}", "title": "Steam the coats"}
NEW_ASSET = {"campaign": "{campaign}", "title": "Look 1"}

#  (name, method, url, body, (owner, editor, viewer, outsider, anon, service, admin), policy)
MATRIX = [
    ("campaigns list", "get", "/api/v1/campaigns", None, (200, 200, 200, 200, 401, 200, 200), D5_READ),
    ("campaign retrieve", "get", CAMPAIGN, None, (200, 200, 200, 404, 401, 200, 200), D5_READ),
    ("campaign create", "post", "/api/v1/campaigns", {"name": "New"}, (201, 201, 201, 201, 401, 403, 201), D5_CREATE),
    ("campaign create naming another user", "post", "/api/v1/campaigns", {"name": "New", "created_by": "{owner_user}"}, (201, 403, 403, 403, 401, 403, 403), OWN_BODY),
    ("campaign create naming oneself", "post", "/api/v1/campaigns", {"name": "New", "created_by": "{me}"}, (201, 201, 201, 201, 401, 403, 201), OWN_BODY),
    ("campaign update", "put", CAMPAIGN, {"name": "Renamed"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("campaign partial", "patch", CAMPAIGN, {"location": "Pier 9"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("campaign partial naming another user", "patch", CAMPAIGN, {"location": "Pier 9", "created_by": "{newcomer}"}, (403, 403, 403, 404, 401, 200, 403), OWN_BODY),
    ("campaign destroy", "delete", CAMPAIGN, None, (204, 403, 403, 404, 401, 204, 204), D5_OWNERS),
    ("members list", "get", MEMBERS, None, (200, 200, 200, 404, 401, 200, 200), D5_READ),
    ("member retrieve", "get", MEMBERS + "/{editor_member}", None, (200, 200, 200, 404, 401, 200, 200), D5_READ),
    ("member add", "post", MEMBERS, {"user": "{newcomer}", "role": "viewer"}, (403, 403, 403, 404, 401, 201, 201), D5_DIRECT_ADD),
    ("member role update", "put", MEMBERS + "/{editor_member}", {"role": "viewer"}, (200, 403, 403, 404, 401, 200, 200), D5_OWNERS),
    ("member role partial", "patch", MEMBERS + "/{editor_member}", {"role": "owner"}, (200, 403, 403, 404, 401, 200, 200), D5_OWNERS),
    ("member remove", "delete", MEMBERS + "/{viewer_member}", None, (204, 403, 403, 404, 401, 204, 204), D5_OWNERS),
    ("invitations list", "get", INVITATIONS, None, (200, 200, 200, 200, 401, 200, 200), D5_INVITE),
    ("invitation retrieve", "get", INVITATION, None, (200, 404, 404, 404, 401, 200, 200), D5_INVITE),
    ("invitation create", "post", INVITATIONS, NEW_INVITATION, (201, 403, 403, 400, 401, 201, 201), D5_INVITE),
    ("invitation withdraw", "delete", INVITATION, None, (204, 404, 404, 404, 401, 204, 204), D5_INVITE),
    ("someone else's invitation accept", "post", INVITATION + "/accept", None, (403, 404, 404, 404, 401, 403, 403), D5_CONSENT),
    ("someone else's invitation decline", "post", INVITATION + "/decline", None, (403, 404, 404, 404, 401, 403, 403), D5_CONSENT),
    ("own invitation accept", "post", MY_INVITATION + "/accept", None, (200, 200, 200, 200, 401, 404, 200), D5_CONSENT),
    ("own invitation decline", "post", MY_INVITATION + "/decline", None, (200, 200, 200, 200, 401, 404, 200), D5_CONSENT),
    ("own invitation withdraw", "delete", MY_INVITATION, None, (403, 403, 403, 403, 401, 404, 204), D5_INVITE),
    ("samples list", "get", "/api/v1/samples", None, (200, 200, 200, 200, 401, 200, 200), D5_READ),
    ("sample retrieve", "get", SAMPLE, None, (200, 200, 200, 404, 401, 200, 200), D5_READ),
    ("sample create", "post", "/api/v1/samples", NEW_SAMPLE, (201, 201, 403, 400, 401, 201, 201), D5_WRITE),
    ("sample update", "put", SAMPLE, {"name": "Renamed"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("sample partial", "patch", SAMPLE, {"is_hero": True}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("sample destroy", "delete", SAMPLE, None, (204, 204, 403, 404, 401, 204, 204), D5_WRITE),
    ("tasks list", "get", "/api/v1/tasks", None, (200, 200, 200, 200, 401, 200, 200), D5_READ),
    ("task retrieve", "get", TASK, None, (200, 200, 200, 404, 401, 200, 200), D5_READ),
    ("task create", "post", "/api/v1/tasks", NEW_TASK, (201, 201, 403, 400, 401, 201, 201), D5_WRITE),
    ("task update", "put", TASK, {"title": "Renamed"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("task partial", "patch", TASK, {"status": "done"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("task destroy", "delete", TASK, None, (204, 204, 403, 404, 401, 204, 204), D5_WRITE),
    ("assets list", "get", "/api/v1/assets", None, (200, 200, 200, 200, 401, 200, 200), D5_READ),
    ("asset retrieve", "get", ASSET, None, (200, 200, 200, 404, 401, 200, 200), D5_READ),
    ("asset create", "post", "/api/v1/assets", NEW_ASSET, (201, 201, 403, 400, 401, 201, 201), D5_WRITE),
    ("asset update", "put", ASSET, {"title": "Renamed"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("asset partial", "patch", ASSET, {"status": "approved"}, (200, 200, 403, 404, 401, 200, 200), D5_WRITE),
    ("asset destroy", "delete", ASSET, None, (204, 204, 403, 404, 401, 204, 204), D5_WRITE),
    ("conversations list", "get", "/api/v1/assistant/conversations", None, (200, 200, 200, 200, 401, 200, 200), C_SELECT_SERVICE),
    ("own conversation retrieve", "get", MY_CONV, None, (200, 200, 200, 200, 401, 404, 200), C_SELECT),
    ("owner's conversation retrieve", "get", OWNER_CONV, None, (200, 404, 404, 404, 401, 200, 404), C_SELECT_SERVICE),
    ("conversation create", "post", "/api/v1/assistant/conversations", {"message": "hi"}, (405, 405, 405, 405, 401, 405, 405), C_INSERT),
    ("conversation update", "put", MY_CONV, {"message": "edited"}, (405, 405, 405, 405, 401, 405, 405), C_NO_UPDATE),
    ("conversation partial", "patch", MY_CONV, {"helpful": True}, (405, 405, 405, 405, 401, 405, 405), C_NO_UPDATE),
    ("conversation destroy", "delete", MY_CONV, None, (405, 405, 405, 405, 401, 405, 405), C_NO_UPDATE),
    ("own conversation feedback", "post", MY_CONV + "/feedback", {"helpful": True}, (200, 200, 200, 200, 401, 404, 200), C_FEEDBACK),
    ("owner's conversation feedback", "post", OWNER_CONV + "/feedback", {"helpful": False}, (200, 404, 404, 404, 401, 403, 404), C_FEEDBACK),
    ("own feedback naming another user", "post", MY_CONV + "/feedback", {"helpful": True, "user": "{owner_user}"}, (200, 403, 403, 403, 401, 404, 403), OWN_BODY),
    ("insights list", "get", "/api/v1/assistant/insights", None, (200, 200, 200, 200, 401, 200, 200), I_SELECT),
    ("own insight retrieve", "get", MY_INSIGHT, None, (200, 200, 200, 200, 401, 404, 200), I_SELECT),
    ("owner's insight retrieve", "get", OWNER_INSIGHT, None, (200, 404, 404, 404, 401, 200, 404), I_SERVICE),
    ("insight create", "post", "/api/v1/assistant/insights", {"insight_type": "x"}, (405, 405, 405, 405, 401, 405, 405), I_SERVICE),
    ("insight update", "put", OWNER_INSIGHT, {"data": {}}, (405, 405, 405, 405, 401, 405, 405), I_SERVICE),
    ("insight partial", "patch", OWNER_INSIGHT, {"data": {}}, (405, 405, 405, 405, 401, 405, 405), I_SERVICE),
    ("own insight destroy", "delete", MY_INSIGHT, None, (403, 403, 403, 403, 401, 404, 403), I_SERVICE),
    ("owner's insight destroy", "delete", OWNER_INSIGHT, None, (403, 404, 404, 404, 401, 204, 404), I_SERVICE),
    ("preferences read", "get", PREFS, None, (200, 200, 200, 200, 401, 403, 200), P_SELECT),
    ("preferences replace", "put", PREFS, {"default_kit": "media"}, (200, 200, 200, 200, 401, 403, 200), P_UPDATE),
    ("preferences partial", "patch", PREFS, {"kit_order": ["media"]}, (200, 200, 200, 200, 401, 403, 200), P_UPDATE),
    ("preferences replace naming another user", "put", PREFS, {"user": "{owner_user}", "default_kit": "media"}, (200, 403, 403, 403, 401, 403, 403), OWN_BODY),
    ("preferences partial naming another user", "patch", PREFS, {"user_id": "{newcomer}"}, (403, 403, 403, 403, 401, 403, 403), OWN_BODY),
    ("preferences partial naming oneself", "patch", PREFS, {"user": "{me}", "kit_order": ["media"]}, (200, 200, 200, 200, 401, 403, 200), OWN_BODY),
    ("preferences create", "post", PREFS, {}, (405, 405, 405, 405, 401, 403, 405), P_INSERT),
    ("preferences destroy", "delete", PREFS, None, (405, 405, 405, 405, 401, 403, 405), P_UPDATE),
    ("event without user", "post", EVENTS, {"event_type": "opened"}, (201, 201, 201, 201, 201, 201, 201), E_INSERT),
    ("event as self", "post", EVENTS, {"event_type": "opened", "user_id": "{me}"}, (201, 201, 201, 201, 201, 201, 201), E_INSERT),
    ("event naming the owner", "post", EVENTS, {"event_type": "opened", "user_id": "{owner_user}"}, (201, 403, 403, 403, 403, 201, 403), E_INSERT),
    ("event batch as self", "post", EVENTS, [{"event_type": "a"}, {"event_type": "b", "user_id": "{me}"}], (201, 201, 201, 201, 201, 201, 201), E_INSERT),
    ("events list", "get", EVENTS, None, (200, 200, 200, 200, 401, 200, 200), E_SELECT),
    ("events destroy", "delete", EVENTS, None, (405, 405, 405, 405, 401, 405, 405), E_SELECT),
    ("events summary", "get", "/api/v1/analytics/summary", None, (403, 403, 403, 403, 401, 200, 200), E_SELECT),
]  # fmt: skip

CELLS = [
    pytest.param(method, url, body, role, expected[i], id=f"{name}-{role}")
    for name, method, url, body, expected, _policy in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "body", "role", "expected"), CELLS)
def test_permission_cell(cast, method, url, body, role, expected):
    world = world_create(cast, role)
    client = cast.client(role)
    call = getattr(client, method)
    before = snapshot()
    if body is None:
        reply = call(world.url(url))
    else:
        reply = call(world.url(url), world.body(body), format="json")
    assert reply.status_code == expected, reply.content
    if expected >= 400:
        assert set(reply.json()) <= {"error", "code", "details"}
        assert reply.json()["code"]
        assert snapshot() == before, "a refused call changed stored rows"


def test_matrix_covers_every_role_and_policy():
    assert all(len(expected) == len(ROLES) for *_, expected, _ in MATRIX)
    policies = {policy for *_, policy in MATRIX}
    for policy in (C_SELECT, C_INSERT, C_NO_UPDATE, I_SELECT, I_SERVICE):
        assert policy in policies
    for policy in (P_SELECT, P_UPDATE, P_INSERT, E_INSERT, E_SELECT, OWN_BODY, C_FEEDBACK):
        assert policy in policies


@pytest.mark.django_db
def test_snapshot_sees_a_changed_an_added_and_a_removed_row(cast):
    """The "nothing changed" check above can fail: each kind of write shows in a snapshot."""
    world = world_create(cast, "owner")
    before = snapshot()
    Sample.objects.filter(pk=world.ids["sample"]).update(name="Changed")
    assert snapshot() != before
    changed = snapshot()
    SampleFactory(campaign=cast.campaign)
    assert snapshot() != changed
    added = snapshot()
    Conversation.objects.filter(pk=world.ids["owner_conversation"]).delete()
    assert snapshot() != added
