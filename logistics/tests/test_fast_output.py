"""The sample list's fast rendering (fashionos/api/fast_output.py) gives the very bytes DRF's
`SampleOutputSerializer` gives, for every field type and value shape, through the whole list
endpoint (scope, filters, order, pagination, errors) and for every caller; and the answer to
a write, rendered from the row the service wrote instead of a read back, is what a read gives."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone
from django_filters.rest_framework import FilterSet
from rest_framework.renderers import JSONRenderer

from fashionos.api import fast_output
from fashionos.testing.clients import session_queries_warm, session_warm
from logistics import serializers as s
from logistics import views
from logistics.filters import SampleFilter
from logistics.models import Sample, SampleStatus
from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/samples"

# Text that JSON encoders treat differently: quotes, backslashes, control characters (not NUL,
# which PostgreSQL's text refuses), the line separators DRF escapes, non-ASCII letters and
# astral characters, the empty string.
TEXTS = [
    "",
    'say "hi"',
    "back\\slash",
    "tab\there\nnew",
    "\u2028\u2029",
    "Crêpe 縫製 👗",
    "\x01\x1f\x7f",
]


def _variety(campaign) -> list[Sample]:
    """Samples covering every field's kinds of value: each status, hero or not, each priority,
    null and set datetimes (with and without microseconds, far past and future), odd text."""
    base = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    rows = []
    for i, status in enumerate(SampleStatus.values):
        text = TEXTS[i % len(TEXTS)]
        rows.append(
            SampleFactory(
                campaign=campaign,
                name=f"Look {i} {text}",
                sku=text[:64],
                designer=text,
                category=text[:64],
                status=status,
                is_hero=i % 2 == 0,
                priority=1 + i % 5,
                courier=text[:100],
                tracking_number="",
                eta=None if i % 3 == 0 else base + timedelta(hours=i, microseconds=i * 7),
                arrived_at=None if i % 2 else base - timedelta(days=400 * i),
                notes=text,
            )
        )
    rows.append(
        SampleFactory(
            campaign=campaign,
            name="Edge",
            eta=datetime(1, 1, 2, tzinfo=UTC),
            arrived_at=datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC),
        )
    )
    return rows


def _drf(queryset) -> bytes:
    return JSONRenderer().render(s.SampleOutputSerializer(queryset, many=True).data)


def _fast(queryset) -> bytes:
    renderer = fast_output.rows_renderer(s.SampleOutputSerializer)
    return JSONRenderer().render(renderer.render(queryset.values_list(*renderer.columns)))


def test_every_field_type_renders_the_same_bytes(cast):
    _variety(cast.campaign)
    queryset = Sample.objects.filter(campaign=cast.campaign).order_by("name")

    assert _fast(queryset) == _drf(queryset)
    assert len(queryset) == len(SampleStatus.values) + 1


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu"])
def test_datetimes_render_the_same_in_any_current_time_zone(cast, zone):
    _variety(cast.campaign)
    queryset = Sample.objects.filter(campaign=cast.campaign).order_by("name")

    with timezone.override(zone):
        assert _fast(queryset) == _drf(queryset)


def test_a_naive_datetime_goes_through_drf():
    renderer = fast_output.rows_renderer(s.SampleOutputSerializer)
    convert = renderer.converters[renderer.keys.index("eta")]
    naive = datetime(2026, 12, 5, 9, 30)

    assert convert(naive) == s.SampleOutputSerializer().fields["eta"].to_representation(naive)


def test_serializers_with_fields_it_cannot_render_keep_drf():
    """Method fields, dotted sources and files are DRF's alone."""
    assert fast_output.rows_renderer(s.TaskOutputSerializer) is None
    assert fast_output.rows_renderer(s.AssetOutputSerializer) is None
    assert fast_output.rows_renderer(s.CampaignOutputSerializer) is None
    assert fast_output.rows_renderer(s.MemberOutputSerializer) is None
    assert fast_output.rows_renderer(s.SampleOutputSerializer) is not None


def _both(client, url) -> tuple:
    fast = client.get(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "rows_renderer", lambda serializer_class: None)
        slow = client.get(url)
    return fast, slow


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?campaign={campaign}",
        "?campaign={campaign}&status=delayed&status=on_set&ordering=-eta",
        "?is_hero=true&ordering=priority",
        "?page_size=3&page=2&ordering=name",
        "?q=look&priority_max=2",
        "?campaign={other}",
        "?status=lost",
        "?campaign=not-a-uuid",
        "?page=99",
    ],
)
@pytest.mark.parametrize("role", ["owner", "viewer", "outsider", "admin", "service", "anon"])
def test_the_list_endpoint_answers_the_same_bytes(cast, query, role):
    _variety(cast.campaign)
    SampleFactory.create_batch(3, campaign=cast.other_campaign)
    url = URL + query.format(campaign=cast.campaign.pk, other=cast.other_campaign.pk)

    fast, slow = _both(cast.client(role), url)

    assert fast.status_code == slow.status_code
    assert fast.content == slow.content
    assert fast.headers.get("Content-Type") == slow.headers.get("Content-Type")


