"""`/rest/v1` writes through the registry's services: POST one or many (all or nothing), the
Prefer return forms, upserts, PATCH and DELETE with filters, the safe-update rule, 403 42501
for rows refused by the permissions, 409 23505, and the services' side effects (revision
bump, realtime announcement only on commit)."""

from __future__ import annotations

import json

import pytest

from assistant.models import UserPreferences
from fashionos.realtime import changes
from fashionos.tables import row_record
from logistics.models import Campaign, CampaignMember, Sample
from logistics.tests.factories import SampleFactory
from tests.world import snapshot

pytestmark = pytest.mark.django_db

REPRESENTATION = "return=representation"


def send(cast, role, method, url, body=None, **headers):
    client = cast.client(role)
    extra = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
    payload = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, payload, content_type="application/json", **extra)


@pytest.fixture
def announced(monkeypatch):
    """The realtime changes published (after commit)."""
    published = []
    monkeypatch.setattr(changes, "change_publish", published.append)
    return published


def test_insert_one_with_representation(cast, announced, django_capture_on_commit_callbacks):
    revision = cast.campaign.revision
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            cast,
            "editor",
            "post",
            "/rest/v1/samples?select=id,name,status,campaigns(name)",
            {"campaign_id": str(cast.campaign.pk), "name": "Linen shirt", "status": "arrived"},
            prefer=REPRESENTATION,
        )
    assert response.status_code == 201, response.content
    (row,) = response.json()
    assert row["name"] == "Linen shirt" and row["campaigns"] == {"name": "Resort 27"}
    sample = Sample.objects.get(pk=row["id"])
    assert sample.arrived_at is not None  # the service's rule ran
    cast.campaign.refresh_from_db()
    assert cast.campaign.revision == revision + 1
    assert [(c.table, c.type) for c in announced] == [("samples", "INSERT")]
    assert response["Preference-Applied"] == REPRESENTATION


def test_insert_minimal_and_headers_only(cast):
    body = {"campaign_id": str(cast.campaign.pk), "name": "Scarf"}
    minimal = send(cast, "owner", "post", "/rest/v1/samples", body, prefer="return=minimal")
    assert minimal.status_code == 201 and minimal.content == b""
    assert minimal["Content-Range"] == "*/*"
    headers_only = send(
        cast,
        "owner",
        "post",
        "/rest/v1/samples",
        {**body, "name": "Belt"},
        prefer="return=headers-only",
    )
    assert headers_only.status_code == 201
    pk = Sample.objects.get(name="Belt").pk
    assert headers_only["Location"] == f"/samples?id=eq.{pk}"


def test_insert_many_is_all_or_nothing(cast, announced, django_capture_on_commit_callbacks):
    good = {"campaign_id": str(cast.campaign.pk), "name": "Ok"}
    bad = {"campaign_id": str(cast.campaign.pk), "name": "Bad", "priority": 9}
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(cast, "owner", "post", "/rest/v1/samples", [good, good, bad])
    assert response.status_code == 400
    assert response.json()["code"] == "23514"
    assert "priority" in response.json()["details"]
    assert snapshot() == before
    assert announced == []
    ok = send(
        cast,
        "owner",
        "post",
        "/rest/v1/samples?select=name",
        [good, {**good, "name": "Two"}],
        prefer="return=representation,count=exact",
    )
    assert ok.status_code == 201
    assert ok.json() == [{"name": "Ok"}, {"name": "Two"}]
    assert ok["Content-Range"] == "*/2"


def test_insert_into_a_campaign_the_caller_may_not_write(cast):
    before = snapshot()
    for role, campaign in (
        ("viewer", cast.campaign),
        ("outsider", cast.campaign),
        ("anon", cast.campaign),
        ("owner", cast.other_campaign),
    ):
        response = send(
            cast,
            role,
            "post",
            "/rest/v1/samples",
            {"campaign_id": str(campaign.pk), "name": "Nope"},
        )
        assert response.status_code == 403, (role, response.content)
        assert response.json()["code"] == "42501"
        assert response.json()["message"].startswith("new row violates row-level security policy")
    assert snapshot() == before


