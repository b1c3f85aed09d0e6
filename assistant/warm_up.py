"""What an assistant server process prepares when it starts (`fashionos.startup.process_serving`),
so that the first chat turns do not wait for it."""

from __future__ import annotations

import logging
import threading

from django.db import connection

from assistant.intents import trained_classifier

logger = logging.getLogger(__name__)


def classifier_warm_up(sender: str, **kwargs) -> None:
    """Train the intent classifier (about two seconds of CPU) before the first request. If it
    cannot (the staff labels' table unreadable, say), the first chat turn trains it instead.

    The training runs on a thread of its own, waited for: an ASGI server imports the
    application inside its event loop, where Django refuses database access (the staff
    labels are read from the database)."""
    worker = threading.Thread(target=_train, args=(sender,), name="classifier-warm-up")
    worker.start()
    worker.join()


def _train(sender: str) -> None:
    try:
        trained_classifier()
    except Exception:
        logger.exception("intent classifier not trained at start-up (%s)", sender)
    finally:
        # The labels were read on this thread's own connection.
        connection.close()
