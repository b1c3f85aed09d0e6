"""An empty campaign on the wire: `readySamples` is 0 (a mutant returning `ready=1` or
dropping the early return must not survive; issue 11, item 7)."""

from assistant.logistics_words import readiness_dict
from logistics.analysis.readiness import EMPTY, readiness


def test_an_empty_campaign_has_zero_ready_samples_on_the_wire():
    data = readiness_dict(readiness([]))
    assert data["readySamples"] == 0
    assert data["totalSamples"] == 0
    assert data["overallPercentage"] == 0
    assert data["status"] == EMPTY
    assert data["notReady"] == []
    assert set(data["countsByStatus"].values()) == {0}
