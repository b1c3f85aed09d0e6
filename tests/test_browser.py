"""The staff pages in a real browser (headless Chromium, fashionos/testing/browser.py), on the
demo data: staff sign in to the admin, open the dashboard, the samples list and the API docs.
Each page must load with no console error, no missing static file (no 4xx or failed
resource on this server), and its key elements inside the window; a screenshot of each is
saved in test-artifacts/browser/ (git-ignored) to look at.

Skipped, with the reason, where chromium or chromedriver is not installed.
"""

from __future__ import annotations

import contextlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.wait import WebDriverWait

from fashionos.testing.browser import (
    PageReport,
    browser_unavailable_reason,
    chromium_start,
    outside_viewport,
)
from logistics.management.commands.seed_demo import DEMO_PASSWORD

ARTIFACTS = settings.BASE_DIR / "test-artifacts" / "browser"
# Emoji and pictographs, which render as empty boxes where no emoji font is installed.
EMOJI = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff]")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        bool(browser_unavailable_reason()), reason=str(browser_unavailable_reason())
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def staff_browser(live_server, tmp_path):
    """A browser signed in to the admin as the demo's staff user, on the demo data."""
    call_command("seed_demo", stdout=StringIO())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver = chromium_start()
    try:
        driver.get(f"{live_server.url}/admin/login/")
        driver.find_element("id", "id_username").send_keys("admin@fashionos.dev")
        driver.find_element("id", "id_password").send_keys(DEMO_PASSWORD)
        driver.find_element("css selector", "input[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: d.find_elements("id", "user-tools"))
        PageReport.collect(driver, live_server.url)  # start the next report afresh
        yield driver
    finally:
        driver.quit()


def _open(driver, live_server, path: str, screenshot: str, *, ready: str) -> PageReport:
    """Load `path`, wait (up to 15 s) for an element matching the CSS selector `ready`,
    save the screenshot and report what the page went through."""
    driver.get(f"{live_server.url}{path}")
    with contextlib.suppress(TimeoutException):  # the checks below say what is missing
        WebDriverWait(driver, 15).until(lambda d: d.find_elements("css selector", ready))
    driver.save_screenshot(str(_screenshot_path(screenshot)))
    return PageReport.collect(driver, live_server.url)


def _screenshot_path(name: str) -> Path:
    return ARTIFACTS / f"{name}.png"


def _assert_clean(report: PageReport) -> None:
    assert report.failed == [], "resources of this server failed or are missing"
    assert report.failed_elsewhere == [], "resources of other hosts failed"
    assert report.console_errors == [], "the browser console has errors"


def test_the_dashboard(staff_browser, live_server):
    report = _open(staff_browser, live_server, "/admin/dashboard/", "dashboard", ready="svg")

    _assert_clean(report)
    find = staff_browser.find_elements
    badges = find("css selector", "#content-main .severity")
    assert len(badges) >= 2, "the demo's blockers show no severity marks"
    assert {badge.text.lower() for badge in badges} <= {"critical", "high", "schedule"}
    assert not EMOJI.search(find("id", "content-main")[0].text), "emoji in the dashboard"
    chart = find("css selector", "#content-main svg")[0]
    labels = chart.find_elements("css selector", "text")
    assert len(labels) >= 2
    key = [*find("css selector", "#content-main table"), *badges, chart]
    assert outside_viewport(staff_browser, key) == []
    assert outside_viewport(staff_browser, labels, within=chart) == [], "a chart label is clipped"


def test_the_samples_list(staff_browser, live_server):
    report = _open(
        staff_browser, live_server, "/admin/logistics/sample/", "samples-list", ready="#result_list"
    )

    _assert_clean(report)
    find = staff_browser.find_elements
    assert len(find("css selector", "#result_list tbody tr")) >= 10
    columns = [
        find("css selector", f"#result_list thead th.{name}")[0]
        for name in ("action-checkbox-column", "column-name", "column-status", "column-eta")
    ]
    results = find("css selector", "#changelist .results")[0]  # scrolls sideways past these
    assert outside_viewport(staff_browser, columns, within=results) == [], "a column is cut off"
    sidebars = [*find("id", "changelist-filter"), *find("id", "toolbar")]
    assert outside_viewport(staff_browser, sidebars) == []


def test_the_api_docs(staff_browser, live_server):
    report = _open(staff_browser, live_server, "/api/docs/", "api-docs", ready=".opblock")

    assert report.failed == [], "resources of this server failed or are missing"
    if report.failed_elsewhere and settings.SPECTACULAR_SETTINGS.get("SWAGGER_UI_DIST") != (
        "SIDECAR"
    ):
        pytest.skip(
            "the docs page loads swagger-ui from a CDN, unreachable here "
            f"({report.failed_elsewhere[0]}); served locally once drf-spectacular-sidecar is on"
        )
    _assert_clean(report)
    find = staff_browser.find_elements
    operations = find("css selector", ".swagger-ui .opblock")
    assert len(operations) >= 20, "swagger-ui rendered no operations"
    key = [*find("css selector", ".swagger-ui .info"), *operations[:5]]
    assert outside_viewport(staff_browser, key) == []
