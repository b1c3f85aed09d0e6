"""The assistant's intents: their metadata, and the tables of the rules that stay rules.

Which intent a message expresses is learnt from labelled examples (``data/training/``, see
``assistant.intents.classifier``); nothing here weighs words. A definition names an intent's
kit (whose skill answers it) and what it means. Beside them sit the tables of what rules
still do: entities (categories, channels, timeframes, hero pieces, sample-question shapes)
and follow-up cues. This package gathers them under the names the detector imports.
"""

from __future__ import annotations

from fashionos.kits import KITS  # noqa: F401

from .definition import IntentDefinition
from .entities import (  # noqa: F401
    CATEGORY_TERMS,
    CHANNEL_ALIASES,
    HERO_TERMS,
    KIT_NOUNS,
    NAME_REQUEST_TERMS,
    TIMEFRAMES,
)
from .events import EVENTS_INTENTS
from .follow_ups import (  # noqa: F401
    FOLLOW_UP_CUES,
    FOLLOW_UP_KITS,
    FOLLOW_UP_MARKERS,
    FOLLOW_UP_MAX_TOKENS,
    FOLLOW_UP_ORDER,
    NO_CONTEXT_FOLLOW_UPS,
    NO_CONTEXT_INTENTS,
)
from .general import GENERAL_INTENTS
from .logistics import LOGISTICS_INTENTS
from .media import MEDIA_INTENTS
from .sample_queries import (  # noqa: F401
    GENERIC_QUERY_WORDS,
    SAMPLE_NOUNS,
    SAMPLE_QUERY_PATTERNS,
    SAMPLE_QUERY_TRIM_END,
    SAMPLE_QUERY_TRIM_START,
    VAGUE_SAMPLE_QUERY_PATTERNS,
)

# The first intent of each kit is its overview.
INTENTS: tuple[IntentDefinition, ...] = (
    *LOGISTICS_INTENTS,
    *EVENTS_INTENTS,
    *MEDIA_INTENTS,
    *GENERAL_INTENTS,
)

INTENTS_BY_NAME: dict[str, IntentDefinition] = {intent.name: intent for intent in INTENTS}
