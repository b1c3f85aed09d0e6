"""The assistant's intents, as data.

Each intent names its kit (the skill that answers it), a few example phrases and weighted
keywords. A keyword is a word or a phrase written in any inflection ("arrived" also matches
"arriving"); its weight says how surely it points to the intent: about 3 for a phrase that
can mean nothing else ("critical path"), 2 for a typical word ("late"), 1 for a word shared
with other intents ("status"). The detector adds the weights of the terms found, so the
tables below are the place to teach it a new phrasing.

One module per kit (logistics, events, media, general) holds its intents; the vocabulary
classes they share, the entities, the follow-up cues and the sample-question shapes sit
beside them. This package gathers them under the names the detector imports.
"""

from __future__ import annotations

from fashionos.kits import KITS  # noqa: F401

from .definition import (  # noqa: F401
    OVERVIEW_KEYWORDS,
    OVERVIEW_PATTERNS,
    IntentDefinition,
    phrases,
)
from .entities import (  # noqa: F401
    CATEGORY_TERMS,
    CHANNEL_ALIASES,
    HERO_TERMS,
    KIT_CUE_CAP,
    KIT_CUES,
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
from .vocabulary import (  # noqa: F401
    ARRIVAL_NEGATED_ONLY,
    ARRIVAL_TERMS,
    BOOKED_VERBS,
    CLASH_NOUNS,
    DECIDING_VERBS,
    DETERMINERS,
    FINISH_NOUNS,
    GROUPING_VERBS,
    MUST_NOT,
    NEGATIONS,
    NONE_WORDS,
    NOT_DONE_YET,
    PICTURE_NOUNS,
    SHOOT_VERBS,
    SHOT_PARTICIPLES,
    SLIPPING,
    SLOT_NOUNS,
)

# The first intent of each kit is its overview: it wins ties inside the kit.
INTENTS: tuple[IntentDefinition, ...] = (
    *LOGISTICS_INTENTS,
    *EVENTS_INTENTS,
    *MEDIA_INTENTS,
    *GENERAL_INTENTS,
)

INTENTS_BY_NAME: dict[str, IntentDefinition] = {intent.name: intent for intent in INTENTS}
