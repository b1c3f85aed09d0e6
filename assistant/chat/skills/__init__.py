"""Skills answer an intent from a chat context. Each kit's module maps its intents to
handlers `(ctx, match) -> Reply`; the general kit's handlers also take the page's kit so
their suggestions fit where the user is."""

from assistant.chat.skills import events, general, logistics, media

KIT_HANDLERS = {
    "logistics": logistics.HANDLERS,
    "events": events.HANDLERS,
    "media": media.HANDLERS,
}
GENERAL_HANDLERS = general.HANDLERS

# The tables each kit's skills read, loaded before the skill runs (the general kit's
# recommendations read all three; its other intents none).
KIT_TABLES: dict[str, tuple[str, ...]] = {
    "logistics": ("samples",),
    "events": ("tasks",),
    "media": ("assets", "samples"),
}
GENERAL_TABLES: dict[str, tuple[str, ...]] = {"recommendations": ("samples", "tasks", "assets")}


def tables_for(kit: str, intent: str) -> tuple[str, ...]:
    """The tables the skill answering `intent` of `kit` reads."""
    return KIT_TABLES.get(kit) or GENERAL_TABLES.get(intent, ())
