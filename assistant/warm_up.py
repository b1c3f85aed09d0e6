"""What an assistant server process prepares when it starts (`fashionos.startup.process_serving`),
so that the first chat turns do not wait for it."""

from __future__ import annotations

import logging

from django.db import connection

from assistant.intents import trained_classifier

logger = logging.getLogger(__name__)


def classifier_warm_up(sender: str, **kwargs) -> None:
    """Train the intent classifier (about two seconds of CPU) before the first request. If it
    cannot (the staff labels' table unreadable, say), the first chat turn trains it instead."""
    try:
        trained_classifier()
    except Exception:
        logger.exception("intent classifier not trained at start-up (%s)", sender)
    finally:
        # The labels were read on the importing thread's connection; requests have their own.
        connection.close()
