"""What a skill answers: the original reply shape (content, type, severity, actions,
followUp) plus the intent and skill that produced it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any, Literal

Severity = Literal["info", "success", "warning", "critical"]


@dataclass(frozen=True, slots=True)
class Action:
    """A button under the answer. `target` is where the frontend goes (assistant.targets);
    a `chat:<intent>` target has a `message`, which the frontend sends back to the chat."""

    label: str
    target: str
    primary: bool = False
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        shown = {"label": self.label, "target": self.target, "primary": self.primary}
        if self.message is not None:
            shown["message"] = self.message
        return shown


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


SEVERITY_ORDER: tuple[Severity, ...] = ("info", "success", "warning", "critical")
# A two-part answer keeps this many actions and suggested questions.
PART_ACTIONS = 4
PART_FOLLOW_UPS = 3


def two_part_reply(first: Reply, second: Reply) -> Reply:
    """One answer to a two-part question: both contents, one paragraph each (once when the
    two are the same, as "no campaign yet" is); the graver severity; the first part's
    actions and then the second's (one primary, no target twice) and suggestions. `intent`
    and `skill` are the first part's; `data.parts` holds each part's intent, skill and
    data."""
    content = (
        first.content
        if second.content == first.content
        else (f"{first.content}\n\n{second.content}")
    )
    targets: set[str] = set()
    actions = []
    for action in (*first.actions, *(replace(a, primary=False) for a in second.actions)):
        if action.target not in targets:
            targets.add(action.target)
            actions.append(action)
    return Reply(
        content=content,
        intent=first.intent,
        skill=first.skill,
        severity=max(first.severity, second.severity, key=SEVERITY_ORDER.index),
        type=first.type,
        actions=tuple(actions[:PART_ACTIONS]),
        follow_up=tuple(dict.fromkeys((*first.follow_up, *second.follow_up)))[:PART_FOLLOW_UPS],
        data={
            "parts": [
                {"intent": part.intent, "skill": part.skill, "data": part.data}
                for part in (first, second)
            ]
        },
    )


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


# An answer is logged whole in assistant_conversations, so its size must not grow with the
# campaign: `content` names at most NAMES_SHOWN things (LIST_LIMIT when the user asked for
# the list) and each list in `data` holds at most DATA_LIMIT items, beside its full count.
NAMES_SHOWN = 10
LIST_LIMIT = 50
DATA_LIMIT = 100


def listing(parts: Sequence[str], *, total: int | None = None, sep: str = ", ") -> str:
    """ "A, B, C" or, when ``total`` says there are more than ``parts``, "A, B, C and 37
    more"; with ``sep`` "; ": "A; B; C" and "A; B; C; and 37 more"."""
    hidden = (len(parts) if total is None else total) - len(parts)
    text = sep.join(parts)
    if hidden <= 0:
        return text
    return f"{text} and {hidden} more" if sep == ", " else f"{text}{sep}and {hidden} more"


def capped(items: Iterable[Any], limit: int = DATA_LIMIT) -> list[Any]:
    """The first ``limit`` items, as a list."""
    return list(islice(items, limit))
