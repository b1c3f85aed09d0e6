"""Garment categories: the one table of what people call them, on a sample's label and in a
question. Batching reads a sample's category through it (its set-up timings are per
category key), and the assistant's intents read a message through it, so "Shoes" on a
sample and "the boots" in a question meet at "footwear"."""

from __future__ import annotations

OTHER_CATEGORY = "Other"

# Category key -> the words and phrases that name it (any case; a label is compared whole,
# after trimming and collapsing its spaces). The key is also a name of itself.
CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "dresses": ("dress", "dresses", "gown", "gowns"),
    "outerwear": (
        "outerwear", "coat", "coats", "jacket", "jackets", "blazer", "trench", "parka",
        "puffer",
    ),
    "knitwear": (
        "knitwear", "knit", "knits", "sweater", "sweaters", "jumper", "cardigan", "pullover",
    ),
    "tops": (
        "top", "tops", "shirt", "shirts", "blouse", "blouses", "tee", "t shirt", "tshirt",
        "t-shirts", "tank top", "camisole",
    ),
    "trousers": (
        "trousers", "trouser", "pants", "jeans", "denim", "chinos", "leggings", "shorts",
    ),
    "skirts": ("skirt", "skirts"),
    "footwear": (
        "footwear", "shoes", "boots", "sneakers", "trainers", "heels", "loafers", "sandals",
        "pumps", "mules",
    ),
    "bags": ("bag", "bags", "handbag", "handbags", "clutch", "tote", "purse"),
    "jewellery": ("jewellery", "jewelry", "earrings", "necklace", "bracelet"),
    "accessories": (
        "accessories", "accessory", "scarf", "hat", "belt", "gloves", "sunglasses",
    ),
}  # fmt: skip

# A label (casefolded) -> its category key.
CATEGORY_ALIASES: dict[str, str] = {
    term.casefold(): key for key, terms in CATEGORY_SYNONYMS.items() for term in (key, *terms)
}


def category_key(category: str | None) -> str:
    """The grouping key of a label: trimmed, inner spaces collapsed, case-folded; blank →
    "other"."""
    key = " ".join((category or "").split()).casefold()
    return key or OTHER_CATEGORY.casefold()


def canonical_category(key: str) -> str:
    """The category a grouping key names ("coats" → "outerwear"), or the key itself when it
    is not in the table."""
    return CATEGORY_ALIASES.get(key, key)


def category_label(key: str) -> str:
    """How a category key is shown: "dresses" → "Dresses", "t-shirts" → "T-shirts"."""
    return key[:1].upper() + key[1:]
