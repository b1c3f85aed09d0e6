"""What a message can name besides its intent: categories, kit cues, channels, timeframes,
hero pieces, requests for names."""

from __future__ import annotations

from ..normalize import word_list

# Garment categories as users say them -> the category key the batching table uses
# (logistics.analysis.batching.CATEGORY_TIMINGS). A sample's own category label is read
# through the same table, so "Shoes" on a sample and "the boots" in a message meet at
# "footwear". Words that are also keywords ("top", "suit", "slip") are left out.
CATEGORY_TERMS: dict[str, tuple[str, ...]] = {
    "dresses": ("dress", "dresses", "gown", "gowns"),
    "outerwear": ("outerwear", "coat", "jacket", "blazer", "trench", "parka", "puffer"),
    "knitwear": ("knitwear", "knit", "knits", "sweater", "jumper", "cardigan", "pullover"),
    "tops": ("shirt", "blouse", "tee", "t shirt", "tshirt", "tank top", "camisole"),
    "trousers": ("trousers", "pants", "jeans", "denim", "chinos", "leggings", "shorts"),
    "skirts": ("skirt",),
    "footwear": (
        "footwear",
        "shoes",
        "boots",
        "sneakers",
        "trainers",
        "heels",
        "loafers",
        "sandals",
        "pumps",
        "mules",
    ),
    "bags": ("bag", "handbag", "clutch", "tote", "purse"),
    "jewellery": ("jewellery", "jewelry", "earrings", "necklace", "bracelet"),
    "accessories": ("accessories", "accessory", "scarf", "hat", "belt", "gloves", "sunglasses"),
}

# Nouns that say which kit a question is about ("tasks" are events, "samples" logistics).
# They never make an intent on their own; they add to intents that already have evidence.
KIT_CUES: dict[str, dict[str, float]] = {
    "logistics": {
        **dict.fromkeys(
            word_list(
                "sample garment look piece clothes outfit delivery shipment package parcel "
                "designer showroom item pull courier"
            ),
            1.0,
        ),
        **dict.fromkeys(
            word_list(
                "dress gown coat jacket blazer skirt trousers pants jeans shirt blouse knitwear "
                "sweater jumpsuit suit boots shoes heels loafers sneakers bag earrings necklace "
                "jewelry scarf hat belt"
            ),
            0.5,
        ),
        **dict.fromkeys((term for terms in CATEGORY_TERMS.values() for term in terms), 0.5),
    },
    "events": dict.fromkeys(
        word_list(
            "task deadline crew team photographer stylist hair makeup assignee meeting studio "
            "booking call step fitting"
        ),
        1.0,
    )
    | {"task": 1.5},
    "media": dict.fromkeys(
        word_list("asset image photo picture shot video content visual footage retouch edit frame"),
        1.0,
    ),
}
KIT_CUE_CAP = 1.5

# Channel names as users say them (longest phrase wins) -> the channel value skills use.
CHANNEL_ALIASES: dict[str, tuple[str, ...]] = {
    "instagram_story": (
        "instagram story",
        "instagram reel",
        "story",
        "reel",
    ),
    "web_hero": (
        "web hero",
        "website hero",
        "homepage hero",
        "site hero",
        "hero banner",
        "homepage banner",
        "landing page",
        "home page",
        "homepage",
        "website",
        "web",
        "site",
        "banner",
    ),
    "ecommerce": (
        "ecommerce",
        "e commerce",
        "product page",
        "pdp",
        "online store",
        "webshop",
        "shop",
        "plp",
    ),
    "instagram_feed": (
        "instagram feed",
        "instagram grid",
        "instagram post",
        "instagram",
        "feed",
        "grid",
        "carousel",
    ),
    "tiktok": ("tiktok", "tik tok"),
    "youtube": ("youtube", "you tube"),
    "print": ("print", "magazine", "billboard", "lookbook", "poster"),
}

# Windows of time a question can be limited to (the skills turn them into dates). The longest
# phrase wins, so "next week" is next_week although it holds "week".
TIMEFRAMES: dict[str, tuple[str, ...]] = {
    "today": ("today", "tonight", "this morning", "this afternoon", "this evening"),
    "tomorrow": ("tomorrow",),
    "this_week": ("this week", "week", "next few days", "coming days", "weekend"),
    "next_week": ("next week", "following week", "week after", "the week after"),
}


HERO_TERMS: tuple[str, ...] = ("hero", "heroes")

# Words that ask for the items themselves to be named.
NAME_REQUEST_TERMS: tuple[str, ...] = ("which", "who", "whose", "list", "name", "what are they")
