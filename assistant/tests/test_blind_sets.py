"""The intent blind sets keep their format, and a committed set is never edited.

These tests read the files as data only: they check shape and counts, never what a classifier
makes of them. A failure names the file and line, not the message, so that reading a failure
does not leak a blind message into anyone's tuning.
"""

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

BLIND_DIR = Path(__file__).resolve().parent.parent / "intents" / "data" / "blind"

KIT_OF_INTENT = {
    "readiness_check": "logistics",
    "blocker_check": "logistics",
    "batching_plan": "logistics",
    "sample_lookup": "logistics",
    "schedule_overview": "events",
    "critical_path": "events",
    "at_risk_tasks": "events",
    "conflict_check": "events",
    "task_lookup": "events",
    "schedule_slack": "events",
    "asset_ranking": "media",
    "coverage_gaps": "media",
    "channel_fit": "media",
    "rights_check": "media",
    "greeting": "general",
    "recommendations": "general",
    "help": "general",
    "unknown": "general",
}
PAGES = {"logistics", "events", "media", "general"}
REGISTERS = {
    "plain",
    "cross_kit",
    "terse",
    "typo",
    "slang",
    "indirect",
    "rambling",
    "out_of_domain",
}
BASE_KEYS = {"message", "current_kit", "intent", "kit", "register"}
PER_INTENT = 13

# A blind set is never edited (see the folder's README): a change is a new dated file. Each
# committed file is pinned here when it is added, so an edit to an old one fails.
PINNED = {
    "2026-12-04.jsonl": "82e057f480394b24ba4064e5cc5a19ae76f698ec9b7ce175143cd0a4474dc6b4",
    "2026-12-04-b.jsonl": "25b1c527a8e75646355b444cab918232c018427bc23ba5e4323a757a2e9a0042",
    "2026-12-05.jsonl": "2a860bf5110aedb26c8d9ac8e601ec5a90994adee8bf7e478d888cc992a71d01",
    "2026-12-05-d.jsonl": "3e0af036286434aaed5179e278a3515350acf55161cb991c43e200b5fd98aedf",
}
SET_TAG = {"2026-12-04-b.jsonl": "b", "2026-12-05.jsonl": "c", "2026-12-05-d.jsonl": "d"}

BLIND_FILES = sorted(path.name for path in BLIND_DIR.glob("*.jsonl"))


def _rows(name: str) -> list[dict]:
    rows = []
    text = (BLIND_DIR / name).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"{name} line {number} is not one JSON object")
    return rows


def _problems(name: str, rows: list[dict]) -> list[str]:
    keys = BASE_KEYS | {"set"} if name in SET_TAG else BASE_KEYS
    problems = []
    for number, row in enumerate(rows, start=1):
        where = f"{name} line {number}"
        if set(row) != keys:
            problems.append(f"{where}: keys {sorted(row)}, expected {sorted(keys)}")
            continue
        if not isinstance(row["message"], str) or not row["message"].strip():
            problems.append(f"{where}: empty message")
        if row["intent"] not in KIT_OF_INTENT:
            problems.append(f"{where}: unknown intent {row['intent']!r}")
        elif row["kit"] != KIT_OF_INTENT[row["intent"]]:
            problems.append(f"{where}: intent {row['intent']} is not in kit {row['kit']}")
        if row["current_kit"] not in PAGES:
            problems.append(f"{where}: page {row['current_kit']!r}")
        if row["register"] not in REGISTERS:
            problems.append(f"{where}: register {row['register']!r}")
        if row["register"] == "out_of_domain" and row["intent"] != "unknown":
            problems.append(f"{where}: out_of_domain is labelled {row['intent']}")
        if row["register"] == "cross_kit" and row["current_kit"] == row["kit"]:
            problems.append(f"{where}: cross_kit asked from its own kit's page")
        if name in SET_TAG and row.get("set") != SET_TAG[name]:
            problems.append(f"{where}: set {row.get('set')!r}, expected {SET_TAG[name]!r}")
    return problems


def test_every_blind_set_is_pinned_and_described():
    readme = (BLIND_DIR / "README.md").read_text(encoding="utf-8")

    assert sorted(PINNED) == BLIND_FILES
    for name in BLIND_FILES:
        assert f"## `{name}`" in readme, f"{name} has no section in the README"


@pytest.mark.parametrize("name", BLIND_FILES)
def test_blind_set_is_never_edited(name):
    digest = hashlib.sha256((BLIND_DIR / name).read_bytes()).hexdigest()

    assert digest == PINNED[name], f"{name} changed: write a new dated file instead"


@pytest.mark.parametrize("name", BLIND_FILES)
def test_blind_set_format(name):
    rows = _rows(name)

    assert _problems(name, rows) == []
    per_intent = Counter(row["intent"] for row in rows)
    assert per_intent == dict.fromkeys(KIT_OF_INTENT, PER_INTENT)
    messages = [row["message"].strip().lower() for row in rows]
    assert len(set(messages)) == len(messages), f"{name} repeats a message"


def test_format_check_catches_a_bad_row():
    good = {
        "message": "m",
        "current_kit": "events",
        "intent": "readiness_check",
        "kit": "logistics",
        "register": "cross_kit",
        "set": "c",
    }
    wrong_kit = {**good, "kit": "media"}
    off_topic_mislabelled = {**good, "register": "out_of_domain"}
    missing_key = {key: value for key, value in good.items() if key != "register"}

    problems = _problems("2026-12-05.jsonl", [good, wrong_kit, off_topic_mislabelled, missing_key])

    assert [problem.split(":")[0] for problem in problems] == [
        "2026-12-05.jsonl line 2",
        "2026-12-05.jsonl line 3",
        "2026-12-05.jsonl line 4",
    ]
