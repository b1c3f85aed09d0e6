"""Training examples as data: one JSON object per line, `{"kit", "intent", "message",
"source"}` (the format of `assistant/intents/data/training/*.jsonl`).

`kit` is the page the message was asked on (the chat's `currentKit`), `intent` the intent it
expresses, `message` the text as typed, `source` where the example comes from (a data set's
name, or `staff` for a turn labelled in the admin). Pure: the classifier's loader, the
staff labels' export and import all read and write through here.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import NamedTuple

from fashionos.kits import KITS

FIELDS = ("kit", "intent", "message", "source")
MAX_MESSAGE = 4_000
MAX_SOURCE = 100

MSG_NOT_JSON = "line {line}: not a JSON object."
MSG_FIELDS = "line {line}: needs exactly the fields kit, intent, message and source."
MSG_NOT_TEXT = "line {line}: {field} must be a non-empty string."
MSG_KIT = "line {line}: kit must be one of {kits}."
MSG_INTENT = "line {line}: {intent!r} is not an intent."
MSG_TOO_LONG = "line {line}: {field} is longer than {limit} characters."


class TrainingExample(NamedTuple):
    kit: str
    intent: str
    message: str
    source: str

    def to_line(self) -> str:
        """The example as one line of JSONL (keys in `FIELDS` order, UTF-8 as typed)."""
        return json.dumps(dict(zip(FIELDS, self, strict=True)), ensure_ascii=False)


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
        if set(row) != set(FIELDS):
            raise ExamplesInvalid(MSG_FIELDS.format(line=line))
        for field in FIELDS:
            if not isinstance(row[field], str) or not row[field].strip():
                raise ExamplesInvalid(MSG_NOT_TEXT.format(line=line, field=field))
        if row["kit"] not in KITS:
            raise ExamplesInvalid(MSG_KIT.format(line=line, kits=", ".join(KITS)))
        if row["intent"] not in intents:
            raise ExamplesInvalid(MSG_INTENT.format(line=line, intent=row["intent"]))
        for field, limit in (("message", MAX_MESSAGE), ("source", MAX_SOURCE)):
            if len(row[field]) > limit:
                raise ExamplesInvalid(MSG_TOO_LONG.format(line=line, field=field, limit=limit))
        examples.append(TrainingExample(*(row[field] for field in FIELDS)))
    return examples
