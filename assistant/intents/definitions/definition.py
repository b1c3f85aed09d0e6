"""What an intent definition is: the metadata of an intent, never how to recognise it.

Which intent a message expresses is learnt from the labelled examples in
``data/training/`` (see ``assistant.intents.classifier``); a definition says which kit's
skill answers the intent and how to name it when asking the user which one they mean.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IntentDefinition:
    name: str
    kit: str
    # What the intent answers, worded to complete "Do you mean ...?" in a clarifying question.
    meaning: str
