"""The one table of category synonyms, read by batching (a sample's label) and the intents."""

from logistics.analysis.batching import category_timing
from logistics.analysis.categories import (
    CATEGORY_ALIASES,
    CATEGORY_SYNONYMS,
    canonical_category,
    category_key,
    category_label,
)


def test_every_synonym_names_exactly_one_category():
    seen: dict[str, str] = {}
    for key, words in CATEGORY_SYNONYMS.items():
        for word in (key, *words):
            assert seen.setdefault(word.casefold(), key) == key, word
    assert seen == CATEGORY_ALIASES


def test_labels_are_read_whole_in_any_case_and_spacing():
    assert canonical_category(category_key("  Tank   Top ")) == "tops"
    assert canonical_category(category_key("JEWELRY")) == "jewellery"
    assert canonical_category(category_key("Swimwear")) == "swimwear"  # not in the table
    assert category_key("") == "other" and category_label("t-shirts") == "T-shirts"


def test_batching_times_a_synonym_as_its_category():
    assert category_timing("Blazer") == category_timing("Outerwear") == (30, 25)
    assert category_timing("boots") == category_timing("footwear")
