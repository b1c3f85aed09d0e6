"""The assistant's kits: the pages of the frontend it sits beside (DESIGN.md section 8).

The one list of kit names, used by every app (conversations, preferences, analytics events),
the chat request, the intent tables and the admin. Plain Python, so anything may import it.
"""

from __future__ import annotations

LOGISTICS = "logistics"
EVENTS = "events"
MEDIA = "media"
GENERAL = "general"

# Every kit, in the frontend's order.
KITS: tuple[str, ...] = (LOGISTICS, EVENTS, MEDIA, GENERAL)
# The kits with a campaign's data and an analyzer behind them, in the order work flows:
# samples reach the set, tasks shoot them, assets come out of the shoot.
DATA_KITS: tuple[str, ...] = (LOGISTICS, EVENTS, MEDIA)

KIT_LABELS: dict[str, str] = {
    LOGISTICS: "Logistics",
    EVENTS: "Events",
    MEDIA: "Media",
    GENERAL: "General",
}
# (value, label) pairs for model and serializer choices.
KIT_CHOICES: list[tuple[str, str]] = [(kit, KIT_LABELS[kit]) for kit in KITS]
