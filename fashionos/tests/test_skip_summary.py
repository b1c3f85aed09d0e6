"""The last line of a test run counts the skipped tests by reason
(fashionos/testing/skip_summary.py); `make test` prints it, test_readme.py checks that."""

import os
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


SAMPLE_TESTS = """
import pytest

def test_passes():
    pass

@pytest.mark.skip(reason="needs a unicorn")
def test_skipped():
    pass

@pytest.mark.skip(reason="needs a unicorn")
def test_skipped_too():
    pass
"""


def test_a_run_ends_with_the_line(tmp_path):
    """A real run, in a process of its own and outside the project (no database, no
    conftest), with the plugin loaded as the root conftest loads it."""
    (tmp_path / "test_sample.py").write_text(SAMPLE_TESTS)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-ra", "-p", "no:cacheprovider", "-p",
         "fashionos.testing.skip_summary", "-c", os.devnull, "--rootdir", str(tmp_path),
         "test_sample.py"],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip

    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert lines[-2] == "skipped groups (2): 2 x needs a unicorn", lines[-4:]
    assert "short test summary info" in lines[-5]
