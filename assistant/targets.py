"""Where the frontend shows a thing: the `target` of a reply's actions and of a
recommendation, as `<page>` or `<page>:<what>`. The one place the frontend's page names and
target shapes are written."""

from __future__ import annotations

SAMPLE_TRACKER = "sample-tracker"
EVENT_SCHEDULE = "event-schedule"
MEDIA_LIBRARY = "media-library"

SAMPLES_HERO = f"{SAMPLE_TRACKER}:hero"
SAMPLES_BATCHING = f"{SAMPLE_TRACKER}:batching"
SCHEDULE_CRITICAL_PATH = f"{EVENT_SCHEDULE}:critical-path"
SCHEDULE_AT_RISK = f"{EVENT_SCHEDULE}:at-risk"
SCHEDULE_CONFLICTS = f"{EVENT_SCHEDULE}:conflicts"
MEDIA_COVERAGE = f"{MEDIA_LIBRARY}:coverage"
MEDIA_GAPS = f"{MEDIA_LIBRARY}:gaps"
MEDIA_IN_REVIEW = f"{MEDIA_LIBRARY}:in_review"


def sample(sample_id: str) -> str:
    """One sample in the sample tracker."""
    return f"{SAMPLE_TRACKER}:{sample_id}"


def samples_with_status(status: str) -> str:
    """The sample tracker filtered to one status (delayed, requested, in_transit, …)."""
    return f"{SAMPLE_TRACKER}:{status}"


def task(task_id: str) -> str:
    """One task in the event schedule."""
    return f"{EVENT_SCHEDULE}:{task_id}"


def asset(asset_id: str) -> str:
    """One asset in the media library."""
    return f"{MEDIA_LIBRARY}:{asset_id}"


def channel(key: str) -> str:
    """The media library filtered to the assets for one channel."""
    return f"{MEDIA_LIBRARY}:channel:{key}"


CHAT = "chat"


def ask(intent: str) -> str:
    """Not a page: the chat itself. An action with this target sends its `message` back to
    the chat, in the same session (the option a clarifying question offers)."""
    return f"{CHAT}:{intent}"
