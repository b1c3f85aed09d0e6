"""Publishing committed changes from sync code, and surviving a channel layer outage."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from fashionos.realtime import publish
from fashionos.realtime.changes import RowChange
from logistics.models import Sample
from logistics.services.samples import sample_update
from logistics.tests.factories import SampleFactory


class RecordingLayer:
    """A channel layer that records group sends, and can fail or hang."""

    def __init__(self, *, fail: bool = False, hang: bool = False) -> None:
        self.sent: list[tuple[str, dict, str]] = []
        self.fail = fail
        self.hang = hang

    async def group_send(self, group, message):
        if self.hang:
            await asyncio.sleep(60)
        if self.fail:
            raise ConnectionError("Redis is down")
        self.sent.append((group, message, threading.current_thread().name))


@pytest.fixture
def layer(monkeypatch):
    recording = RecordingLayer()
    monkeypatch.setattr(publish, "get_channel_layer", lambda: recording)
    return recording


def _change(campaign_id="c1") -> RowChange:
    return RowChange(
        table="samples",
        type="UPDATE",
        campaign_id=campaign_id,
        record={"id": "s1", "status": "on_set"},
        old_record={"id": "s1", "status": "arrived"},
        commit_timestamp="2027-03-01T10:00:00+00:00",
    )


def test_a_change_is_one_message_to_its_campaign_and_one_to_see_all(layer):
    publish.change_publish(_change("c1"))
    groups = sorted(group for group, _, _ in layer.sent)
    assert groups == ["rt.all", "rt.campaign.c1"]
    message = layer.sent[0][1]
    assert message["type"] == "rt.change"
    assert message["record"] == {"id": "s1", "status": "on_set"}


def test_publishing_from_a_plain_thread_uses_one_long_lived_loop(layer):
    # A management command or a WSGI worker: no event loop in the thread.
    publish.change_publish(_change())
    publish.membership_publish(user_id="u1", campaign_id="c1", role=None)
    threads = {thread for _, _, thread in layer.sent}
    assert threads == {"realtime-publisher"}
    assert ("rt.user.u1", "rt.membership") in {(g, m["type"]) for g, m, _ in layer.sent}


async def test_publishing_from_async_code_schedules_a_task(layer):
    publish.change_publish(_change())
    await asyncio.sleep(0.05)
    assert len(layer.sent) == 2


@pytest.mark.django_db(transaction=True)
def test_an_outage_never_fails_the_write_and_is_reported_once(monkeypatch, caplog):
    failing = RecordingLayer(fail=True)
    monkeypatch.setattr(publish, "get_channel_layer", lambda: failing)
    sample = SampleFactory()
    with caplog.at_level(logging.WARNING, logger="fashionos.realtime"):
        for status in ("arrived", "on_set", "shot"):
            sample_update(sample=Sample.objects.get(pk=sample.pk), data={"status": status})
    assert Sample.objects.get(pk=sample.pk).status == "shot"
    reports = [r for r in caplog.records if "could not publish" in r.getMessage()]
    assert len(reports) == 1
    assert "Redis is down" in reports[0].getMessage()


@pytest.mark.django_db(transaction=True)
def test_a_hung_channel_layer_delays_a_write_by_a_bounded_time(monkeypatch):
    monkeypatch.setattr(publish, "PUBLISH_TIMEOUT_SECONDS", 0.2)
    hanging = RecordingLayer(hang=True)
    monkeypatch.setattr(publish, "get_channel_layer", lambda: hanging)
    sample = SampleFactory()
    started = time.monotonic()
    sample_update(sample=sample, data={"status": "arrived"})
    first = time.monotonic() - started
    # Suspended after the failure: the next writes do not wait at all.
    started = time.monotonic()
    sample_update(sample=Sample.objects.get(pk=sample.pk), data={"status": "on_set"})
    second = time.monotonic() - started
    assert Sample.objects.get(pk=sample.pk).status == "on_set"
    assert 0.2 <= first < 1.5, first  # waited for the publish timeout, no longer (layer: 60 s)
    assert second < 0.2, second


def test_publishing_resumes_after_the_suspension(layer, monkeypatch):
    monkeypatch.setattr(publish, "SUSPEND_AFTER_FAILURE_SECONDS", 0.0)
    layer.fail = True
    publish.change_publish(_change())
    layer.fail = False
    publish.change_publish(_change())
    assert len(layer.sent) == 2
