"""The websocket protocol, as the official clients use it, in both vsn: heartbeat, join reply,
each change type, each filter operator, errors, access_token refresh and expiry, leave."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fashionos.accounts.models import AuthSession
from fashionos.accounts.tokens import access_token_issue, api_key_issue
from fashionos.realtime import consumer as realtime_consumer
from fashionos.realtime.bindings import (
    MSG_BAD_EVENT,
    MSG_BAD_OPERATOR,
    MSG_MALFORMED_FILTER,
    MSG_UNKNOWN_COLUMN,
    MSG_UNKNOWN_TABLE,
)
from fashionos.realtime.consumer import CLOSE_INVALID_APIKEY, CLOSE_UNSUPPORTED_VSN
from fashionos.realtime.consumer_channels import (
    MSG_SUBSCRIBED,
    MSG_TOKEN_EXPIRED,
    MSG_UNMATCHED_TOPIC,
)
from fashionos.tables import table_get
from logistics.models import Sample
from logistics.services.samples import sample_create, sample_delete, sample_update
from logistics.services.tasks import task_create
from logistics.tests.factories import SampleFactory

from .support import SAMPLES_ALL, run_sync

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("vsn", ["1.0.0", "2.0.0"]),
]


def _sample(cast, **fields) -> Sample:
    return SampleFactory(campaign=cast.campaign, **fields)


async def _update(sample: Sample, **data) -> Sample:
    fresh = await run_sync(Sample.objects.get, pk=sample.pk)
    return await run_sync(sample_update, sample=fresh, data=data)


# --- socket and heartbeat ----------------------------------------------------------------------


async def test_heartbeat_is_answered_with_the_same_ref(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.push("phoenix", "heartbeat", {}, ref="42")
    reply = await client.receive_event("phx_reply")
    assert reply.topic == "phoenix"
    assert reply.ref == "42"
    assert reply.payload == {"status": "ok", "response": {}}


async def test_frames_have_the_shape_of_the_vsn(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.push("phoenix", "heartbeat", {}, ref="7")
    text = await client.receive_raw()
    if vsn == "2.0.0":
        assert text.startswith("[null,")
    else:
        assert text.startswith("{")


async def test_a_socket_without_a_project_key_is_closed(vsn, cast, tokens, phoenix_clients):
    for apikey in (None, "not-a-jwt", tokens.owner):  # a user's token is not a project key
        client = phoenix_clients(apikey=apikey, vsn=vsn)
        await client.connect()
        closed = await client.receive_close()
        assert closed["code"] == CLOSE_INVALID_APIKEY


async def test_an_unknown_vsn_is_refused(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn="3.0.0")
    await client.connect()
    closed = await client.receive_close()
    assert closed["code"] == CLOSE_UNSUPPORTED_VSN


# --- join --------------------------------------------------------------------------------------


async def test_join_reply_echoes_each_binding_with_an_integer_id(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    bindings = [
        {"event": "INSERT", "schema": "public", "table": "samples"},
        {"event": "*", "schema": "public", "table": "tasks", "filter": "status=eq.done"},
        {"event": "DELETE", "schema": "public", "table": "assets", "filter": ""},
    ]
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    ref = client.next_ref()
    payload = {"config": {"postgres_changes": bindings}, "access_token": tokens.owner}
    await client.push("realtime:samples", "phx_join", payload, ref=ref, join_ref=ref)

    reply = await client.receive_event("phx_reply")
    assert reply.topic == "realtime:samples"
    assert reply.ref == ref
    assert reply.join_ref == ref
    assert reply.payload["status"] == "ok"
    echoed = reply.payload["response"]["postgres_changes"]
    assert [{k: v for k, v in b.items() if k != "id"} for b in echoed] == bindings
    assert all(isinstance(b["id"], int) and b["id"] > 0 for b in echoed)
    assert len({b["id"] for b in echoed}) == 3

    system = await client.receive_event("system")
    assert system.payload == {
        "channel": "samples",
        "extension": "postgres_changes",
        "message": MSG_SUBSCRIBED,
        "status": "ok",
    }


async def test_the_same_binding_gets_the_same_id_on_every_socket(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    first = phoenix_clients(apikey=anon_key, vsn=vsn)
    second = phoenix_clients(apikey=anon_key, vsn=vsn)
    await first.connect()
    await second.connect()
    assert await first.subscribe("a", [SAMPLES_ALL], access_token=tokens.owner) == (
        await second.subscribe("b", [SAMPLES_ALL], access_token=tokens.viewer)
    )


async def test_join_without_bindings_is_ok(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    reply = await client.join("presence-only", [])
    assert reply.payload == {"status": "ok", "response": {"postgres_changes": []}}


@pytest.mark.parametrize(
    ("binding", "reason"),
    [
        (
            {"event": "*", "schema": "public", "table": "campaigns"},
            MSG_UNKNOWN_TABLE.format(table="campaigns", tables="samples, tasks and assets"),
        ),
        (
            {"event": "*", "schema": "public", "table": "samples", "filter": "colour=eq.red"},
            MSG_UNKNOWN_COLUMN.format(column="colour", table="samples"),
        ),
        (
            {"event": "*", "schema": "public", "table": "samples", "filter": "status"},
            MSG_MALFORMED_FILTER.format(filter="status"),
        ),
        (
            {"event": "*", "schema": "public", "table": "samples", "filter": "status=on_set"},
            MSG_MALFORMED_FILTER.format(filter="status=on_set"),
        ),
        (
            {"event": "*", "schema": "public", "table": "samples", "filter": "name=like.%a%"},
            MSG_BAD_OPERATOR.format(op="like"),
        ),
        (
            {"event": "TRUNCATE", "schema": "public", "table": "samples"},
            MSG_BAD_EVENT.format(event="TRUNCATE"),
        ),
    ],
)
async def test_a_bad_binding_gets_an_error_reply(
    vsn, binding, reason, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    reply = await client.join("bad", [SAMPLES_ALL, binding], access_token=tokens.owner)
    assert reply.payload["status"] == "error"
    assert reason in reply.payload["response"]["reason"]
    # Not subscribed: a change is not delivered.
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    assert await client.quiet()


async def test_a_bad_token_gets_an_error_reply(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    reply = await client.join("samples", [SAMPLES_ALL], access_token="not.a.token")
    assert reply.payload["status"] == "error"
    assert reply.payload["response"]["reason"].startswith("InvalidJWTToken")


async def test_a_token_of_an_ended_session_gets_an_error_reply(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    await run_sync(lambda: AuthSession.objects.update(revoked_at=timezone.now()))
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    reply = await client.join("samples", [SAMPLES_ALL], access_token=tokens.owner)
    assert reply.payload["status"] == "error"


async def test_a_push_on_a_topic_not_joined_is_unmatched(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.push("realtime:never", "access_token", {"access_token": "x"}, ref="9")
    reply = await client.receive_event("phx_reply")
    assert reply.payload == {"status": "error", "response": {"reason": MSG_UNMATCHED_TOPIC}}


# --- changes -----------------------------------------------------------------------------------


async def test_insert_update_and_delete_each_arrive_with_supabase_payloads(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    insert_id, update_id, delete_id = await client.subscribe(
        "samples",
        [
            {"event": "INSERT", "schema": "public", "table": "samples"},
            {"event": "UPDATE", "schema": "public", "table": "samples"},
            {"event": "DELETE", "schema": "public", "table": "samples"},
        ],
        access_token=tokens.owner,
    )
    columns = [column.realtime() for column in table_get("samples").columns]

    sample = await run_sync(
        sample_create, campaign=cast.campaign, data={"name": "Silk coat", "is_hero": True}
    )
    change = await client.change()
    assert change.topic == "realtime:samples"
    assert change.ref is None
    assert change.payload["ids"] == [insert_id]
    data = change.payload["data"]
    assert data["schema"] == "public"
    assert data["table"] == "samples"
    assert data["type"] == "INSERT"
    assert data["errors"] is None
    assert data["columns"] == columns
    assert data["commit_timestamp"].endswith("Z")
    assert data["record"]["id"] == str(sample.pk)
    assert data["record"]["campaign_id"] == str(cast.campaign.pk)
    assert data["record"]["is_hero"] is True
    assert "old_record" not in data

    await _update(sample, status="on_set")
    change = await client.change()
    assert change.payload["ids"] == [update_id]
    data = change.payload["data"]
    assert data["type"] == "UPDATE"
    assert data["record"]["status"] == "on_set"
    assert data["old_record"]["status"] == "requested"
    assert set(data["old_record"]) == {c["name"] for c in columns}  # the full old row

    fresh = await run_sync(Sample.objects.get, pk=sample.pk)
    await run_sync(sample_delete, sample=fresh)
    change = await client.change()
    assert change.payload["ids"] == [delete_id]
    data = change.payload["data"]
    assert data["type"] == "DELETE"
    assert "record" not in data
    assert data["old_record"]["id"] == str(sample.pk)
    assert await client.quiet()


async def test_star_hears_every_type_and_table_bindings_are_separate(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    [samples_id, _tasks_id] = await client.subscribe(
        "everything",
        [SAMPLES_ALL, {"event": "*", "schema": "public", "table": "tasks"}],
        access_token=tokens.owner,
    )
    sample = await run_sync(sample_create, campaign=cast.campaign, data={"name": "A"})
    await _update(sample, status="arrived")
    fresh = await run_sync(Sample.objects.get, pk=sample.pk)
    await run_sync(sample_delete, sample=fresh)
    types = []
    for _ in range(3):
        change = await client.change()
        assert change.payload["ids"] == [samples_id]
        types.append(change.payload["data"]["type"])
    assert types == ["INSERT", "UPDATE", "DELETE"]


async def test_a_binding_without_table_hears_all_realtime_tables(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    [schema_id] = await client.subscribe(
        "schema", [{"event": "INSERT", "schema": "public"}], access_token=tokens.owner
    )
    await run_sync(task_create, campaign=cast.campaign, data={"title": "Steam"})
    change = await client.change()
    assert change.payload["ids"] == [schema_id]
    assert change.payload["data"]["table"] == "tasks"


async def test_ids_list_every_matching_binding_of_the_channel(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    ids = await client.subscribe(
        "two",
        [
            SAMPLES_ALL,
            {"event": "UPDATE", "schema": "public", "table": "samples", "filter": "status=eq.shot"},
            {"event": "UPDATE", "schema": "public", "table": "samples", "filter": "priority=eq.5"},
        ],
        access_token=tokens.owner,
    )
    sample = await run_sync(_sample, cast)
    await _update(sample, status="shot")
    change = await client.change()
    assert change.payload["ids"] == ids[:2]


FILTER_CASES = [
    # (filter, sample update that matches, sample update that does not)
    ("status=eq.on_set", {"status": "on_set"}, {"status": "arrived"}),
    ("status=neq.delayed", {"status": "arrived"}, {"status": "delayed"}),
    ("priority=lt.3", {"priority": 2}, {"priority": 3}),
    ("priority=lte.3", {"priority": 3}, {"priority": 4}),
    ("priority=gt.3", {"priority": 4}, {"priority": 3}),
    ("priority=gte.3", {"priority": 3}, {"priority": 2}),
    ("status=in.(on_set,shot)", {"status": "shot"}, {"status": "returned"}),
    ("is_hero=eq.true", {"is_hero": True}, {"is_hero": False}),
    ("priority=in.(1, 2)", {"priority": 1}, {"priority": 3}),
    ('name=eq."Coat, wool"', {"name": "Coat, wool"}, {"name": "Coat"}),
]


@pytest.mark.parametrize(("filter_text", "hit", "miss"), FILTER_CASES)
async def test_each_filter_operator(
    vsn, filter_text, hit, miss, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    [binding_id] = await client.subscribe(
        "filtered",
        [{"event": "UPDATE", "schema": "public", "table": "samples", "filter": filter_text}],
        access_token=tokens.owner,
    )
    sample = await run_sync(_sample, cast, name="Coat", priority=5)
    await _update(sample, **miss)
    assert await client.quiet()
    await _update(sample, **hit)
    change = await client.change()
    assert change.payload["ids"] == [binding_id]


async def test_filters_compare_as_the_column_type(vsn, cast, tokens, anon_key, phoenix_clients):
    # As text "10" < "9"; as int2 (the column's type) 10 > 9.
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.subscribe(
        "typed",
        [
            {
                "event": "INSERT",
                "schema": "public",
                "table": "tasks",
                "filter": "duration_minutes=gt.9",
            }
        ],
        access_token=tokens.owner,
    )
    await run_sync(task_create, campaign=cast.campaign, data={"title": "x", "duration_minutes": 10})
    change = await client.change()
    assert change.payload["data"]["record"]["duration_minutes"] == 10


async def test_a_filter_on_campaign_id_and_a_timestamp(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.subscribe(
        "combined",
        [
            {
                "event": "INSERT",
                "schema": "public",
                "table": "samples",
                "filter": f"campaign_id=eq.{cast.campaign.pk},eta=gt.{future}",
            }
        ],
        access_token=tokens.owner,
    )
    later = timezone.now() + datetime.timedelta(days=2)
    await run_sync(sample_create, campaign=cast.campaign, data={"name": "n", "eta": later})
    await run_sync(sample_create, campaign=cast.campaign, data={"name": "m"})
    change = await client.change()
    assert change.payload["data"]["record"]["name"] == "n"
    assert await client.quiet()


async def test_a_delete_is_filtered_on_the_old_row(vsn, cast, tokens, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.subscribe(
        "deletes",
        [{"event": "DELETE", "schema": "public", "table": "samples", "filter": "is_hero=eq.true"}],
        access_token=tokens.owner,
    )
    plain = await run_sync(_sample, cast, is_hero=False)
    hero = await run_sync(_sample, cast, is_hero=True)
    hero_id = str(hero.pk)
    await run_sync(sample_delete, sample=plain)
    await run_sync(sample_delete, sample=hero)
    change = await client.change()
    assert change.payload["data"]["old_record"]["id"] == hero_id
    assert await client.quiet()


# --- access_token, expiry, leave ---------------------------------------------------------------


async def test_access_token_replaces_the_reader(vsn, cast, tokens, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    join = await client.join("samples", [SAMPLES_ALL], access_token=tokens.outsider)
    assert join.payload["status"] == "ok"
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    assert await client.quiet()  # the outsider may not read Resort 27

    await client.push(
        "realtime:samples",
        "access_token",
        {"access_token": tokens.viewer},
        ref="t1",
        join_ref=join.join_ref,
    )
    reply = await client.receive_event("phx_reply")
    assert reply.ref == "t1"
    assert reply.payload["status"] == "ok"
    await _update(sample, status="on_set")
    change = await client.change()
    assert change.payload["data"]["record"]["status"] == "on_set"
    assert await client.quiet()  # delivered once, not once per token


async def test_the_same_access_token_again_changes_nothing(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    join = await client.join("samples", [SAMPLES_ALL], access_token=tokens.owner)
    await client.push(
        "realtime:samples",
        "access_token",
        {"access_token": tokens.owner},
        ref="t1",
        join_ref=join.join_ref,
    )
    assert (await client.receive_event("phx_reply")).payload["status"] == "ok"
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    await client.change()


def _expired_token(user) -> str:
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(
        user=user, session_id=session.id, now=timezone.now() - datetime.timedelta(days=1)
    )
    return token


def _tampered_token(token: str) -> str:
    header, claims, signature = token.split(".")
    return ".".join((header, claims, signature[::-1]))


@pytest.mark.parametrize("bad", ["expired", "tampered", "garbage"])
async def test_an_expired_or_invalid_access_token_ends_the_channel(
    bad, vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    join = await client.join("samples", [SAMPLES_ALL], access_token=tokens.owner)
    if bad == "expired":
        replacement = await run_sync(_expired_token, cast.owner)
    elif bad == "tampered":
        replacement = _tampered_token(tokens.owner)
    else:
        replacement = "not-a-token"
    await client.push(
        "realtime:samples",
        "access_token",
        {"access_token": replacement},
        ref="t2",
        join_ref=join.join_ref,
    )
    system = await client.receive_event("system")
    assert system.payload["status"] == "error"
    assert system.payload["channel"] == "samples"
    assert system.payload["extension"] == "system"
    closed = await client.receive_event("phx_close")
    assert closed.topic == "realtime:samples"
    assert closed.ref == join.join_ref
    assert closed.payload == {}
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    assert await client.quiet()


async def test_a_token_that_expires_while_subscribed_ends_the_channel(
    vsn, cast, anon_key, phoenix_clients
):
    def soon_expiring():
        session = AuthSession.objects.create(user=cast.owner)
        lifetime = datetime.timedelta(hours=1)
        token, _ = access_token_issue(
            user=cast.owner,
            session_id=session.id,
            now=timezone.now() - lifetime + datetime.timedelta(seconds=1.5),
        )
        return token

    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    token = await run_sync(soon_expiring)
    await client.subscribe("samples", [SAMPLES_ALL], access_token=token)
    system = await client.receive_event("system", timeout=5)
    assert system.payload["status"] == "error"
    assert system.payload["message"] == MSG_TOKEN_EXPIRED
    await client.receive_event("phx_close")


async def test_an_expired_token_at_join_is_refused(vsn, cast, anon_key, phoenix_clients):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    expired = await run_sync(_expired_token, cast.owner)
    reply = await client.join("samples", [SAMPLES_ALL], access_token=expired)
    assert reply.payload["status"] == "error"
    assert reply.payload["response"]["reason"].startswith("InvalidJWTToken")


async def test_phx_leave_replies_ok_and_stops_delivery(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    join = await client.join("samples", [SAMPLES_ALL], access_token=tokens.owner)
    await client.push("realtime:samples", "phx_leave", {}, ref="l1", join_ref=join.join_ref)
    reply = await client.receive_event("phx_reply")
    assert reply.ref == "l1"
    assert reply.payload == {"status": "ok", "response": {}}
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    assert await client.quiet()


async def test_a_write_right_after_the_join_reply_is_delivered(
    vsn, cast, tokens, anon_key, phoenix_clients
):
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    sample = await run_sync(_sample, cast)
    ref = client.next_ref()
    payload = {"config": {"postgres_changes": [SAMPLES_ALL]}, "access_token": tokens.owner}
    await client.push("realtime:fast", "phx_join", payload, ref=ref, join_ref=ref)
    assert (await client.receive_event("phx_reply")).payload["status"] == "ok"
    await _update(sample, status="arrived")  # before even reading the system message
    await client.receive_event("system")
    await client.change()


async def test_the_service_key_as_apikey_sees_every_campaign(
    vsn, cast, service_key, phoenix_clients
):
    client = phoenix_clients(apikey=service_key, vsn=vsn)
    await client.connect()
    await client.subscribe("all", [SAMPLES_ALL])  # no access_token: the apikey reads
    for campaign in (cast.campaign, cast.other_campaign):
        sample = await run_sync(SampleFactory, campaign=campaign)
        await _update(sample, status="arrived")
        change = await client.change()
        assert change.payload["data"]["record"]["campaign_id"] == str(campaign.pk)


async def test_frames_over_the_size_bound_close_the_socket(
    vsn, cast, anon_key, phoenix_clients, monkeypatch
):
    monkeypatch.setattr(realtime_consumer, "MAX_FRAME_CHARS", 100)
    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    await client.push("phoenix", "heartbeat", {"pad": "x" * 200}, ref="1")
    assert (await client.receive_close())["code"] == realtime_consumer.CLOSE_FRAME_TOO_LARGE


async def test_anon_key_is_a_valid_apikey_and_reads_nothing(vsn, cast, phoenix_clients):
    client = phoenix_clients(apikey=api_key_issue(role="anon"), vsn=vsn)
    await client.connect()
    await client.subscribe("samples", [SAMPLES_ALL])
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    assert await client.quiet()


async def test_a_join_while_the_channel_layer_is_down_gets_an_error_reply(
    vsn, cast, tokens, anon_key, phoenix_clients, monkeypatch
):
    from fashionos.realtime.hub import hub_for_running_loop

    client = phoenix_clients(apikey=anon_key, vsn=vsn)
    await client.connect()
    layer = hub_for_running_loop().layer

    async def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(layer, "group_add", down, raising=False)
    reply = await client.join("samples", [SAMPLES_ALL], access_token=tokens.owner)
    assert reply.payload["status"] == "error"
    assert reply.payload["response"]["reason"].startswith("RealtimeUnavailable")

    monkeypatch.undo()  # back up: the next join works
    await client.subscribe("samples", [SAMPLES_ALL], access_token=tokens.owner)
    sample = await run_sync(_sample, cast)
    await _update(sample, status="arrived")
    await client.change()