def test_insert_refusals_in_postgrest_shape(cast):
    url = "/rest/v1/samples"
    campaign = str(cast.campaign.pk)
    cases = [
        ({"campaign_id": campaign, "name": "x", "colour": "red"}, 400, "PGRST204"),
        ({"campaign_id": campaign, "name": "x", "created_at": "2020-01-01"}, 403, "42501"),
        ({"campaign_id": campaign}, 400, "23514"),
        ([1, 2], 400, "PGRST102"),
    ]
    for body, status, code in cases:
        response = send(cast, "owner", "post", url, body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    raw = cast.client("owner").post(url, "{not json", content_type="application/json")
    assert raw.json()["code"] == "PGRST102"
    conversation = send(cast, "owner", "post", "/rest/v1/assistant_conversations", {"message": "x"})
    assert (conversation.status_code, conversation.json()["code"]) == (403, "42501")


def test_body_bounds(cast, settings):
    settings.REST_MAX_BODY_ROWS = 2
    rows = [{"campaign_id": str(cast.campaign.pk), "name": f"s{i}"} for i in range(3)]
    response = send(cast, "owner", "post", "/rest/v1/samples", rows)
    assert (response.status_code, response.json()["code"]) == (413, "PGRST102")
    settings.REST_MAX_BODY_BYTES = 100
    response = send(
        cast, "owner", "post", "/rest/v1/samples", rows[:1] * 1 + [{"notes": "x" * 200}]
    )
    assert response.status_code == 413
    assert not Sample.objects.exists()


def test_unique_violation_is_409(cast):
    response = send(
        cast,
        "owner",
        "post",
        "/rest/v1/campaign_members",
        {"campaign_id": str(cast.campaign.pk), "user_id": str(cast.editor.pk), "role": "viewer"},
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "23505"


def test_upsert_merge_and_ignore(cast):
    me = str(cast.owner.pk)
    prefs = UserPreferences.objects.filter(user=cast.owner)
    assert not prefs.exists()
    created = send(cast, "owner", "get", "/rest/v1/user_preferences")
    assert created.json() == []
    UserPreferences.objects.create(user=cast.owner)
    merged = send(
        cast,
        "owner",
        "post",
        "/rest/v1/user_preferences?on_conflict=user_id",
        {"user_id": me, "default_kit": "media"},
        prefer="resolution=merge-duplicates,return=representation",
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()[0]["default_kit"] == "media"
    ignored = send(
        cast,
        "owner",
        "post",
        "/rest/v1/user_preferences?on_conflict=user_id",
        {"user_id": me, "default_kit": "events"},
        prefer="resolution=ignore-duplicates,return=representation",
    )
    assert ignored.status_code == 201 and ignored.json() == []
    assert prefs.get().default_kit == "media"
    other = send(
        cast,
        "editor",
        "post",
        "/rest/v1/user_preferences?on_conflict=user_id",
        {"user_id": me, "default_kit": "events"},
        prefer="resolution=merge-duplicates",
    )
    assert (other.status_code, other.json()["code"]) == (403, "42501")
    bad = send(
        cast,
        "owner",
        "post",
        "/rest/v1/user_preferences?on_conflict=default_kit",
        {"user_id": me},
        prefer="resolution=merge-duplicates",
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "42P10")


def test_upsert_samples_by_id(cast):
    sample = SampleFactory(campaign=cast.campaign, name="Old")
    response = send(
        cast,
        "editor",
        "post",
        "/rest/v1/samples?select=name",
        [{"id": str(sample.pk), "campaign_id": str(cast.campaign.pk), "name": "New"}],
        prefer="resolution=merge-duplicates,return=representation",
    )
    assert response.status_code == 200, response.content
    assert response.json() == [{"name": "New"}]


def test_patch_with_filters(cast, announced, django_capture_on_commit_callbacks):
    a = SampleFactory(campaign=cast.campaign, status="requested")
    b = SampleFactory(campaign=cast.campaign, status="requested")
    secret = SampleFactory(campaign=cast.other_campaign, status="requested")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            cast,
            "editor",
            "patch",
            "/rest/v1/samples?status=eq.requested&select=id,status",
            {"status": "in_transit"},
            prefer="return=representation,count=exact",
        )
    assert response.status_code == 200, response.content
    assert sorted(row["id"] for row in response.json()) == sorted([str(a.pk), str(b.pk)])
    assert response["Content-Range"] == "0-1/2"
    secret.refresh_from_db()
    assert secret.status == "requested"  # not visible: not matched
    assert [c.type for c in announced] == ["UPDATE", "UPDATE"]
    minimal = send(cast, "editor", "patch", f"/rest/v1/samples?id=eq.{a.pk}", {"notes": "x"})
    assert minimal.status_code == 204


def test_patch_refusals(cast):
    sample = SampleFactory(campaign=cast.campaign)
    before = snapshot()
    viewer = send(cast, "viewer", "patch", f"/rest/v1/samples?id=eq.{sample.pk}", {"name": "x"})
    assert (viewer.status_code, viewer.json()["code"]) == (403, "42501")
    outsider = send(
        cast,
        "outsider",
        "patch",
        f"/rest/v1/samples?id=eq.{sample.pk}",
        {"name": "x"},
        prefer=REPRESENTATION,
    )
    assert (outsider.status_code, outsider.json()) == (200, [])
    unfiltered = send(cast, "owner", "patch", "/rest/v1/samples", {"name": "x"})
    assert (unfiltered.status_code, unfiltered.json()["code"]) == (400, "21000")
    invalid = send(cast, "owner", "patch", f"/rest/v1/samples?id=eq.{sample.pk}", {"priority": 0})
    assert (invalid.status_code, invalid.json()["code"]) == (400, "23514")
    assert snapshot() == before
    everyone = send(cast, "service", "patch", "/rest/v1/samples", {"notes": "all"})
    assert everyone.status_code == 204


def test_one_owner_rule_holds(cast):
    owner_row = CampaignMember.objects.get(campaign=cast.campaign, user=cast.owner)
    response = send(
        cast,
        "owner",
        "patch",
        f"/rest/v1/campaign_members?id=eq.{owner_row.pk}",
        {"role": "viewer"},
    )
    assert response.status_code in (400, 409), response.content
    owner_row.refresh_from_db()
    assert owner_row.role == "owner"


def test_delete(cast, announced, django_capture_on_commit_callbacks):
    sample = SampleFactory(campaign=cast.campaign, name="Gone")
    viewer = send(cast, "viewer", "delete", f"/rest/v1/samples?id=eq.{sample.pk}")
    assert (viewer.status_code, viewer.json()["code"]) == (403, "42501")
    unfiltered = send(cast, "owner", "delete", "/rest/v1/samples")
    assert (unfiltered.status_code, unfiltered.json()["code"]) == (400, "21000")
    assert Sample.objects.filter(pk=sample.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            cast,
            "editor",
            "delete",
            f"/rest/v1/samples?id=eq.{sample.pk}&select=name",
            prefer=REPRESENTATION,
        )
    assert (response.status_code, response.json()) == (200, [{"name": "Gone"}])
    assert not Sample.objects.filter(pk=sample.pk).exists()
    assert [c.type for c in announced] == ["DELETE"]


def test_campaign_delete_is_for_owners(cast):
    url = f"/rest/v1/campaigns?id=eq.{cast.campaign.pk}"
    assert send(cast, "editor", "delete", url).status_code == 403
    assert send(cast, "owner", "delete", url).status_code == 204
    assert not Campaign.objects.filter(pk=cast.campaign.pk).exists()


def test_anon_may_log_an_event_with_no_user_but_not_read_it_back(cast):
    body = {"event_type": "page_view", "kit_context": "logistics"}
    assert send(cast, "anon", "post", "/rest/v1/analytics_events", body).status_code == 201
    back = send(cast, "anon", "post", "/rest/v1/analytics_events", body, prefer=REPRESENTATION)
    assert (back.status_code, back.json()["code"]) == (403, "42501")


def test_bulk_insert_writes_what_one_by_one_writes(
    cast, announced, django_capture_on_commit_callbacks
):
    """An array goes through `create_many`; the rows, the revision bump and the
    announcements are those of inserting the rows one by one through `create`."""
    body = {
        "campaign_id": str(cast.campaign.pk),
        "name": "Twin",
        "status": "arrived",
        "priority": 2,
        "eta": "2027-01-01T10:00:00Z",
        "is_hero": True,
    }
    ignored = {"id", "created_at", "updated_at", "arrived_at"}

    def stored(response):
        rows = Sample.objects.filter(pk__in=[row["id"] for row in response.json()])
        return [
            {k: v for k, v in row_record(sample).items() if k not in ignored} for sample in rows
        ], [sample.arrived_at is not None for sample in rows]

    with django_capture_on_commit_callbacks(execute=True):
        one = send(cast, "owner", "post", "/rest/v1/samples?select=id", body, prefer=REPRESENTATION)
        many = send(
            cast, "owner", "post", "/rest/v1/samples?select=id", [body, body], prefer=REPRESENTATION
        )
    assert one.status_code == many.status_code == 201
    single_rows, single_arrived = stored(one)
    bulk_rows, bulk_arrived = stored(many)
    assert bulk_rows == single_rows * 2
    assert single_arrived == [True] and bulk_arrived == [True, True]
    assert [(c.table, c.type, sorted(c.record)) for c in announced] == [
        ("samples", "INSERT", sorted(row_record(Sample.objects.first())))
    ] * 3
    revision = cast.campaign.revision
    cast.campaign.refresh_from_db()
    assert cast.campaign.revision > revision


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b'{"campaign_id": "x", "name": NaN}',
        b'{"name": 1e400}',
        b'{"name": "a\\u0000b"}',
        b'{"name": "\\ud800"}',
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_bodies_the_database_could_not_store_are_refused(cast, raw):
    before = snapshot()
    for method in ("post", "patch"):
        client = cast.client("owner")
        url = "/rest/v1/samples" if method == "post" else "/rest/v1/samples?name=eq.x"
        response = getattr(client, method)(url, raw, content_type="application/json")
        assert response.status_code == 400, (method, response.content)
        assert response.json()["code"] == "PGRST102"
    assert snapshot() == before
