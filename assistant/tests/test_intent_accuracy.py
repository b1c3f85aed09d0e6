"""How well the trained intent classifier does, measured where it cannot have been tuned.

- Cross-validation over the training data (stratified 5-fold, computed when the classifier is
  trained): overall and per-intent accuracy, the confusion table's worst pairs, and how often
  an unsure answer is turned into a clarifying question.
- Each blind set in ``assistant/intents/data/blind/`` (read-only: written before training,
  never trained or tuned on): accuracy overall, per intent and per register.

Every figure is printed after every run (see conftest.py; -s shows the per-intent tables).
Targets: 95% on a blind set, no intent under 85%. A target not met is an expected failure that
says the real figure, never a lowered target.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from assistant.intents import (
    PreviousTurn,
    TrainingExample,
    detect_intent,
    load_examples,
    trained_classifier,
)
from assistant.intents.classifier import (
    CLARIFY_WHEN_RIGHT_AT_MOST,
    IntentClassifier,
    features,
    train,
)
from assistant.intents.definitions import INTENTS_BY_NAME, KITS
from assistant.intents.detector import message_features
from assistant.intents.training import (
    REQUIRED_KEYS,
    TRAINING_DIR,
    TrainingDataError,
    example_from_dict,
    intent_kits,
    training_files,
)
from assistant.tests.conftest import ACCURACY_LINES

BLIND_DIR = TRAINING_DIR.parent / "blind"
BLIND_TARGET = 0.95
INTENT_TARGET = 0.85
WORST_PAIRS = 8
# The blind sets measured so far, with their first measurement where it missed a target
# (the assertion is then an expected failure that states it) and the figure now: since a
# two-part question's intent is its first part's (the reply answers both parts), and with the
# answers branch's 28 labelled examples of the three new intents.
BLIND_SETS = {
    "2026-12-04.jsonl": "first measurement of the trained classifier: 89.7% (210/234), "
    "task_lookup 61.5%; now 91.9% (215/234)",
    "2026-12-04-b.jsonl": "first measurement of the trained classifier: 87.2% (204/234), "
    "task_lookup 53.8%; now 91.0% (213/234), sample_lookup 69.2%",
    "2026-12-05.jsonl": "first measurement (set c, written for it): 92.7% (217/234), "
    "task_lookup 46.2%, coverage_gaps 61.5%; now 94.4% (221/234)",
    "2026-12-05-d.jsonl": "first measurement (set d, written before the round-5 training "
    "data): 93.6% (219/234), coverage_gaps 69.2%, task_lookup 84.6%, greeting 84.6% "
    "(the classifier before that data: 90.2%)",
}


def _blind(name: str) -> list[dict]:
    path = BLIND_DIR / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _record(config: pytest.Config, line: str) -> None:
    config.stash.setdefault(ACCURACY_LINES, []).append(line)
    print(f"\n{line}")


def _per_intent_lines(per_intent: dict[str, list[bool]]) -> list[str]:
    return [
        f"  {name:18} {sum(oks) / len(oks):6.1%}  ({sum(oks)}/{len(oks)})"
        for name, oks in sorted(per_intent.items())
    ]


def _compact(per_intent: dict[str, list[bool]], title: str = "per intent") -> str:
    """Accuracy per intent (or register) on one line, for the end-of-run summary."""
    return f"  {title}: " + ", ".join(
        f"{name} {sum(oks) / len(oks):.0%}" for name, oks in sorted(per_intent.items())
    )


def _worst_pairs(confusion: Counter[tuple[str, str]]) -> str:
    return ", ".join(f"{a}->{b} {n}" for (a, b), n in confusion.most_common(WORST_PAIRS))


# ---- the training data --------------------------------------------------------------------


def test_the_training_data_is_well_formed_and_covers_every_intent():
    examples = load_examples()
    kits = trained_classifier().kits

    assert len(examples) >= 2500
    assert len(kits) >= 18
    assert set(INTENTS_BY_NAME) <= set(kits)
    assert all(kits[name] == intent.kit for name, intent in INTENTS_BY_NAME.items())
    assert set(kits.values()) <= set(KITS)
    counts = Counter(e.intent for e in examples if not e.is_follow_up)
    assert min(counts.values()) >= 100, counts
    assert all(e.current_kit in (None, *KITS) for e in examples)
    assert all(e.previous_intent in (None, *kits) for e in examples)
    # One label per message and page: a message is not taught two intents.
    labels: dict[tuple, set[str]] = defaultdict(set)
    for e in examples:
        if not e.is_follow_up and e.previous_intent is None:
            labels[(e.message.casefold().strip(" ?!."), e.current_kit)].add(e.intent)
    assert not {key: names for key, names in labels.items() if len(names) > 1}


def test_a_training_line_has_exactly_the_format_keys():
    good = {"kit": "events", "intent": "critical_path", "message": "crit path", "source": "x"}

    assert example_from_dict(good) == TrainingExample("events", "critical_path", "crit path", "x")
    assert example_from_dict({**good, "current_kit": "media", "previous_intent": "help"})
    for bad in (
        {k: v for k, v in good.items() if k != "source"},
        {**good, "register": "terse"},
        {**good, "intent": ""},
        {**good, "kit": 3},
    ):
        with pytest.raises(TrainingDataError):
            example_from_dict(bad)
    for path in training_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            assert set(json.loads(line)) >= REQUIRED_KEYS, path.name


def test_an_intent_labelled_with_two_kits_is_refused():
    examples = [
        TrainingExample("events", "critical_path", "crit path", "x"),
        TrainingExample("media", "critical_path", "best path", "y"),
    ]

    with pytest.raises(TrainingDataError, match="critical_path"):
        intent_kits(examples)


def test_no_blind_set_is_a_training_source():
    blind_files = sorted(BLIND_DIR.glob("*.jsonl"))

    assert blind_files
    assert all(path.parent == TRAINING_DIR for path in training_files())
    assert not set(blind_files) & set(training_files())
    assert not {e.source for e in load_examples()} & {p.name for p in blind_files}
    assert not {e.source for e in load_examples()} & {p.stem for p in blind_files}


def test_labelled_examples_from_another_source_join_the_training(monkeypatch):
    taught = [
        TrainingExample("general", "help", f"zorblax frumple {n}", "labels") for n in range(6)
    ]
    monkeypatch.setattr("assistant.intents.training._sources", [])

    from_files = load_examples()
    monkeypatch.setattr("assistant.intents.training._sources", [lambda: taught])
    with_labels = load_examples()

    assert with_labels == from_files + taught
    model = train(with_labels, read=message_features)
    probabilities = model.predict(message_features("zorblax frumple"), "logistics")
    assert max(probabilities, key=probabilities.get) == "help"


# ---- cross-validation ---------------------------------------------------------------------


def test_cross_validated_accuracy(pytestconfig):
    oof = trained_classifier().out_of_fold
    predicted = oof.probabilities.argmax(axis=1)
    per_intent: dict[str, list[bool]] = defaultdict(list)
    confusion: Counter[tuple[str, str]] = Counter()
    for truth, guess in zip(oof.truth, predicted, strict=True):
        per_intent[oof.labels[truth]].append(truth == guess)
        if truth != guess:
            confusion[(oof.labels[truth], oof.labels[guess])] += 1
    accuracy = float(np.mean(predicted == oof.truth))

    right = int(np.sum(predicted == oof.truth))
    _record(
        pytestconfig,
        f"training data, stratified 5-fold CV: {accuracy:.1%} ({right}/{len(predicted)}); "
        f"worst pairs: {_worst_pairs(confusion)}",
    )
    print("\n".join(_per_intent_lines(per_intent)))
    below = {
        name: f"{np.mean(oks):.1%}"
        for name, oks in sorted(per_intent.items())
        if np.mean(oks) < INTENT_TARGET
    }
    _record(pytestconfig, f"  CV intents under {INTENT_TARGET:.0%}: {below or 'none'}")
    _record(pytestconfig, _compact(per_intent))
    assert accuracy >= 0.85


@pytest.mark.xfail(
    strict=True,
    reason="first measurement: CV under 85% for recommendations 83.8%, schedule_slack 80.4%, "
    "unknown 80.0%; before round 5's data schedule_slack 84.7%, unknown 78.0%; now "
    "blocker_check 84.6%, help 84.9%, schedule_overview 84.8%, unknown 82.4%",
)
def test_no_intent_is_under_the_target_in_cross_validation():
    oof = trained_classifier().out_of_fold
    predicted = oof.probabilities.argmax(axis=1)

    for index, name in enumerate(oof.labels):
        mine = oof.truth == index
        assert np.mean(predicted[mine] == index) >= INTENT_TARGET, name


def test_cross_validated_clarifying_questions(pytestconfig):
    """Below the fitted threshold the best intent is wrong often enough that asking is
    better; the question offers the right intent most of the time."""
    model = trained_classifier()
    oof = model.out_of_fold
    top = oof.probabilities.max(axis=1)
    best = oof.probabilities.argmax(axis=1)
    order = np.argsort(-oof.probabilities, axis=1, kind="stable")[:, :3]
    offered = np.array([oof.labels[b] not in ("unknown", "greeting") for b in best])
    asked = offered & (top < model.clarify_below)
    options_hold_truth = [
        truth in row[: max(2, int(np.sum(oof.probabilities[i, row] >= model.clarify_option_min)))]
        for i, (truth, row) in enumerate(zip(oof.truth, order, strict=True))
        if asked[i]
    ]

    _record(
        pytestconfig,
        f"  clarify below p={model.clarify_below:.2f}: asked on {asked.mean():.1%} of CV "
        f"messages, best intent right there {np.mean(best[asked] == oof.truth[asked]):.1%}, "
        f"right intent offered {np.mean(options_hold_truth):.1%}; "
        f"answered directly: {np.mean(best[~asked] == oof.truth[~asked]):.1%} right",
    )
    assert 0 < model.clarify_below < 1
    assert np.mean(best[asked] == oof.truth[asked]) <= CLARIFY_WHEN_RIGHT_AT_MOST
    assert np.mean(options_hold_truth) > np.mean(best[asked] == oof.truth[asked])


def test_the_calibration_weighs_the_page_without_overriding_it():
    model = trained_classifier()

    assert 0 < model.calibration.page_weight < 5
    assert detect_intent("which tasks are late?", current_kit="logistics").intent == (
        "at_risk_tasks"
    )


# ---- the blind sets -----------------------------------------------------------------------


def _measure(name: str, config: pytest.Config) -> tuple[float, dict[str, float]]:
    cases = _blind(name)
    per_intent: dict[str, list[bool]] = defaultdict(list)
    per_register: dict[str, list[bool]] = defaultdict(list)
    confusion: Counter[tuple[str, str]] = Counter()
    clarified_right = 0
    for case in cases:
        match = detect_intent(case["message"], current_kit=case["current_kit"])
        right = match.intent == case["intent"]
        per_intent[case["intent"]].append(right)
        per_register[case.get("register", "?")].append(right)
        clarified_right += right or case["intent"] in match.clarify + tuple(
            part.intent for part in match.parts
        )
        if not right:
            confusion[(case["intent"], match.intent)] += 1
    right = sum(ok for oks in per_intent.values() for ok in oks)
    accuracy = right / len(cases)
    by_intent = {name: sum(oks) / len(oks) for name, oks in per_intent.items()}
    worst = min(by_intent, key=by_intent.get)
    _record(
        config,
        f"blind set {name} (read-only): {accuracy:.1%} ({right}/{len(cases)}); "
        f"right, or offered in a question or a part {clarified_right / len(cases):.1%}; "
        f"worst intent {worst} "
        f"{by_intent[worst]:.1%}; worst pairs: {_worst_pairs(confusion)}",
    )
    _record(config, _compact(per_intent))
    _record(config, _compact(per_register, "per register"))
    return accuracy, by_intent


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=first)] if first else [],
        )
        for name, first in BLIND_SETS.items()
    ],
)
def test_blind_set_accuracy(name, pytestconfig):
    accuracy, by_intent = _measure(name, pytestconfig)

    assert accuracy >= BLIND_TARGET
    assert min(by_intent.values()) >= INTENT_TARGET


def test_every_blind_set_is_measured():
    assert {path.name for path in BLIND_DIR.glob("*.jsonl")} == set(BLIND_SETS)


# ---- determinism and the fast path --------------------------------------------------------


def test_two_trainings_give_the_same_predictions():
    examples = load_examples()
    messages = [e.message for e in examples[::25]] + ["are we ready and what's missing?"]

    first = train(examples, read=message_features)
    second = train(list(reversed(examples)), read=message_features)

    for message in messages:
        one = first.predict(message_features(message), "events")
        two = second.predict(message_features(message), "events")
        assert one == two, message
    assert first.calibration == second.calibration
    assert first.clarify_below == second.clarify_below


def test_the_hand_computed_scores_are_the_pipelines():
    model: IntentClassifier = trained_classifier()
    messages = [e.message for e in load_examples()[::40]] + ["zzz qqq", "where is look 12"]

    for message in messages:
        read = message_features(message)
        pipeline = model.model.decision_function(model.vectorizer.transform([features(read)]))
        assert np.allclose(model.scores(read), pipeline[0], atol=1e-9), message


def test_follow_up_examples_are_left_to_the_rules():
    follow_up = TrainingExample(
        "logistics", "blocker_check", "which ones?", "x", None, "blocker_check"
    )
    new_question = TrainingExample(
        "events", "at_risk_tasks", "which tasks are late?", "x", None, "readiness_check"
    )

    assert follow_up.is_follow_up
    assert not new_question.is_follow_up
    match = detect_intent(
        "which ones?", current_kit="logistics", previous=PreviousTurn("blocker_check", "logistics")
    )
    assert match.intent == "blocker_check"


def test_training_files_are_sorted_and_jsonl():
    files = training_files()

    assert files == sorted(files)
    assert all(isinstance(path, Path) and path.suffix == ".jsonl" for path in files)
