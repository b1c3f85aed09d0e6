"""supabase-js, unchanged, on a campaign's private channel (tests/js/realtime_rooms_e2e.mjs):
two members see each other in `presenceState()`, a broadcast from one reaches the other (and,
with `self: true`, the sender), an outsider's join is refused with Supabase's reason, and a
member removed from the campaign is closed out at once and hears nothing more. Once on one
server, once with each member on its own server process (daphne and uvicorn) over Redis, the
second member on vsn 1.0.0 while the first uses supabase-js's default 2.0.0 (binary
broadcasts).

Needs Node.js and the pinned packages (`make test` installs them), PostgreSQL and Redis like the
other live tests."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from fashionos.accounts.tokens import api_key_issue
from fashionos.realtime.room_members import MSG_PRIVATE_REFUSED
from fashionos.testing.clients import access_token_for
from logistics.models import CampaignMember

from .servers import live_unavailable_reason, server_start
from .test_supabase_js import JS, _node_unavailable_reason

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def servers(request, django_db_setup):
    reason = live_unavailable_reason() or _node_unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the supabase-js test: {reason}")
        pytest.skip(reason)
    started = [server_start("daphne")]
    try:
        if request.param == "two":
            started.append(server_start("uvicorn"))
        yield started[0], started[-1]
    finally:
        for server in started:
            server.stop()


@pytest.mark.parametrize(
    ("servers", "viewer_vsn"), [("one", "2.0.0"), ("two", "1.0.0")], indirect=["servers"]
)
def test_supabase_js_presence_broadcast_and_private_channels(servers, viewer_vsn, cast):
    owner_server, viewer_server = servers
    membership = CampaignMember.objects.get(campaign=cast.campaign, user=cast.viewer)

    done = subprocess.run(
        ["node", "realtime_rooms_e2e.mjs"],
        cwd=JS,
        env={
            "PATH": os.environ.get("PATH", ""),
            "SUPABASE_URL": owner_server.url,
            "VIEWER_URL": viewer_server.url,
            "VIEWER_VSN": viewer_vsn,
            "ANON_KEY": api_key_issue(role="anon"),
            "OWNER_TOKEN": access_token_for(cast.owner),
            "VIEWER_TOKEN": access_token_for(cast.viewer),
            "OUTSIDER_TOKEN": access_token_for(cast.outsider),
            "CAMPAIGN_ID": str(cast.campaign.pk),
            "VIEWER_MEMBER_ID": str(membership.pk),
        },
        capture_output=True,
        text=True,
        timeout=90,
    )

    distinct = [owner_server] if viewer_server is owner_server else [owner_server, viewer_server]
    logs = "".join(server.log_text()[-2000:] for server in distinct)
    assert done.returncode == 0, done.stderr[-3000:] + logs
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["vsn"] == {"owner": "2.0.0", "viewer": viewer_vsn}
    assert seen["presence"] == {
        "owner": ["owner", "viewer"],
        "viewer": ["owner", "viewer"],
        "viewerSeesOwnerAs": "Olive",
    }
    assert seen["sendResult"] == "ok" and seen["viewerReplyResult"] == "ok"
    assert seen["heard"]["owner"] == ["hi", "back", "after"]  # its own, with self: true
    assert seen["heard"]["viewer"] == ["hi"]  # not its own (self is false), nothing after
    topic = f"campaign:{cast.campaign.pk}"
    assert MSG_PRIVATE_REFUSED.format(topic=topic) in seen["outsider"]
    assert seen["removeStatus"] == 204
    assert seen["statuses"]["viewer"][-1] == "CLOSED"
    assert seen["viewerHeardAfter"] is False
