"""Repeated log records (an outage logged every second) pass once per interval."""

from __future__ import annotations

import logging

from django.conf import settings

from fashionos import log_throttle
from fashionos.log_throttle import RepeatedRecordFilter


def _record(name: str, msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_repeated_record_passes_once_per_interval_with_the_count_held_back(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(log_throttle.time, "monotonic", lambda: clock[0])
    throttle = RepeatedRecordFilter(interval=60)

    record = "channels_redis.pubsub", "receive failed"
    passed = [throttle.filter(_record(*record)) for _ in range(30)]
    assert passed == [True] + [False] * 29

    clock[0] += 61
    again = _record("channels_redis.pubsub", "receive failed")
    assert throttle.filter(again) is True
    assert again.getMessage() == "receive failed (29 more like this in the last interval)"


def test_records_are_keyed_by_logger_and_template_not_by_their_arguments(monkeypatch):
    monkeypatch.setattr(log_throttle.time, "monotonic", lambda: 5.0)
    throttle = RepeatedRecordFilter(interval=60)
    assert throttle.filter(_record("fashionos.health", "check failed: %s", "OperationalError"))
    assert not throttle.filter(_record("fashionos.health", "check failed: %s", "TimeoutError"))
    assert throttle.filter(_record("fashionos.health", "another message"))
    assert throttle.filter(_record("channels_redis.pubsub", "check failed: %s", "x"))


def test_the_noisy_loggers_are_throttled_by_the_settings():
    loggers = settings.LOGGING["loggers"]
    for name in ("channels_redis.pubsub", "fashionos.health"):
        assert loggers[name]["filters"] == ["once_per_minute"]
        filters = logging.getLogger(name).filters
        assert any(isinstance(f, RepeatedRecordFilter) for f in filters), name


def test_reset_forgets_what_was_seen(monkeypatch):
    monkeypatch.setattr(log_throttle.time, "monotonic", lambda: 5.0)
    throttle = RepeatedRecordFilter(interval=60)
    assert throttle.filter(_record("fashionos.health", "check failed"))
    assert not throttle.filter(_record("fashionos.health", "check failed"))
    throttle.reset()
    assert throttle.filter(_record("fashionos.health", "check failed"))
