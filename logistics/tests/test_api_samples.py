"""Samples through the REST API: create, update, filters, ordering and bad input."""

from __future__ import annotations

import uuid

import pytest

from logistics import views
from logistics.models import Campaign, Sample
from logistics.serializers import MSG_CAMPAIGN_FIXED
from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db


def test_create_with_every_field(cast):
    body = {
        "campaign": str(cast.campaign.pk),
        "name": "Camel coat",
        "sku": "CC-01",
        "designer": "Maison A",
        "category": "Outerwear",
        "status": "in_transit",
        "is_hero": True,
        "priority": 1,
        "courier": "DHL",
        "tracking_number": "JD0001",
        "eta": "2030-05-01T10:00:00Z",
        "notes": "Handle with care",
    }
    reply = cast.client("editor").post("/api/v1/samples", body, format="json")
    assert reply.status_code == 201, reply.content
    out = reply.json()
    assert {key: out[key] for key in body} == body
    assert Campaign.objects.get(pk=cast.campaign.pk).revision == 1


def test_a_campaign_the_caller_cannot_see_does_not_exist(cast):
    body = {"campaign": str(cast.other_campaign.pk), "name": "Coat"}
    reply = cast.client("owner").post("/api/v1/samples", body, format="json")
    assert reply.status_code == 400
    assert "does not exist" in reply.json()["details"]["campaign"][0]
    unknown = {"campaign": str(uuid.uuid4()), "name": "Coat"}
    assert cast.client("owner").post("/api/v1/samples", unknown, format="json").json() == {
        **reply.json(),
        "error": reply.json()["error"].replace(body["campaign"], unknown["campaign"]),
        "details": {
            "campaign": [reply.json()["details"]["campaign"][0].replace(
                body["campaign"], unknown["campaign"]
            )]
        },
    }  # fmt: skip
    assert not Sample.objects.exists()


