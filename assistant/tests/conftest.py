"""A known campaign for the assistant's endpoint tests, built with the services (so every write
bumps the campaign's revision, as in production), and frozen clocks for the chat and the
analyzers, so answers that depend on the time (ETAs, minutes late) are exact.

The campaign ("Resort 27", the cast's campaign) at NOW:

samples (3 of 8 ready → 38 %):
    Silk Gown         hero, delayed, priority 1, DHL DHL-4471, ETA NOW + 4h 30min
    Wool Coat         delayed, priority 2, FedEx, no ETA
    Linen Shirt       on set          Denim Jacket   on set        Leather Boots  shot
    Cashmere Scarf    requested       Velvet Blazer  in transit, UPS 1Z999AA1, ETA NOW + 1 day
    Satin Slip Dress  hero, arrived
tasks (critical path Build set → Light test → Shoot hero looks → Wrap, 4h):
    Build set 60min; Light test 30min after Build set; Shoot hero looks 120min after Light
    test, deadline NOW + 3h (planned finish NOW + 3h 30min: late by 30min); Steam garments
    45min after Build set (Ana Ruiz); Wrap 30min after Shoot hero looks and Steam garments;
    tomorrow: Fitting with talent 09:00-10:00 and Press interview 09:30-10:30, both Ben
    Okafor (a 30min double-booking).
assets:
    Satin portrait  approved 1080x1350 feed, features Satin Slip Dress (hero)
    Linen story     approved 1080x1920 story, features Linen Shirt
    Gown banner     draft 1920x1080 web hero, features Silk Gown (hero)
    Small square    in review 800x800 feed
so Silk Gown is the one hero piece without an approved asset, and the web hero banner is
the one targeted channel without an approved asset that fits.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from fashionos.testing.factories import UserFactory
from logistics.models import Asset, Campaign, Sample, Task
from logistics.services.assets import asset_create
from logistics.services.samples import sample_create
from logistics.services.tasks import task_create

# The accuracy lines test_intents.py reports, printed after the run (pytest_terminal_summary).
ACCURACY_LINES = pytest.StashKey[list[str]]()

# The chat's and the analyzers' clock in these tests: today at 08:00 UTC (a multiple of the
# analyzers' 15-minute clock step, so both see the same instant).
NOW = datetime.combine(timezone.now().date(), time(8, 0), tzinfo=UTC)
TOMORROW = NOW + timedelta(days=1)


@dataclass
class KnownCampaign:
    campaign: Campaign
    samples: dict[str, Sample] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)

    def sample_id(self, name: str) -> str:
        return str(self.samples[name].pk)

    def task_id(self, title: str) -> str:
        return str(self.tasks[title].pk)

    def asset_id(self, title: str) -> str:
        return str(self.assets[title].pk)


# name, status, hero, priority, category, courier, tracking, ETA after NOW
SAMPLES = [
    ("Silk Gown", "delayed", True, 1, "Dresses", "DHL", "DHL-4471", timedelta(hours=4, minutes=30)),
    ("Wool Coat", "delayed", False, 2, "Outerwear", "FedEx", "", None),
    ("Linen Shirt", "on_set", False, 3, "Tops", "", "", None),
    ("Denim Jacket", "on_set", False, 3, "Outerwear", "", "", None),
    ("Leather Boots", "shot", False, 3, "Shoes", "", "", None),
    ("Cashmere Scarf", "requested", False, 4, "Accessories", "", "", None),
    ("Velvet Blazer", "in_transit", False, 3, "Outerwear", "UPS", "1Z999AA1", timedelta(days=1)),
    ("Satin Slip Dress", "arrived", True, 1, "Dresses", "", "", None),
]


def known_campaign_build(*, campaign: Campaign) -> KnownCampaign:
    """Fill `campaign` with the samples, tasks and assets of the module docstring."""
    known = KnownCampaign(campaign=campaign)
    ana = UserFactory(email="ana@example.com", full_name="Ana Ruiz")
    ben = UserFactory(email="ben@example.com", full_name="Ben Okafor")
    for name, status, hero, priority, category, courier, tracking, eta in SAMPLES:
        known.samples[name] = sample_create(
            campaign=campaign,
            data={
                "name": name,
                "status": status,
                "is_hero": hero,
                "priority": priority,
                "category": category,
                "courier": courier,
                "tracking_number": tracking,
                "designer": "Maison Test",
                "eta": NOW + eta if eta is not None else None,
            },
        )

    def task(title, minutes, after=(), **data):
        known.tasks[title] = task_create(
            campaign=campaign,
            data={"title": title, "duration_minutes": minutes, **data},
            depends_on=[known.tasks[other] for other in after],
        )

    task("Build set", 60)
    task("Light test", 30, after=["Build set"])
    task("Shoot hero looks", 120, after=["Light test"], deadline=NOW + timedelta(hours=3))
    task("Steam garments", 45, after=["Build set"], assignee=ana)
    task("Wrap", 30, after=["Shoot hero looks", "Steam garments"])
    tomorrow_nine = TOMORROW + timedelta(hours=1)
    task("Fitting with talent", 60, assignee=ben, earliest_start=tomorrow_nine)
    task("Press interview", 60, assignee=ben, earliest_start=tomorrow_nine + timedelta(minutes=30))

    def asset(title, status, width, height, channels, featured=()):
        known.assets[title] = asset_create(
            campaign=campaign,
            data={
                "title": title,
                "kind": "image",
                "status": status,
                "width": width,
                "height": height,
                "target_channels": channels,
            },
            featured_samples=[known.samples[name] for name in featured],
        )

    asset("Satin portrait", "approved", 1080, 1350, ["instagram_feed"], ["Satin Slip Dress"])
    asset("Linen story", "approved", 1080, 1920, ["instagram_story"], ["Linen Shirt"])
    asset("Gown banner", "draft", 1920, 1080, ["web_hero"], ["Silk Gown"])
    asset("Small square", "in_review", 800, 800, ["instagram_feed"])
    campaign.refresh_from_db()
    return known


def campaign_fill(*, campaign: Campaign, size: int) -> None:
    """`size` samples, tasks (a chain) and assets (each featuring a sample) in `campaign`,
    through the services."""
    previous = None
    for index in range(size):
        sample = sample_create(
            campaign=campaign,
            data={
                "name": f"Look {index:03d}",
                "status": ("requested", "delayed", "on_set", "arrived")[index % 4],
                "is_hero": index % 5 == 0,
                "priority": 1 + index % 5,
                "category": ("Dresses", "Tops", "Shoes")[index % 3],
            },
        )
        previous = task_create(
            campaign=campaign,
            data={
                "title": f"Step {index:03d}",
                "duration_minutes": 15,
                "deadline": NOW + timedelta(minutes=10 * (index + 1)),
            },
            depends_on=[previous] if previous is not None else [],
        )
        asset_create(
            campaign=campaign,
            data={
                "title": f"Shot {index:03d}",
                "kind": "image",
                "status": ("approved", "draft")[index % 2],
                "width": 1080,
                "height": 1350,
                "target_channels": ["instagram_feed"],
            },
            featured_samples=[sample],
        )


def _frozen_timezone() -> types.SimpleNamespace:
    return types.SimpleNamespace(now=lambda: NOW)


@pytest.fixture
def frozen_clock(monkeypatch):
    """The chat's and the analyzers' clock stand at NOW (only theirs: rows, tokens and cache
    expiry keep the real time)."""
    monkeypatch.setattr("assistant.analysis_input.timezone", _frozen_timezone())
    monkeypatch.setattr("assistant.analysis_runs.timezone", _frozen_timezone())
    return NOW


@pytest.fixture
def known(cast, frozen_clock) -> KnownCampaign:
    return known_campaign_build(campaign=cast.campaign)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the intent accuracy lines after the run, with or without -s, when test_intents
    measured them."""
    lines = config.stash.get(ACCURACY_LINES, [])
    if lines:
        terminalreporter.write_sep("-", "intent detection accuracy")
        for line in lines:
            terminalreporter.write_line(line)
