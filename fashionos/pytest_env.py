"""A pytest plugin, loaded with `-p` before Django is configured, that gives the test run the
settings it needs and no more: a throwaway secret key, so the production guard against the
public development key stays on for everything else."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-outside-the-test-suite-0001")
# The classifier, trained once per test process, learns the data files alone: which test
# first trains it must not decide what it learnt (labels are tested through the loader).
os.environ.setdefault("INTENT_TRAIN_ON_LABELS", "false")
# Servers the tests start train the classifier on their first chat turn, not at start-up:
# most of them never chat.
os.environ.setdefault("WARM_UP_AT_START", "false")
