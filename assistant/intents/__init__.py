"""Intent detection for the assistant: pure Python, no Django.

``detect_intent(message, current_kit=..., previous=...)`` returns an ``IntentMatch``: the
intent (decided by a classifier trained on the labelled examples of ``data/training/``), the
kit whose skill answers it, its probability and the other candidates', the intents to ask
between when unsure, the parts of a two-part question, the follow-up kind when the message
refines the previous turn, and the entities it names.
"""

from .detector import (
    detect_intent,
    intent_chosen,
    reload_classifier,
    trained_classifier,
    two_parts,
)
from .entity_rules import Entities, category_of
from .matches import FollowUp, IntentMatch, PreviousTurn
from .training import TrainingExample, add_example_source, load_examples

__all__ = [
    "Entities",
    "FollowUp",
    "IntentMatch",
    "PreviousTurn",
    "TrainingExample",
    "add_example_source",
    "category_of",
    "detect_intent",
    "intent_chosen",
    "load_examples",
    "reload_classifier",
    "trained_classifier",
    "two_parts",
]
