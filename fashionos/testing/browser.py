"""Headless Chromium through selenium, for tests that look at pages as staff see them.

- `browser_unavailable_reason`: why no browser can run here (None when one can).
- `chromium_start`: a headless Chromium with the browser's console and network logged.
- `PageReport`: what loading a page went through: console errors, resources that failed or
  answered 4xx/5xx, split into the server's own and other hosts'.
- `outside_viewport`: the elements that do not fit the window, by their bounding boxes.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

try:  # requirements-dev.txt; without it the browser tests say why they are skipped
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:
    webdriver = Service = None

VIEWPORT = (1280, 900)
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
)


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    missing = [tool for tool in ("chromium", "chromedriver") if shutil.which(tool) is None]
    if missing:
        return (
            f"the browser test needs chromium and chromedriver ({', '.join(missing)} not on "
            "PATH; Debian: apt-get install chromium chromium-driver)"
        )
    if webdriver is None:
        return "the browser test needs selenium (requirements-dev.txt)"
    return None


def chromium_start():
    """A headless Chromium driven by the system's chromedriver, logging the console and the
    network (no download of a driver or a browser: Selenium Manager is not asked)."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_page_load_timeout(30)
    return driver


@dataclass
class PageReport:
    """What the browser went through since the last report."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "<status or error> <url>"
    failed_elsewhere: list[str] = field(default_factory=list)  # the same, on other hosts

    @classmethod
    def collect(cls, driver, origin: str) -> PageReport:
        report = cls(origin)
        for entry in driver.get_log("browser"):
            if entry["level"] == "SEVERE":
                report.console_errors.append(entry["message"])
        urls: dict[str, str] = {}
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
            elif message["method"] == "Network.responseReceived":
                response = params["response"]
                if response["status"] >= 400:
                    report._failure(f"{response['status']} {response['url']}")
            elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
                url = urls.get(params["requestId"], "?")
                report._failure(f"{params.get('errorText', 'failed')} {url}")
        return report

    def _failure(self, line: str) -> None:
        url = line.split(" ", 1)[1]
        own = urlsplit(url).netloc == urlsplit(self.origin).netloc
        (self.failed if own else self.failed_elsewhere).append(line)

    def console_errors_of_own_pages(self) -> list[str]:
        """Console errors, less those that only repeat a failure on another host."""
        hosts = {urlsplit(line.split(" ", 1)[1]).netloc for line in self.failed_elsewhere}
        return [e for e in self.console_errors if not any(host in e for host in hosts if host)]


_BOXES = """
const width = document.documentElement.clientWidth, height = document.documentElement.scrollHeight;
return arguments[0].map((element) => {
  const box = element.getBoundingClientRect();
  return [box.left + window.scrollX, box.top + window.scrollY, box.right + window.scrollX,
          box.bottom + window.scrollY, width, height];
});
"""


def outside_viewport(driver, elements, *, within=None) -> list[str]:
    """The elements (described by tag, class and text) whose box is empty, or does not fit
    the window's width (a page may scroll down, not sideways), or `within`'s box."""
    if not elements:
        return []
    boxes = driver.execute_script(_BOXES, list(elements))
    limit = None
    if within is not None:
        limit = driver.execute_script(_BOXES, [within])[0]
    problems = []
    for element, (left, top, right, bottom, width, _height) in zip(elements, boxes, strict=True):
        if right - left <= 0 or bottom - top <= 0:
            problems.append(f"{_describe(element)}: empty box")
        elif left < 0 or right > width + 0.5:
            problems.append(f"{_describe(element)}: x {left:.0f}..{right:.0f} outside 0..{width}")
        elif limit and (left < limit[0] - 0.5 or right > limit[2] + 0.5):
            problems.append(
                f"{_describe(element)}: x {left:.0f}..{right:.0f} outside its container "
                f"{limit[0]:.0f}..{limit[2]:.0f}"
            )
    return problems


def _describe(element) -> str:
    classes = element.get_attribute("class") or ""
    return f"<{element.tag_name} class={classes!r}> {element.text[:40]!r}"
