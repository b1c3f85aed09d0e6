"""The staff dashboard in the admin (`/admin/dashboard/`): each active campaign's readiness,
blockers and at-risk tasks, and an SVG chart of analytics events per day by kit over 30 days.
Staff only; a broken campaign shows its problem; the queries do not grow with the campaigns."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.tests.factories import AnalyticsEventFactory
from fashionos.testing.factories import UserFactory
from logistics.models import TaskDependency
from logistics.tests.factories import CampaignFactory, SampleFactory, TaskFactory

pytestmark = pytest.mark.django_db

URL = "/admin/dashboard/"
LOGIN = "/admin/login/?next=/admin/dashboard/"


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(cast) -> Client:
    return _client_for(cast.admin)


def _events(*, days_ago: int, kit: str | None, count: int) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    for _ in range(count):
        AnalyticsEventFactory(kit_context=kit, created_at=when)


def _campaign_with_data(campaign, *, prefix: str = "") -> None:
    now = timezone.now()
    SampleFactory(campaign=campaign, name=f"{prefix}Linen Shirt", status="on_set")
    SampleFactory(campaign=campaign, name=f"{prefix}Leather Boots", status="shot")
    SampleFactory(campaign=campaign, name=f"{prefix}Denim Jacket", status="arrived")
    SampleFactory(
        campaign=campaign,
        name=f"{prefix}Silk Gown",
        status="delayed",
        is_hero=True,
        priority=1,
        eta=now + timedelta(hours=4),
    )
    build = TaskFactory(campaign=campaign, title=f"{prefix}Build set", duration_minutes=60)
    shoot = TaskFactory(
        campaign=campaign,
        title=f"{prefix}Shoot hero looks",
        duration_minutes=120,
        deadline=now + timedelta(minutes=90),  # needs 3 h after the set is built: late
    )
    TaskDependency.objects.create(task=shoot, depends_on=build)


def test_staff_see_readiness_blockers_and_at_risk_tasks(cast, staff):
    _campaign_with_data(cast.campaign)

    reply = staff.get(URL)

    assert reply.status_code == 200
    page = reply.content.decode()
    assert "Resort 27" in page
    assert "50%" in page  # 2 of 4 samples on set or shot
    assert "2 of 4 samples ready" in page
    assert "Silk Gown" in page  # a delayed hero piece blocks the shoot
    assert "Shoot hero looks" in page
    assert "late by" in page
    assert "Linen Shirt" not in page  # ready samples are not blockers


def test_the_chart_has_one_bar_segment_per_day_and_kit_with_events(staff):
    _events(days_ago=0, kit="logistics", count=3)
    _events(days_ago=0, kit="media", count=2)
    _events(days_ago=5, kit="events", count=1)
    _events(days_ago=12, kit=None, count=4)  # no kit: drawn as "other"
    _events(days_ago=45, kit="logistics", count=7)  # older than 30 days: not drawn

    page = staff.get(URL).content.decode()

    svg = _chart(page)
    assert svg.count("<rect ") == 4
    assert "10 events" in page  # the title counts the 30 days only
    assert re.search(r"logistics: 3</title>", svg)
    assert re.search(r"media: 2</title>", svg)
    assert re.search(r"events: 1</title>", svg)
    assert re.search(r"other: 4</title>", svg)


def test_the_tallest_day_fills_the_chart_and_the_rest_scale_to_it(staff):
    _events(days_ago=1, kit="logistics", count=4)
    _events(days_ago=2, kit="logistics", count=2)

    svg = _chart(staff.get(URL).content.decode())
    heights = sorted(float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg))

    assert len(heights) == 2
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)


def test_an_empty_dashboard_loads(staff, cast):
    page = staff.get(URL).content.decode()

    assert "Resort 27" in page
    assert "0 events" in page
    assert "<rect " not in _chart(page)


def test_non_staff_users_are_sent_to_the_login_page(cast):
    for user in (cast.owner, cast.viewer, cast.outsider):
        reply = _client_for(user).get(URL)

        assert reply.status_code == 302
        assert reply["Location"] == LOGIN


def test_anonymous_visitors_are_sent_to_the_login_page(cast):
    reply = Client().get(URL)

    assert reply.status_code == 302
    assert reply["Location"] == LOGIN


def test_an_inactive_staff_user_is_refused():
    former = UserFactory(is_staff=True, is_active=False)
    client = Client()
    client.force_login(former)

    assert client.get(URL).status_code == 302


def test_the_admin_index_links_to_the_dashboard(staff):
    assert URL in staff.get("/admin/").content.decode()


def test_a_campaign_whose_tasks_form_a_cycle_shows_the_problem(cast, staff):
    _campaign_with_data(cast.other_campaign, prefix="Other ")
    first = TaskFactory(campaign=cast.campaign, title="Fit dresses")
    second = TaskFactory(campaign=cast.campaign, title="Steam dresses")
    # The services refuse a cycle; data written around them must not break the dashboard.
    TaskDependency.objects.create(task=first, depends_on=second)
    TaskDependency.objects.create(task=second, depends_on=first)

    reply = staff.get(URL)

    assert reply.status_code == 200
    page = reply.content.decode()
    assert "Task dependencies form a cycle" in page
    assert "Fit dresses" in page
    assert "Steam dresses" in page
    assert "Other Shoot hero looks" in page  # the other campaign is still analysed


def test_wrapped_and_cancelled_campaigns_are_left_out(cast, staff):
    CampaignFactory(name="Archive 19", status="wrapped")
    CampaignFactory(name="Never happened", status="cancelled")

    page = staff.get(URL).content.decode()

    assert "Resort 27" in page
    assert "Archive 19" not in page
    assert "Never happened" not in page


def _chart(page: str) -> str:
    start = page.index('<svg role="img" aria-label="Analytics events per day by kit"')
    return page[start : page.index("</svg>", start)]


def _queries_for_dashboard(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured.captured_queries)


def test_the_queries_do_not_grow_with_the_number_of_campaigns(cast, staff):
    CampaignFactory.reset_sequence()
    _campaign_with_data(cast.campaign)
    _events(days_ago=3, kit="media", count=2)
    one = _queries_for_dashboard(staff)

    for index in range(9):
        _campaign_with_data(CampaignFactory(name=f"Season {index}"), prefix=f"S{index} ")
    ten = _queries_for_dashboard(staff)

    assert ten == one


EMOJI = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff]")


def test_severity_marks_are_text_badges_not_emoji(cast, staff):
    """Emoji render as empty boxes where no emoji font is installed (a server's browser)."""
    _campaign_with_data(cast.campaign)

    page = staff.get(URL).content.decode()

    assert not EMOJI.search(page)
    assert '<span class="severity severity-critical">critical</span>' in page
    assert ".severity-critical {" in page


def test_the_charts_last_day_label_ends_at_the_last_bar(staff):
    page = staff.get(URL).content.decode()

    labels = re.findall(r"<text [^>]*>[^<]*</text>", page)
    assert 'text-anchor="end"' in labels[-1]
    assert 'text-anchor="end"' not in labels[0]
