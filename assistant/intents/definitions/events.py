"""The events kit's intents."""

from __future__ import annotations

from .definition import IntentDefinition

EVENTS_INTENTS: tuple[IntentDefinition, ...] = (
    IntentDefinition("schedule_overview", "events", "the schedule"),
    IntentDefinition("critical_path", "events", "the critical path"),
    IntentDefinition("at_risk_tasks", "events", "which tasks will miss their deadline"),
    IntentDefinition("conflict_check", "events", "who is double-booked"),
    IntentDefinition("task_lookup", "events", "who does a task, when, and what it waits for"),
    IntentDefinition("schedule_slack", "events", "how much slack the schedule has"),
)
