"""The logistics kit's intents."""

from __future__ import annotations

from .definition import IntentDefinition

LOGISTICS_INTENTS: tuple[IntentDefinition, ...] = (
    IntentDefinition("readiness_check", "logistics", "how ready the samples are"),
    IntentDefinition("blocker_check", "logistics", "which samples are late or blocking"),
    IntentDefinition("batching_plan", "logistics", "how to batch the shoot"),
    IntentDefinition("sample_lookup", "logistics", "where one sample is"),
)
