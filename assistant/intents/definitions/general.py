"""The general kit's intents."""

from __future__ import annotations

from .definition import IntentDefinition

GENERAL_INTENTS: tuple[IntentDefinition, ...] = (
    IntentDefinition("greeting", "general", "a greeting"),
    IntentDefinition("recommendations", "general", "what to do next"),
    IntentDefinition("help", "general", "what I can do"),
    IntentDefinition("unknown", "general", "something else"),
)
