"""Staff labels as training examples, in the training data's own format.

A label is stored as (`kit`, `intent`, `message`, `source`) where `kit` is the page the
message was asked on (the chat's `currentKit`). Written out (`export_intent_labels`) and read
back (`import_intent_labels`) it takes the format of `assistant/intents/data/training/*.jsonl`
(see `training.py`): `kit` is the intent's own kit and `current_kit` the page, so an exported
file can be reviewed and committed beside the training data as it is. Pure: no Django.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import NamedTuple

from fashionos.kits import KITS

from .training import TrainingExample as DataExample
from .training import file_intent_kits

FIELDS = ("kit", "intent", "message", "source")
# The training data's keys: FIELDS with the intent's kit, and the page as `current_kit`.
DATA_FIELDS = (*FIELDS, "current_kit")
MAX_MESSAGE = 4_000
MAX_SOURCE = 100

MSG_NOT_JSON = "line {line}: not a JSON object."
MSG_FIELDS = (
    "line {line}: needs the fields kit, intent, message and source, and at most current_kit "
    "besides."
)
MSG_INTENT_KIT = "line {line}: {intent!r} belongs to the kit {kit!r}."
MSG_NOT_TEXT = "line {line}: {field} must be a non-empty string."
MSG_KIT = "line {line}: kit must be one of {kits}."
MSG_INTENT = "line {line}: {intent!r} is not an intent."
MSG_TOO_LONG = "line {line}: {field} is longer than {limit} characters."


class TrainingExample(NamedTuple):
    kit: str
    intent: str
    message: str
    source: str

    def to_data(self) -> DataExample:
        """The example as the classifier learns it: the intent's kit, asked on this page."""
        kit = file_intent_kits().get(self.intent, self.kit)
        return DataExample(kit, self.intent, self.message, self.source, current_kit=self.kit)

    def to_line(self) -> str:
        """The example as one line of the training data (keys in `DATA_FIELDS` order, UTF-8
        as typed)."""
        data = self.to_data()
        return json.dumps({key: getattr(data, key) for key in DATA_FIELDS}, ensure_ascii=False)


class ExamplesInvalid(ValueError):
    """A line of a training file is not a valid example; the message names the line."""


def examples_dump(examples: Iterable[TrainingExample]) -> str:
    """The examples as JSONL, one per line, each line ending with a newline."""
    return "".join(f"{example.to_line()}\n" for example in examples)


def examples_parse(lines: Iterable[str], *, intents: Collection[str]) -> list[TrainingExample]:
    """The examples of a JSONL text (blank lines skipped). Raises ExamplesInvalid, naming the
    first bad line: not a JSON object, other fields than `FIELDS`, an empty or non-string
    value, a kit that is not one of KITS, an intent not in ``intents``, a message longer than
    the chat takes."""
    examples = []
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except ValueError:
            raise ExamplesInvalid(MSG_NOT_JSON.format(line=line)) from None
        if not isinstance(row, dict):
            raise ExamplesInvalid(MSG_NOT_JSON.format(line=line))
        if not set(FIELDS) <= set(row) <= set(DATA_FIELDS):
            raise ExamplesInvalid(MSG_FIELDS.format(line=line))
        for field in row:
            if not isinstance(row[field], str) or not row[field].strip():
                raise ExamplesInvalid(MSG_NOT_TEXT.format(line=line, field=field))
        page = row.get("current_kit", row["kit"])
        if row["kit"] not in KITS or page not in KITS:
            raise ExamplesInvalid(MSG_KIT.format(line=line, kits=", ".join(KITS)))
        if row["intent"] not in intents:
            raise ExamplesInvalid(MSG_INTENT.format(line=line, intent=row["intent"]))
        own = file_intent_kits().get(row["intent"], row["kit"])
        if row["kit"] != own:
            raise ExamplesInvalid(MSG_INTENT_KIT.format(line=line, intent=row["intent"], kit=own))
        for field, limit in (("message", MAX_MESSAGE), ("source", MAX_SOURCE)):
            if len(row[field]) > limit:
                raise ExamplesInvalid(MSG_TOO_LONG.format(line=line, field=field, limit=limit))
        examples.append(TrainingExample(page, row["intent"], row["message"], row["source"]))
    return examples
