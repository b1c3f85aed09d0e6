"""The logistics skill's sample lookup: where one sample is ("where is the silk gown?"),
found by its name with typos forgiven (rapidfuzz), or the nearest names to choose from."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import Action, Reply
from assistant.chat.skills.sample_replies import (
    ASK_NOT_READY,
    FOLLOW_UP_LOOKUP,
    SKILL,
    STATUS_WORDS,
    eta_words,
    no_samples,
    sample_label,
    sample_state_holds,
)
from assistant.chat.subjects import named_one
from assistant.chat.yes_no import asks_yes_no, yes_no
from assistant.intents import IntentMatch
from logistics.analysis.inputs import READY_STATUSES, SampleInput

LOOKUP_CUTOFF = 60  # rapidfuzz WRatio score below which a name does not match
# Below this a name is not even worth suggesting: unrelated words ("paris") score 40-52
# against garment names, a real near miss ("velvet jacket" for Velvet Blazer) above 60.
SUGGESTION_CUTOFF = 55


def _either(names: list[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def sample_lookup(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return no_samples("sample_lookup", ctx)
    query = match.entities.sample_query
    if not query:
        named_sample = named_one(
            match.message, samples, name=lambda s: s.name, group=lambda s: s.category
        )
        if named_sample is not None:
            return sample_answer(ctx, named_sample, match)
        return Reply(
            content="Which sample should I look up? Tell me its name, e.g. "
            f'"where is the {samples[0].name}?"',
            intent="sample_lookup",
            skill=SKILL,
            follow_up=tuple(f"Where is the {s.name}?" for s in samples[:2]),
        )
    names = {s.id: s.name for s in samples}
    best = process.extractOne(
        query,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=LOOKUP_CUTOFF,
    )
    if best is None:
        suggestions = process.extract(
            query,
            names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=SUGGESTION_CUTOFF,
            limit=3,
        )
        if not suggestions:
            return _no_match(query, samples)
        return Reply(
            content=f'I couldn\'t find a sample called "{query}". '
            + "Did you mean "
            + _either([name for name, _, _ in suggestions])
            + "?",
            intent="sample_lookup",
            skill=SKILL,
            severity="warning",
            follow_up=tuple(f"Where is the {name}?" for name, _, _ in suggestions[:2]),
        )
    sample = next(s for s in samples if s.id == best[2])
    return sample_answer(ctx, sample, match)


def sample_answer(ctx: AnalysisInput, sample: SampleInput, match: IntentMatch) -> Reply:
    """Where one sample is: its status in words, courier and tracking number, ETA, arrival and
    designer; a yes/no question ("has the tote arrived?", "is the gown ready?") answered
    first from its status."""
    parts = [f"{sample_label(sample)} is {STATUS_WORDS[sample.status]}"]
    if sample.courier or sample.tracking_number:
        parts.append(
            f"courier {sample.courier or 'unknown'}, tracking {sample.tracking_number or 'n/a'}"
        )
    if sample.status not in READY_STATUSES and sample.status != "returned":
        parts.append(eta_words(sample.eta, ctx.now))
    if sample.arrived_at and sample.status in ("arrived", "on_set", "shot"):
        parts.append(f"arrived {sample.arrived_at.strftime('%a %d %b %H:%M')}")
    if sample.designer:
        parts.append(f"from {sample.designer}")
    severity = (
        "critical"
        if sample.status == "delayed" and sample.is_hero
        else ("warning" if sample.status == "delayed" else "info")
    )
    opening = ""
    if asks_yes_no(match.message):
        opening = f"{yes_no(sample_state_holds(match.message, sample))}: "
    return Reply(
        content=opening + "; ".join(parts) + ".",
        intent="sample_lookup",
        skill=SKILL,
        severity=severity,
        actions=(Action(f"Open {sample.name}", targets.sample(sample.id), True),),
        follow_up=FOLLOW_UP_LOOKUP,
        data={"sample": {"id": sample.id, "name": sample.name, "status": sample.status}},
    )


def _no_match(query: str, samples: list[SampleInput]) -> Reply:
    """No sample is near enough to suggest: say so, and show how to ask."""
    example = min(samples, key=lambda s: (not s.is_hero, s.priority, s.name.casefold())).name
    return Reply(
        content=f'No sample matches "{query}". Ask with a sample\'s name as it is in the '
        f'tracker, e.g. "Where is the {example}?", or ask which samples aren\'t ready yet.',
        intent="sample_lookup",
        skill=SKILL,
        severity="info",
        actions=(Action("View samples", targets.SAMPLE_TRACKER, True),),
        follow_up=(f"Where is the {example}?", ASK_NOT_READY),
    )
