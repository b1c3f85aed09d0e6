"""The media kit's intents."""

from __future__ import annotations

from .definition import IntentDefinition

MEDIA_INTENTS: tuple[IntentDefinition, ...] = (
    IntentDefinition("asset_ranking", "media", "the best assets"),
    IntentDefinition("coverage_gaps", "media", "which hero pieces have no approved shot"),
    IntentDefinition("channel_fit", "media", "which assets fit a channel"),
    IntentDefinition("rights_check", "media", "whose usage rights run out"),
)
