"""A logging filter that lets a repeated record through once per interval.

channels_redis' receive loop logs a full traceback every second while Redis is away
("Unexpected exception in receive task"), and our readiness probe would log every failed
probe: an outage would bury everything else in the log. Records are keyed by logger and
message template (not the formatted text, which may carry an address or a counter); the first
of a key in each interval passes, with how many were held back since the last one that did.
"""

from __future__ import annotations

import logging
import threading
import time

REPEAT_INTERVAL_SECONDS = 60.0


class RepeatedRecordFilter(logging.Filter):
    def __init__(self, interval: float = REPEAT_INTERVAL_SECONDS) -> None:
        super().__init__()
        self.interval = float(interval)
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}

    def reset(self) -> None:
        """Forget what has been seen (tests start each case with a clean log)."""
        with self._lock:
            self._last.clear()
            self._held.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last interval)"
        return True
