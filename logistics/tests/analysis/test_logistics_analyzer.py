import subprocess
import sys
from pathlib import Path

import pytest

from logistics.analysis import ALGORITHM_VERSIONS
from logistics.analysis.logistics_analyzer import ANALYSIS_TYPES, analyze_logistics
from logistics.tests.analysis.factories import NOW, minutes, sample

ROOT = Path(__file__).resolve().parents[3]

SAMPLES = [
    sample("1", "on_set", category="Dresses", arrived_at=NOW - minutes(30)),
    sample("2", "delayed", is_hero=True, name="Silk Gown", eta=NOW + minutes(90)),
    sample("3", "shot", category="Bags", arrived_at=NOW - minutes(20)),
    sample("4", "on_set", category="dresses", arrived_at=NOW - minutes(10)),
]


def test_algorithm_versions():
    assert ALGORITHM_VERSIONS == {
        "logistics": "2",
        "events": "1",
        "media": "2",
        "recommendations": "1-2-1-2",
    }


def test_unknown_analysis_type_is_refused():
    assert ANALYSIS_TYPES == ("readiness", "blockers", "batching", "all")
    with pytest.raises(ValueError, match="analysisType must be one of readiness, blockers"):
        analyze_logistics(SAMPLES, "everything", now=NOW)


def test_analysis_never_imports_django():
    code = (
        "import sys\n"
        "import logistics.analysis.recommendations, logistics.analysis.image_metrics\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize(
    ("analysis_type", "parts"),
    [
        ("readiness", ("readiness",)),
        ("blockers", ("blockers",)),
        ("batching", ("batching",)),
        ("all", ("readiness", "blockers", "batching")),
    ],
)
def test_each_analysis_type_computes_only_its_parts(analysis_type, parts):
    analysis = analyze_logistics(SAMPLES, analysis_type, now=NOW)
    computed = tuple(
        part
        for part in ("readiness", "blockers", "batching")
        if getattr(analysis, part) is not None
    )
    assert computed == parts
