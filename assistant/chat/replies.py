"""What a skill answers: the original reply shape (content, type, severity, actions,
followUp) plus the intent and skill that produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["info", "success", "warning", "critical"]


@dataclass(frozen=True, slots=True)
class Action:
    label: str
    target: str
    primary: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "target": self.target, "primary": self.primary}


@dataclass(frozen=True, slots=True)
class Reply:
    content: str
    intent: str
    skill: str
    severity: Severity = "info"
    type: str = "text"
    actions: tuple[Action, ...] = ()
    follow_up: tuple[str, ...] = ()
    # Structured facts behind the answer (names, ids), for the frontend to render richly.
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "type": self.type,
            "severity": self.severity,
            "actions": [action.to_dict() for action in self.actions],
            "followUp": list(self.follow_up),
            "intent": self.intent,
            "skill": self.skill,
            "data": self.data,
        }


def severity_of(level: str) -> Severity:
    """Map an analyzer's own level (excellent, critical, high, …) to a reply severity."""
    return {
        "excellent": "success",
        "good": "success",
        "acceptable": "warning",
        "critical": "critical",
        "high": "warning",
        "medium": "warning",
        "low": "info",
        "empty": "info",
    }.get(level, "info")
