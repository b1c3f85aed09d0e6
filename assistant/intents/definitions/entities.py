"""What a message can name besides its intent: categories, kit nouns, channels, timeframes,
hero pieces, requests for names."""

from __future__ import annotations

from logistics.analysis.categories import CATEGORY_SYNONYMS

from ..normalize import word_list

# Garment categories as users say them -> the category key, from the one synonym table
# (logistics.analysis.categories), which batching reads a sample's label through too, so
# "Shoes" on a sample and "the boots" in a message meet at "footwear". Words that more often
# mean something else ("top": "the top 3 assets") are left out.
CATEGORY_WORDS_MEANING_ELSE = frozenset({"top", "tops"})


def _category_terms() -> dict[str, tuple[str, ...]]:
    return {
        key: tuple(word for word in words if word not in CATEGORY_WORDS_MEANING_ELSE)
        for key, words in CATEGORY_SYNONYMS.items()
    }


CATEGORY_TERMS: dict[str, tuple[str, ...]] = _category_terms()

# Nouns of each kit's things ("tasks" are events, "samples" logistics): words a typo may be
# corrected to, and (logistics) what makes a "where is ..." name a sample.
KIT_NOUNS: dict[str, tuple[str, ...]] = {
    "logistics": (
        *word_list(
            "sample garment look piece clothes outfit delivery shipment package parcel "
            "designer showroom item pull courier"
        ),
        *word_list(
            "dress gown coat jacket blazer skirt trousers pants jeans shirt blouse knitwear "
            "sweater jumpsuit suit boots shoes heels loafers sneakers bag earrings necklace "
            "jewelry scarf hat belt"
        ),
        *(term for terms in CATEGORY_TERMS.values() for term in terms),
    ),
    "events": word_list(
        "task deadline crew team photographer stylist hair makeup assignee meeting studio "
        "booking call step fitting"
    ),
    "media": word_list(
        "asset image photo picture shot video content visual footage retouch edit frame"
    ),
}

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
