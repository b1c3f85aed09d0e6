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


@pytest.mark.parametrize(
    ("analysis_type", "keys"),
    [
        ("readiness", ["readiness"]),
        ("blockers", ["blockers"]),
        ("batching", ["batching"]),
        ("all", ["readiness", "blockers", "batching"]),
    ],
)
def test_analysis_types_return_the_original_keys(analysis_type, keys):
    assert list(analyze_logistics(SAMPLES, analysis_type, now=NOW)) == keys


def test_all_in_the_original_wire_shape():
    result = analyze_logistics(SAMPLES, "all", now=NOW)
    assert result["readiness"]["overallPercentage"] == 75
    assert result["readiness"]["status"] == "acceptable"
    assert result["readiness"]["message"] == "Campaign is 75% ready: 3 of 4 samples on set or shot."
    assert result["readiness"]["recommendations"] == [
        "Chase the delayed hero piece: Silk Gown (hero)."
    ]
    assert [(b["sampleId"], b["severity"], b["estimatedDelay"]) for b in result["blockers"]] == [
        ("2", "critical", "1h 30min")
    ]
    batching = result["batching"]
    assert (
        batching["totalBatches"],
        batching["estimatedTimeSavings"],
        batching["minutesSaved"],
    ) == (
        2,
        "30min",
        30,
    )
    assert [b["items"] for b in batching["batches"]] == [["1", "4"], ["3"]]


def test_batching_overrides_pass_through():
    result = analyze_logistics(SAMPLES, "batching", now=NOW, setup_minutes={"Dresses": 45})
    assert result["batching"]["minutesSaved"] == 45


def test_unknown_analysis_type_is_refused():
    assert ANALYSIS_TYPES == ("readiness", "blockers", "batching", "all")
    with pytest.raises(ValueError, match="analysisType must be one of readiness, blockers"):
        analyze_logistics(SAMPLES, "everything", now=NOW)


def test_algorithm_versions():
    assert ALGORITHM_VERSIONS == {
        "logistics": "2",
        "events": "1",
        "media": "1",
        "recommendations": "1-2-1-1",
    }


def test_analysis_never_imports_django():
    code = (
        "import sys\n"
        "import logistics.analysis.recommendations, logistics.analysis.image_metrics\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
