from datetime import timedelta

import pytest

from logistics.analysis.blockers import (
    HERO_IMPACT,
    PRIORITY_IMPACT,
    UNKNOWN_DELAY,
    blockers,
    estimated_delay,
)
from logistics.analysis.wording import format_minutes
from logistics.tests.analysis.factories import NOW, minutes, sample


def test_no_samples_no_blockers():
    assert blockers([], now=NOW) == []


def test_only_delayed_hero_or_priority_one_or_two_block():
    samples = [
        sample("hero", "delayed", is_hero=True, priority=5),
        sample("p1", "delayed", priority=1),
        sample("p2", "delayed", priority=2),
        sample("p3", "delayed", priority=3),
        sample("hero-in-transit", "in_transit", is_hero=True, priority=1),
        sample("p1-requested", "requested", priority=1),
    ]
    assert [b.sample_id for b in blockers(samples, now=NOW)] == ["hero", "p1", "p2"]


def test_hero_is_critical_and_priority_is_high_with_the_original_impact_text():
    hero, other = blockers(
        [sample("b", "delayed", priority=2), sample("a", "delayed", is_hero=True)], now=NOW
    )
    assert (hero.severity, hero.impact) == ("critical", HERO_IMPACT)
    assert (other.severity, other.impact) == ("high", PRIORITY_IMPACT)
    assert HERO_IMPACT == "HERO ITEM missing - cannot shoot primary assets"
    assert PRIORITY_IMPACT == "High-priority item delayed"


@pytest.mark.parametrize(
    ("offset", "minutes_until_eta", "text"),
    [
        (minutes(270), 270, "4h 30min"),
        (minutes(45), 45, "45min"),
        (minutes(0), 0, "0min"),
        (timedelta(seconds=90), 1, "1min"),  # whole minutes, rounded down
        (timedelta(seconds=-30), -1, "overdue by 1min"),
        (minutes(-135), -135, "overdue by 2h 15min"),
        (minutes(-(26 * 60 + 5)), -1565, "overdue by 1d 2h 5min"),
    ],
)
def test_estimated_delay_from_the_eta(offset, minutes_until_eta, text):
    assert estimated_delay(NOW + offset, now=NOW) == (minutes_until_eta, text)
    (blocker,) = blockers([sample("x", "delayed", is_hero=True, eta=NOW + offset)], now=NOW)
    assert (blocker.minutes_until_eta, blocker.estimated_delay) == (minutes_until_eta, text)
    assert blocker.is_overdue == (minutes_until_eta < 0)


def test_no_eta_is_unknown():
    (blocker,) = blockers([sample("x", "delayed", priority=1)], now=NOW)
    assert (blocker.minutes_until_eta, blocker.estimated_delay) == (None, UNKNOWN_DELAY)
    assert UNKNOWN_DELAY == "unknown"
    assert not blocker.is_overdue


def test_sorted_critical_first_then_priority_then_name_then_id():
    samples = [
        sample("1", "delayed", name="Zip top", priority=1),
        sample("2", "delayed", name="Belt", priority=2),
        sample("3", "delayed", name="Gown", is_hero=True, priority=4),
        sample("4", "delayed", name="Anorak", is_hero=True, priority=4),
        sample("5", "delayed", name="Cape", is_hero=True, priority=1),
        sample("7", "delayed", name="Belt", priority=2),
        sample("6", "delayed", name="belt", priority=2),
    ]
    assert [b.sample_id for b in blockers(samples, now=NOW)] == ["5", "4", "3", "1", "2", "6", "7"]


def test_to_dict_is_the_original_wire_shape_plus_details():
    (blocker,) = blockers(
        [
            sample(
                "s1",
                "delayed",
                name="Silk Gown",
                is_hero=True,
                priority=1,
                eta=NOW - minutes(180),
                category="Dresses",
                designer="Maison A",
                courier="DHL",
                tracking_number="1Z999",
            )
        ],
        now=NOW,
    )
    assert blocker.to_dict() == {
        "sampleId": "s1",
        "name": "Silk Gown",
        "severity": "critical",
        "impact": "HERO ITEM missing - cannot shoot primary assets",
        "estimatedDelay": "overdue by 3h",
        "minutesUntilEta": -180,
        "overdue": True,
        "isHero": True,
        "priority": 1,
        "eta": "2025-03-01T06:00:00+00:00",
        "category": "Dresses",
        "designer": "Maison A",
        "courier": "DHL",
        "trackingNumber": "1Z999",
    }


def test_format_minutes():
    assert [format_minutes(m) for m in (0, 5, 60, 65, 1440, 1500, 1441)] == [
        "0min",
        "5min",
        "1h",
        "1h 5min",
        "1d",
        "1d 1h",
        "1d 1min",
    ]
    with pytest.raises(ValueError):
        format_minutes(-1)


def test_ten_thousand_samples():
    samples = [
        sample(
            str(i), "delayed" if i % 4 == 0 else "on_set", is_hero=i % 40 == 0, priority=1 + i % 5
        )
        for i in range(10_000)
    ]
    found = blockers(samples, now=NOW)
    # delayed: i % 4 == 0 (2,500); heroes among them: i % 40 == 0 (250); priority ≤ 2 means
    # i % 5 in (0, 1), and with i % 4 == 0 that is i % 20 in (0, 16): 1,000, of which the
    # heroes (i % 40 == 0) are 250 already counted.
    assert len(found) == 250 + 1_000 - 250
    assert sum(b.severity == "critical" for b in found) == 250
    assert found[0].severity == "critical" and found[-1].severity == "high"
