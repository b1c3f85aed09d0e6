"""The intent classifier is trained once per process: at server start-up, or by the first
caller, never once per concurrent first request."""

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import DatabaseError

from assistant.intents import detector, trained_classifier
from fashionos.startup import serving_prepare

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def untrained(monkeypatch):
    """A process whose classifier is not trained yet, with a training that takes a while and
    counts its calls."""
    calls = []

    def slow_train(examples, read):
        calls.append(threading.current_thread().name)
        time.sleep(0.2)
        return f"model {len(calls)}"

    monkeypatch.setattr(detector, "_trained", None)
    monkeypatch.setattr(detector, "train", slow_train)
    return calls


def test_concurrent_first_callers_share_one_training(untrained):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(trained_classifier())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(untrained) == 1
    assert results == ["model 1"] * 8


def test_reload_trains_again(untrained):
    assert trained_classifier() == "model 1"
    assert detector.reload_classifier() == "model 2"
    assert trained_classifier() == "model 2"


@pytest.mark.django_db
def test_a_serving_process_trains_before_its_first_request(untrained, settings):
    settings.WARM_UP_AT_START = True

    serving_prepare("fashionos.wsgi")

    assert len(untrained) == 1
    assert trained_classifier() == "model 1"
    assert len(untrained) == 1


@pytest.mark.django_db
def test_without_warm_up_the_first_caller_trains(untrained, settings):
    settings.WARM_UP_AT_START = False

    serving_prepare("fashionos.wsgi")

    assert untrained == []
    assert trained_classifier() == "model 1"


@pytest.mark.django_db
def test_a_failed_warm_up_is_logged_and_the_first_caller_trains(monkeypatch, settings, caplog):
    settings.WARM_UP_AT_START = True
    monkeypatch.setattr(detector, "_trained", None)

    def broken(examples, read):
        raise DatabaseError("labels unreadable")

    monkeypatch.setattr(detector, "train", broken)
    with caplog.at_level(logging.ERROR, logger="assistant.warm_up"):
        serving_prepare("fashionos.asgi")

    assert "not trained at start-up (fashionos.asgi)" in caplog.text
    monkeypatch.setattr(detector, "train", lambda examples, read: "model")
    assert trained_classifier() == "model"


@pytest.mark.django_db
async def test_the_warm_up_runs_inside_an_event_loop(untrained, settings):
    """uvicorn imports the ASGI application from inside its event loop, where Django refuses
    database access: the training (which reads the staff labels) must not run there."""
    settings.WARM_UP_AT_START = True
    settings.INTENT_TRAIN_ON_LABELS = True
    monkeypatch_train = detector.train

    def reading_train(examples, read):
        from assistant.selectors import labelled_examples

        list(labelled_examples())
        return monkeypatch_train(examples, read)

    detector.train = reading_train
    try:
        serving_prepare("fashionos.asgi")
    finally:
        detector.train = monkeypatch_train

    assert trained_classifier() == "model 1"


@pytest.mark.parametrize("entry", ["fashionos.wsgi", "fashionos.asgi"])
def test_the_server_entry_points_train_at_import(entry):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DEBUG="true", WARM_UP_AT_START="true", INTENT_TRAIN_ON_LABELS="false")
    probe = (
        f"import {entry}\n"
        "from assistant.intents import detector\n"
        "print(type(detector._trained).__name__)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert result.stdout.strip().splitlines()[-1] == "IntentClassifier"
