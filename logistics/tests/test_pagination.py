"""The first page gives its count without a COUNT when it holds every row
(fashionos/api/pagination.py): the answers are those of Django's paginator, which counts
first, for every number of rows around a page's size and every way of asking for a page."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fashionos.api.pagination import StandardPagination
from logistics.tests.factories import SampleFactory

pytestmark = pytest.mark.django_db

PAGES = ["", "&page=1", "&page=2", "&page=last", "&page=01", "&page=0", "&page=x", "&page=9"]


@pytest.mark.parametrize("rows", [0, 2, 3, 4, 7])
def test_pages_answer_as_the_counting_paginator_does(cast, rows, monkeypatch):
    SampleFactory.create_batch(rows, campaign=cast.campaign)
    client = cast.client("owner")
    for page in PAGES:
        url = f"/api/v1/samples?campaign={cast.campaign.pk}&page_size=3&ordering=name{page}"
        fast = client.get(url)
        with monkeypatch.context() as patch:
            patch.setattr(StandardPagination, "django_paginator_class", Paginator)
            counted = client.get(url)
        assert (fast.status_code, fast.content) == (counted.status_code, counted.content), page


@pytest.mark.parametrize(("rows", "statements"), [(3, 1), (4, 2)])
def test_the_count_is_sent_only_when_the_rows_do_not_fit_in_the_first_page(cast, rows, statements):
    SampleFactory.create_batch(rows, campaign=cast.campaign)
    client = cast.client("service")  # no session to read
    url = f"/api/v1/samples?campaign={cast.campaign.pk}&page_size=3"

    with CaptureQueriesContext(connection) as queries:
        reply = client.get(url)

    assert reply.json()["count"] == rows
    assert len(queries) == statements
    assert ("COUNT(" in queries[-1]["sql"]) == (statements == 2)
