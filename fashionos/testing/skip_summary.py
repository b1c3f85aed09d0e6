"""A pytest hook, imported by the root conftest: the run ends with one line that counts the
skipped tests by reason (`skipped groups (4): 3 x needs PostgreSQL ...; 1 x REDIS_URL is
not set`), after pytest's own summary. The README lists each reason and what lifts it."""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    result = yield
    terminalreporter.write_line(skip_summary_line(terminalreporter.stats.get("skipped", [])))
    return result


def skip_summary_line(skipped_reports) -> str:
    """`skipped groups (N): <count> x <reason>; ...`, most frequent first, or
    `skipped groups: none`."""
    reasons = Counter(skip_reason(report) for report in skipped_reports)
    if not reasons:
        return "skipped groups: none"
    groups = "; ".join(f"{count} x {reason}" for reason, count in reasons.most_common())
    return f"skipped groups ({reasons.total()}): {groups}"


def skip_reason(report) -> str:
    """The reason a skipped test report gives, without pytest's "Skipped: " prefix."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")
