"""In-process benchmark of the intent classifier (no Django, no database).

Run from the repository root:

    .venv/bin/python bench/intents.py [--quick]

It prints:
- training time: training from the data (reading every example's features, 5-fold
  cross-validation for the calibration, the final fit), best and median of several runs, wall
  clock and CPU time (the CPU time is what the machine's load does not inflate);
- detection time per message (``detect_intent``, the whole of it: normalising, typo
  correction, entities, follow-up rules, the classifier, two-part and long-message reading):
  p50, p95, p99 and max over the training messages with a page each, first with cold caches
  (the typo corrector's and stemmer's memo empty: every word new) and then warm;
- a baseline measured in the same run on the same messages: scikit-learn's own pipeline
  (``vectorizer.transform`` + ``decision_function``) for the linear part only, which the
  classifier computes by hand instead.
Budgets (DESIGN.md §9 terms, issue 15): training under 5 s, detection p95 under 1 ms.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.intents import detect_intent, load_examples
from assistant.intents.classifier import features, train
from assistant.intents.definitions import KITS
from assistant.intents.detector import message_features, trained_classifier
from assistant.intents.matching import correct_typo
from assistant.intents.normalize import stem


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    return (
        f"p50 {at(0.50):.3f} ms  p95 {at(0.95):.3f} ms  p99 {at(0.99):.3f} ms  "
        f"max {ordered[-1] * 1000:.3f} ms  (n={len(ordered)})"
    )


def bench_training(runs: int) -> None:
    examples = load_examples()
    walls, cpus = [], []
    for _ in range(runs):
        correct_typo.cache_clear()
        stem.cache_clear()
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        train(examples, read=message_features)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"training on {len(examples)} examples, {runs} runs (budget 5 s):")
    print(f"  wall  best {min(walls):.2f} s  median {statistics.median(walls):.2f} s")
    print(f"  cpu   best {min(cpus):.2f} s  median {statistics.median(cpus):.2f} s")


def _timed(call, cases) -> tuple[list[float], list[float]]:
    """Wall clock and CPU time of each call (on a shared machine the wall clock also counts
    the time other processes held the CPU)."""
    walls, cpus = [], []
    gc.disable()
    try:
        for case in cases:
            wall, cpu = time.perf_counter(), time.process_time()
            call(case)
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
    finally:
        gc.enable()
    return walls, cpus


def _report(title: str, timings: tuple[list[float], list[float]]) -> None:
    walls, cpus = timings
    print(f"  {title:28} wall {_percentiles(walls)}")
    print(f"  {'':28} cpu  {_percentiles(cpus)}")


def bench_detection(limit: int | None) -> None:
    model = trained_classifier()
    examples = load_examples()[:limit]
    cases = [(e.message, e.current_kit or KITS[i % len(KITS)]) for i, e in enumerate(examples)]
    correct_typo.cache_clear()
    stem.cache_clear()
    print(f"detection per message, in process (budget p95 1 ms), {len(cases)} messages:")

    def detect(case):
        detect_intent(case[0], current_kit=case[1])

    _report("detect_intent, cold caches", _timed(detect, cases))
    _report("detect_intent, warm caches", _timed(detect, cases))

    reads = [message_features(message) for message, _ in cases]

    def by_hand(index):
        model.scores(reads[index])

    def pipeline(index):
        model.model.decision_function(model.vectorizer.transform([features(reads[index])]))

    indexes = range(len(cases))
    _report("linear part, by hand", _timed(by_hand, indexes))
    _report("baseline: sklearn pipeline", _timed(pipeline, indexes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and messages")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    bench_training(2 if args.quick else 5)
    bench_detection(300 if args.quick else None)


if __name__ == "__main__":
    main()
