from datetime import timedelta

import pytest

from logistics.analysis.blockers import blockers, minutes_until
from logistics.tests.analysis.factories import NOW, sample


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


def test_hero_is_critical_and_priority_is_high():
    hero, other = blockers(
        [sample("h", "delayed", is_hero=True), sample("p", "delayed", priority=2)], now=NOW
    )
    assert (hero.severity, other.severity) == ("critical", "high")


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(hours=4, minutes=30), 270),
        (timedelta(0), 0),
        (timedelta(seconds=59), 0),
        (-timedelta(hours=2, minutes=15), -135),
        (-timedelta(seconds=1), -1),
    ],
)
def test_minutes_until_the_eta_are_signed_and_rounded_down(offset, expected):
    assert minutes_until(NOW + offset, now=NOW) == expected
    (blocker,) = blockers([sample("h", "delayed", is_hero=True, eta=NOW + offset)], now=NOW)
    assert (blocker.minutes_until_eta, blocker.is_overdue) == (expected, expected < 0)
    assert minutes_until(None, now=NOW) is None
