"""The last line of a test run counts the skipped tests by reason
(fashionos/testing/skip_summary.py); `make test` prints it, test_readme.py checks that."""

import subprocess
import sys
from types import SimpleNamespace

from django.conf import settings

from fashionos.testing.skip_summary import skip_summary_line


def _skipped(reason: str) -> SimpleNamespace:
    return SimpleNamespace(longrepr=("some_test.py", 12, f"Skipped: {reason}"))


def test_reasons_are_counted_most_frequent_first():
    reports = [_skipped("REDIS_URL is not set"), *[_skipped("needs PostgreSQL")] * 3]

    line = skip_summary_line(reports)

    assert line == "skipped groups (4): 3 x needs PostgreSQL; 1 x REDIS_URL is not set"


def test_nothing_skipped_says_none():
    assert skip_summary_line([]) == "skipped groups: none"


def test_a_run_ends_with_the_line(tmp_path):
    """A real run of a module with one skipped test and one passing."""
    module = settings.BASE_DIR / "fashionos" / "tests" / "test_health.py"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module),
         "-k", "redis or liveness"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip

    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout[-2000:]
    assert lines[-2].startswith("skipped groups"), lines[-3:]
