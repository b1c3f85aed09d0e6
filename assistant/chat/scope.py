"""Which samples a question is about: all of them, the hero pieces, one garment category
("what about the dresses?"), or both. The category of a sample is read from its own label
through the same table as the message (assistant.intents.category_of), so "Shoes" on a
sample and "the boots" in a question are both footwear."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.intents import Entities, category_of
from assistant.intents.definitions import CATEGORY_TERMS
from logistics.analysis.categories import canonical_category, category_key, category_label
from logistics.analysis.inputs import SampleInput


@lru_cache(maxsize=1024)
def sample_category(label: str | None) -> str | None:
    """The category key of a sample's category label ("Knitwear", "Shoes", "Tops"), or None
    when the label is not one the intents know. Labels repeat across samples (cached)."""
    canonical = canonical_category(category_key(label))
    return canonical if canonical in CATEGORY_TERMS else category_of(label or "")


@dataclass(frozen=True, slots=True)
class SampleScope:
    hero_only: bool = False
    category: str | None = None

    @classmethod
    def of(cls, entities: Entities) -> SampleScope:
        return cls(hero_only=entities.hero_only, category=entities.category)

    @property
    def narrowed(self) -> bool:
        return self.hero_only or self.category is not None

    @property
    def label(self) -> str:
        """ "Hero pieces", "Dresses", "Hero dresses" (capitalised, to open a sentence)."""
        if self.category is None:
            return "Hero pieces" if self.hero_only else "Samples"
        name = category_label(self.category)
        return f"Hero {name.lower()}" if self.hero_only else name

    def noun(self) -> str:
        """What one sample in scope is called: "hero piece" or "sample"."""
        return "hero piece" if self.hero_only else "sample"

    def filter(self, samples: Iterable[SampleInput]) -> list[SampleInput]:
        return [
            s
            for s in samples
            if (not self.hero_only or s.is_hero)
            and (self.category is None or sample_category(s.category) == self.category)
        ]