def test_the_fast_list_builds_no_model_instance(cast, monkeypatch):
    """The page is read as tuples of the serializer's columns: no Sample is built."""
    SampleFactory.create_batch(5, campaign=cast.campaign)
    client = cast.client("owner")

    def refused(*args, **kwargs):
        raise AssertionError("a Sample instance was built")

    monkeypatch.setattr(Sample, "from_db", classmethod(refused))
    reply = client.get(f"{URL}?campaign={cast.campaign.pk}")

    assert reply.status_code == 200
    assert len(reply.json()["results"]) == 5
    assert list(reply.json()["results"][0]) == list(s.SampleOutputSerializer().fields)


# --- The answer to a write is the row as stored, without reading it back --------------------

WRITES = [
    {"notes": "plain"},
    {"status": "on_set"},  # stamps arrived_at on the way
    {"eta": "2026-12-07T10:15:30.123456+02:00", "priority": 1, "is_hero": True},
    {"eta": None, "courier": "Crêpe 👗 \u2028", "tracking_number": ""},
    {"name": 'Say "hi"\\', "category": "Knitwear"},
]


@pytest.mark.parametrize("body", WRITES)
def test_a_patch_answers_the_row_as_a_read_gives_it(cast, body):
    sample = SampleFactory(campaign=cast.campaign, status="requested")
    client = cast.client("editor")

    written = client.patch(f"{URL}/{sample.pk}", body, format="json")
    read = client.get(f"{URL}/{sample.pk}")

    assert written.status_code == 200, written.content
    assert written.content == read.content


def test_a_create_answers_the_row_as_a_read_gives_it(cast):
    body = {
        "campaign": str(cast.campaign.pk),
        "name": "Crêpe coat",
        "status": "arrived",
        "eta": "2026-12-07T10:15:30.5Z",
        "is_hero": True,
    }
    client = cast.client("owner")

    created = client.post(URL, body, format="json")
    read = client.get(f"{URL}/{created.json()['id']}")

    assert created.status_code == 201, created.content
    assert created.content == read.content


def test_a_patch_reads_the_row_once_before_and_never_after(cast, django_assert_num_queries):
    """The sample (scoped, with the editor check in the same statement), the campaign's lock
    with its revision bump (one UPDATE), the sample under the lock, its UPDATE; the caller's
    session where it is not cached; no read back. Under the test's transaction the service's
    transaction is a savepoint (two statements)."""
    sample = SampleFactory(campaign=cast.campaign)
    client = session_warm(cast.client("editor"))

    with django_assert_num_queries(4 + 2 + session_queries_warm()):
        reply = client.patch(f"{URL}/{sample.pk}", {"notes": "x"}, format="json")

    assert reply.status_code == 200


def test_the_sample_filters_form_class_is_built_once(cast):
    """django-filter builds a FilterSet's form class per request; the sample list's is built
    once (fashionos.api.filters.BuiltOnceFilterSet) and filters the same."""
    client = cast.client("owner")
    SampleFactory(campaign=cast.campaign, status="delayed")
    SampleFactory(campaign=cast.campaign, status="requested")

    first = client.get(f"{URL}?status=delayed")
    built = SampleFilter.__dict__["_form_class_built"]
    second = client.get(f"{URL}?status=requested&status=delayed&priority=9")

    assert [row["status"] for row in first.json()["results"]] == ["delayed"]
    assert second.status_code == 400
    assert SampleFilter.__dict__["_form_class_built"] is built
    assert SampleFilter(data={}, queryset=Sample.objects.none()).get_form_class() is built


def _stock_sample_filter():
    """SampleFilter's declarations on django-filter's own FilterSet (per-request deep copies)."""
    declared = {name: copy.deepcopy(f) for name, f in SampleFilter.declared_filters.items()}
    return type("StockSampleFilter", (FilterSet,), {**declared, "filter_q": SampleFilter.filter_q})


@pytest.mark.parametrize(
    "query",
    [
        "?status=delayed&status=on_set&is_hero=false",
        "?q=look&priority_max=2&category=KNITWEAR",
        "?eta_after=2026-12-05T10:00:00%2B05:00&eta_before=2026-12-06",
        "?status=lost",
        "?is_hero=maybe&priority=9&campaign=not-a-uuid",
        "?eta_after=not-a-date&q=" + "x" * 201,
    ],
)
def test_the_built_once_filters_answer_as_django_filters_own(cast, query, monkeypatch):
    _variety(cast.campaign)
    client = cast.client("owner")

    built_once = client.get(URL + query)
    monkeypatch.setattr(views.SampleViewSet, "filterset_class", _stock_sample_filter())
    stock = client.get(URL + query)

    assert (built_once.status_code, built_once.content) == (stock.status_code, stock.content)


def test_filter_requests_share_no_filter_and_no_form_field_state(cast):
    queryset = Sample.objects.all()
    first = SampleFilter(data=QueryDict("q=look"), queryset=queryset)
    second = SampleFilter(data=QueryDict("q=coat"), queryset=queryset)

    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
    assert first.is_valid() and second.is_valid()
    assert first.form.cleaned_data["q"] == "look" and second.form.cleaned_data["q"] == "coat"
