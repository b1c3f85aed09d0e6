"""Hand committed changes to the channel layer. The realtime layer replaces these bodies with
its fan-out; until then a change is only logged."""

import logging

logger = logging.getLogger("fashionos.realtime")


def change_publish(change) -> None:
    logger.debug("change %s on %s", change.type, change.table)


def membership_publish(*, user_id: str, campaign_id: str, role: str | None) -> None:
    logger.debug("membership of %s in %s: %s", user_id, campaign_id, role)
