"""The shapes of a question about one sample, and what in them is not its name."""

from __future__ import annotations

from ..normalize import word_list
from .entities import CATEGORY_TERMS, KIT_NOUNS

# "<verb> <sample name> <verb>" shapes; the named group q is the sample the user means.
# They run on the normalised text, so "where's" is already "where is".
# "Where is X" and "is X here" are asked of places and people too ("where is paris"): what
# they name is a sample only when it looks like one (SAMPLE_NOUNS, or a number: "look 12").
VAGUE_SAMPLE_QUERY_PATTERNS: tuple[str, ...] = (
    r"\bwhere (?:is|are) (?P<q>.+)",
    r"^(?P<q>.+?) where (?:is|are) (?:it|they)\b",
    r"\bis (?P<q>.+?) (?:here|on set|at the studio)\b",
    r"\bis (?P<q>.+?) in(?: yet)?$",
    r"\b(?:check|checking|chase|chasing|follow up) on (?P<q>.+)",
)
# The verb of these says the thing is shipped, tracked or due: whatever they name is a sample.
SAMPLE_QUERY_PATTERNS: tuple[str, ...] = (
    r"\bstatus (?:of|on|for) (?P<q>.+)",
    # A SKU names a sample wherever it stands ("status SKU 55-102?").
    r"\b(?P<q>sku(?: \d+)+)\b",
    r"\b(?:track|tracking|trace|locate|find)(?: number)?(?: (?:for|of|on))? (?P<q>.+)",
    r"\beta(?: (?:for|of|on))? (?P<q>.+)",
    r"\b(?:news|update|updates) (?:on|about|for) (?P<q>.+)",
    r"\bwhat happened to (?P<q>.+)",
    r"\b(?:has|have|did) (?P<q>.+?) (?:arrived?|landed|land|shipped|ship|come in|turned up|"
    r"turn up|show up|shown up|been delivered|get delivered|cleared customs|cleared|made it|"
    r"been received|got here)\b",
    r"\bis (?P<q>.+?) (?:delivered|arrived|in transit)\b",
    r"\bwhen (?:will|does|is|do|are) (?P<q>.+?) (?:arrive|arriving|get here|getting here|land|"
    r"landing|be here|due|come|coming|turn up|show up)\b",
)
# Dropped from the ends of a sample query: "the red dress yet please" -> "red dress".
SAMPLE_QUERY_TRIM_START: frozenset[str] = frozenset(
    word_list("the my our a an that this those these me us sample samples called named")
)
SAMPLE_QUERY_TRIM_END: frozenset[str] = frozenset(
    word_list(
        "yet now today tomorrow please already exactly at the moment right on set here for me us "
        "ever finally actually"
    )
)
# Nouns that make a vague query a sample ("where is the Miu Miu cardigan"): the garment words
# of the categories and the logistics kit nouns.
SAMPLE_NOUNS: frozenset[str] = frozenset(
    [
        *(term for terms in CATEGORY_TERMS.values() for term in terms),
        *KIT_NOUNS["logistics"],
        *word_list("sku top tops suit slip sample look piece item jumper kimono cape vest"),
    ]
)
# A query made only of these words names no particular sample ("where are the samples?").
GENERIC_QUERY_WORDS: frozenset[str] = frozenset(
    word_list("""
    sample samples garment garments look looks piece pieces item items thing things stuff
    everything anything everyone anyone someone something all it they them shoot campaign set
    production project day delivery deliveries order rest others parcel parcels package
    packages shipment shipments box boxes courier couriers pull pulls full whole entire
    complete
    """)
)
