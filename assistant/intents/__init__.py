"""Intent detection for the assistant: pure Python, no Django.

``detect_intent(message, current_kit=..., previous=...)`` returns an ``IntentMatch``: the
intent, the kit whose skill answers it, a 0..1 confidence, the follow-up kind when the
message refines the previous turn, the entities it names, and (``candidates``, ``clarify``,
``parts``) the intents it may mean and the questions it holds.
"""

from .detector import (
    Entities,
    FollowUp,
    IntentMatch,
    PreviousTurn,
    category_of,
    detect_intent,
    intent_chosen,
    two_parts,
)

__all__ = [
    "Entities",
    "FollowUp",
    "IntentMatch",
    "PreviousTurn",
    "category_of",
    "detect_intent",
    "intent_chosen",
    "two_parts",
]
