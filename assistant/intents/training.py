"""The labelled examples the intent classifier learns from, read from data.

``data/training/*.jsonl`` holds one example per line with exactly ``kit``, ``intent``,
``message`` and ``source`` (where the label came from), and optionally ``current_kit`` (the
page it was asked on) and ``previous_intent`` (the turn it followed). The blind sets in
``data/blind/`` are never read here: they measure the classifier and are never trained on.

Other sources (staff labels stored in the database) join through ``add_example_source``:
``load_examples()`` returns the files' examples followed by theirs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TRAINING_DIR = Path(__file__).parent / "data" / "training"
REQUIRED_KEYS = frozenset({"kit", "intent", "message", "source"})
OPTIONAL_KEYS = frozenset({"current_kit", "previous_intent"})


@dataclass(frozen=True, slots=True)
class TrainingExample:
    kit: str
    intent: str
    message: str
    source: str
    current_kit: str | None = None
    previous_intent: str | None = None

    @property
    def is_follow_up(self) -> bool:
        """A refinement of the previous turn ("which ones?"): answered by the follow-up rules,
        not learnt by the classifier, since alone it names no intent."""
        return self.previous_intent is not None and self.previous_intent == self.intent


class TrainingDataError(ValueError):
    """A training file line that is not a well-formed example."""


_sources: list[Callable[[], Iterable[TrainingExample]]] = []


def add_example_source(source: Callable[[], Iterable[TrainingExample]]) -> None:
    """Have ``load_examples()`` add what ``source()`` returns (called at each training)."""
    if source not in _sources:
        _sources.append(source)


def example_from_dict(data: dict, *, where: str = "") -> TrainingExample:
    """The example a JSON object describes; TrainingDataError when its keys or values are
    not those of the format."""
    keys = set(data)
    if not keys >= REQUIRED_KEYS or not keys <= REQUIRED_KEYS | OPTIONAL_KEYS:
        raise TrainingDataError(f"{where}: keys {sorted(keys)}")
    if not all(isinstance(value, str) for value in data.values()):
        raise TrainingDataError(f"{where}: every value must be a string")
    if not all(data[key].strip() for key in keys - {"message"}):
        raise TrainingDataError(f"{where}: only the message may be blank")
    return TrainingExample(**data)


def read_file(path: Path) -> list[TrainingExample]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            examples.append(example_from_dict(json.loads(line), where=f"{path.name}:{number}"))
    return examples


def training_files() -> list[Path]:
    """The training files, sorted by name (the order of training is fixed)."""
    return sorted(TRAINING_DIR.glob("*.jsonl"))


def load_examples() -> list[TrainingExample]:
    """Every labelled example: the training files', then the added sources'."""
    examples = [example for path in training_files() for example in read_file(path)]
    for source in _sources:
        examples.extend(source())
    return examples


@cache
def file_intent_kits() -> dict[str, str]:
    """Each intent of the training files and its kit (the files are read once)."""
    return intent_kits(example for path in training_files() for example in read_file(path))


def intent_kits(examples: Iterable[TrainingExample]) -> dict[str, str]:
    """The label set: each intent of the examples and its kit (TrainingDataError if an
    intent is given two kits)."""
    kits: dict[str, str] = {}
    for example in examples:
        if kits.setdefault(example.intent, example.kit) != example.kit:
            raise TrainingDataError(f"{example.intent} is labelled with two kits")
    return dict(sorted(kits.items()))
