"""Channel-layer groups and the messages sent to them.

One message per change goes to the row's campaign group (and one to the see-all group that
service-key and staff subscribers hear through); membership changes and ended sign-in
sessions go to the user's group; broadcasts and presence diffs go to their room's group
(`rooms.room_group`).
Each server process's hub is the only member of these groups in that process.
"""

GROUP_ALL = "rt.all"

# Message types (the hub dispatches on them).
MESSAGE_CHANGE = "rt.change"
MESSAGE_MEMBERSHIP = "rt.membership"
MESSAGE_BARRIER = "rt.barrier"
MESSAGE_SESSION_END = "rt.session_end"
MESSAGE_BROADCAST = "rt.broadcast"
MESSAGE_PRESENCE = "rt.presence"
MESSAGE_PRESENCE_HELLO = "rt.presence_hello"
MESSAGE_PRESENCE_OWNED = "rt.presence_owned"
MESSAGE_PRESENCE_ALIVE = "rt.presence_alive"

SCOPE_CAMPAIGN = "campaign"
SCOPE_ALL = "all"


def campaign_group(campaign_id: str) -> str:
    return f"rt.campaign.{campaign_id}"


def user_group(user_id: str) -> str:
    return f"rt.user.{user_id}"