def test_a_viewer_is_refused_before_the_body_is_validated(cast):
    reply = cast.client("viewer").post(
        "/api/v1/samples", {"campaign": str(cast.campaign.pk), "priority": "high"}, format="json"
    )
    assert reply.status_code == 403
    assert reply.json()["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Coat"}, "campaign"),
        ({"campaign": "not-a-uuid", "name": "Coat"}, "campaign"),
        ({"campaign": 42, "name": "Coat"}, "campaign"),
        ({"campaign": "{campaign}"}, "name"),
        ({"campaign": "{campaign}", "name": None}, "name"),
        ({"campaign": "{campaign}", "name": "Coat", "status": "lost"}, "status"),
        ({"campaign": "{campaign}", "name": "Coat", "priority": 0}, "priority"),
        ({"campaign": "{campaign}", "name": "Coat", "priority": 6}, "priority"),
        ({"campaign": "{campaign}", "name": "Coat", "priority": "first"}, "priority"),
        ({"campaign": "{campaign}", "name": "Coat", "priority": 10**40}, "priority"),
        ({"campaign": "{campaign}", "name": "Coat", "is_hero": "maybe"}, "is_hero"),
        ({"campaign": "{campaign}", "name": "Coat", "eta": "next week"}, "eta"),
        ({"campaign": "{campaign}", "name": "Coat", "sku": "x" * 65}, "sku"),
        ({"campaign": "{campaign}", "name": {"en": "Coat"}}, "name"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(cast, body, field):
    body = {
        key: str(cast.campaign.pk) if value == "{campaign}" else value
        for key, value in body.items()
    }
    reply = cast.client("owner").post("/api/v1/samples", body, format="json")
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "VALIDATION_ERROR"
    assert field in reply.json()["details"]
    assert not Sample.objects.exists()
    assert Campaign.objects.get(pk=cast.campaign.pk).revision == 0


def test_update_cannot_move_a_sample_to_another_campaign(cast):
    sample = SampleFactory(campaign=cast.campaign)
    reply = cast.client("admin").patch(
        f"/api/v1/samples/{sample.pk}", {"campaign": str(cast.other_campaign.pk)}, format="json"
    )
    assert reply.status_code == 400
    assert reply.json()["details"]["campaign"] == [MSG_CAMPAIGN_FIXED]
    same = cast.client("admin").patch(
        f"/api/v1/samples/{sample.pk}",
        {"campaign": str(cast.campaign.pk), "status": "arrived"},
        format="json",
    )
    assert same.status_code == 200
    assert same.json()["arrived_at"] is not None


def test_put_requires_the_required_fields(cast):
    sample = SampleFactory(campaign=cast.campaign)
    reply = cast.client("owner").put(f"/api/v1/samples/{sample.pk}", {}, format="json")
    assert reply.status_code == 400
    assert "name" in reply.json()["details"]


def test_filters(cast):
    SampleFactory(campaign=cast.campaign, name="Hero dress", is_hero=True, priority=1)
    SampleFactory(campaign=cast.campaign, name="Belt", status="delayed", priority=4)
    SampleFactory(campaign=cast.other_campaign, name="Theirs", is_hero=True)
    client = cast.client("owner")

    def names(query: str) -> list[str]:
        reply = client.get(f"/api/v1/samples?{query}")
        assert reply.status_code == 200, reply.content
        return sorted(row["name"] for row in reply.json()["results"])

    assert names("is_hero=true") == ["Hero dress"]
    assert names("status=delayed") == ["Belt"]
    assert names("status=delayed&status=requested") == ["Belt", "Hero dress"]
    assert names("priority_max=2") == ["Hero dress"]
    assert names(f"campaign={cast.other_campaign.pk}") == []
    assert names("q=belt") == ["Belt"]


@pytest.mark.parametrize(
    "query",
    [
        "status=lost",
        "campaign=123",
        "priority=9",
        "priority=1e400",
        "is_hero=perhaps",
        "eta_after=yesterday",
        "page=abc",
        "page=999",
    ],
)
def test_bad_filters_are_4xx(cast, query):
    reply = cast.client("owner").get(f"/api/v1/samples?{query}")
    assert reply.status_code in (400, 404)
    assert reply.json()["code"] in ("VALIDATION_ERROR", "NOT_FOUND")


def test_ordering_is_stable_across_pages(cast):
    SampleFactory.create_batch(7, campaign=cast.campaign, status="arrived", priority=2)
    client = cast.client("owner")
    seen = []
    for page in (1, 2, 3):
        reply = client.get(f"/api/v1/samples?ordering=status&page_size=3&page={page}")
        seen += [row["id"] for row in reply.json()["results"]]
    assert len(seen) == len(set(seen)) == 7
    assert client.get("/api/v1/samples?ordering=not_a_field").status_code == 200


def test_page_size_is_bounded(cast):
    SampleFactory.create_batch(3, campaign=cast.campaign)
    reply = cast.client("owner").get("/api/v1/samples?page_size=100000")
    assert reply.status_code == 200
    assert reply.json()["count"] == 3


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_sample_deleted_during_the_request_is_a_404_not_a_500(cast, method, monkeypatch):
    """Another request deletes the sample after this one loaded it: the service finds it gone
    when it re-reads it under its lock."""
    sample = SampleFactory(campaign=cast.campaign)
    name = "sample_update" if method == "patch" else "sample_delete"
    real = getattr(views, name)  # the service as the view calls it

    def deleted_first(**kwargs):
        Sample.objects.filter(pk=sample.pk).delete()
        return real(**kwargs)

    monkeypatch.setattr(views, name, deleted_first)
    client = cast.client("editor")
    reply = getattr(client, method)(f"/api/v1/samples/{sample.pk}", {"notes": "x"}, format="json")

    assert reply.status_code == 404, reply.content
    assert reply.json()["code"] == "NOT_FOUND"
    assert not Sample.objects.filter(pk=sample.pk).exists()
