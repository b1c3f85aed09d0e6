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
