"""Intent detection for the assistant: pure Python, no Django.

``detect_intent(message, current_kit=..., previous=...)`` returns an ``IntentMatch``: the
intent, the kit whose skill answers it, a 0..1 confidence, the follow-up kind when the
message refines the previous turn, and the entities it names.
"""

from .detector import (
    Entities,
    FollowUp,
    IntentMatch,
    PreviousTurn,
    category_of,
    detect_intent,
)

__all__ = [
    "Entities",
    "FollowUp",
    "IntentMatch",
    "PreviousTurn",
    "category_of",
    "detect_intent",
]
