"""The logistics skill: readiness, blockers, the batching plan and sample lookup, answered from
the same analyzers as `/analyze/logistics`."""

from __future__ import annotations

from datetime import datetime

from rapidfuzz import fuzz, process, utils

from assistant.chat.context import ChatContext
from assistant.chat.replies import Action, Reply, severity_of
from assistant.intents import IntentMatch
from logistics.analysis.batching import batching
from logistics.analysis.blockers import blockers
from logistics.analysis.inputs import READY_STATUSES, SampleInput
from logistics.analysis.readiness import readiness
from logistics.analysis.wording import format_minutes, name_list, plural

SKILL = "logistics"
LOOKUP_CUTOFF = 60  # rapidfuzz WRatio score below which a name does not match
LIST_LIMIT = 50  # names listed in one answer when the user asks for them all

STATUS_WORDS = {
    "requested": "requested, not yet shipped",
    "in_transit": "in transit",
    "delayed": "delayed",
    "arrived": "arrived, not yet on set",
    "on_set": "on set",
    "shot": "shot",
    "returned": "returned",
}

FOLLOW_UP_READINESS = ("Which samples are missing?", "What's blocking the shoot?")
FOLLOW_UP_BLOCKERS = ("And the hero pieces?", "How should we batch the shoot?")
FOLLOW_UP_BATCHING = ("Are we ready?", "What is delayed?")


def _label(sample: SampleInput) -> str:
    return f"{sample.name} (hero)" if sample.is_hero else sample.name


def _either(names: list[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "no ETA"
    minutes = int((moment - now).total_seconds() // 60)
    when = moment.strftime("%a %d %b %H:%M")
    if minutes >= 0:
        return f"ETA {when} (in {format_minutes(minutes)})"
    return f"ETA was {when} ({format_minutes(-minutes)} ago)"


def _no_samples(intent: str, ctx: ChatContext) -> Reply:
    return Reply(
        content=f"{ctx.campaign_name} has no samples yet, so there is nothing to track.",
        intent=intent,
        skill=SKILL,
        severity="info",
        actions=(Action("Add samples", "sample-tracker", True),),
        follow_up=("What should I do next?",),
    )


def readiness_check(ctx: ChatContext, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return _no_samples("readiness_check", ctx)
    if match.entities.hero_only:
        heroes = [s for s in samples if s.is_hero]
        if not heroes:
            return Reply(
                content=f"{ctx.campaign_name} has no hero pieces marked.",
                intent="readiness_check",
                skill=SKILL,
                actions=(Action("View samples", "sample-tracker", True),),
                follow_up=FOLLOW_UP_READINESS,
            )
        result = readiness(heroes)
        missing = [s for s in heroes if s.status not in READY_STATUSES]
        content = (
            f"Hero pieces: {result.ready} of {result.total} ready ({result.overall_percentage}%)."
        )
        if missing:
            content += (
                " Not ready: "
                + ", ".join(f"{s.name} ({STATUS_WORDS[s.status]})" for s in missing)
                + "."
            )
        return Reply(
            content=content,
            intent="readiness_check",
            skill=SKILL,
            severity="success" if not missing else "critical",
            actions=(Action("View hero pieces", "sample-tracker:hero", True),),
            follow_up=FOLLOW_UP_READINESS,
            data={"notReady": [s.id for s in missing]},
        )

    result = readiness(samples)
    content = result.message
    list_items = match.entities.names_requested or (
        match.follow_up is not None and match.follow_up.kind in ("list_items", "details")
    )
    if result.not_ready:
        shown = result.not_ready[: LIST_LIMIT if list_items else 5]
        names = [
            f"{item.name}{' (hero)' if item.is_hero else ''}: {STATUS_WORDS[item.status]}"
            for item in shown
        ]
        more = len(result.not_ready) - len(shown)
        content += " Not ready yet: " + "; ".join(names)
        content += f"; and {more} more." if more else "."
    if result.recommendations and not list_items:
        content += " " + result.recommendations[0]
    return Reply(
        content=content,
        intent="readiness_check",
        skill=SKILL,
        severity=severity_of(result.status),
        actions=(
            Action("View details", "sample-tracker", True),
            Action("Show delayed", "sample-tracker:delayed"),
        ),
        follow_up=FOLLOW_UP_READINESS,
        data={
            "overallPercentage": result.overall_percentage,
            "status": result.status,
            "notReady": [item.id for item in result.not_ready],
        },
    )


def blocker_check(ctx: ChatContext, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return _no_samples("blocker_check", ctx)
    delayed = [s for s in samples if s.status == "delayed"]
    if match.entities.hero_only:
        delayed = [s for s in delayed if s.is_hero]
    delayed.sort(key=lambda s: (not s.is_hero, s.priority, s.name.casefold()))
    found = blockers(samples, now=ctx.now)
    if match.entities.hero_only:
        found = [b for b in found if b.is_hero]
    outstanding = [s for s in samples if s.status in ("requested", "in_transit")]

    if not delayed:
        scope = "hero piece" if match.entities.hero_only else "sample"
        content = f"No {scope} is delayed."
        if outstanding and not match.entities.hero_only:
            content += (
                f" Still on the way: {plural(len(outstanding), 'sample')} "
                f"({name_list([_label(s) for s in outstanding])})."
            )
        return Reply(
            content=content,
            intent="blocker_check",
            skill=SKILL,
            severity="success",
            actions=(Action("View samples", "sample-tracker", True),),
            follow_up=FOLLOW_UP_BLOCKERS,
            data={"delayed": []},
        )

    noun = "hero piece" if match.entities.hero_only else "sample"
    content = (
        f"{plural(len(delayed), noun)} delayed: " + ", ".join(_label(s) for s in delayed) + "."
    )
    if found:
        critical = [b for b in found if b.severity == "critical"]
        content += f" {plural(len(found), 'blocker')} for the shoot"
        content += f" ({len(critical)} critical)." if critical else "."
        details = []
        for blocker in found[:5]:
            courier = f", {blocker.courier} {blocker.tracking_number}".rstrip()
            details.append(
                f"{blocker.name}: {blocker.impact.lower()}"
                f"{courier if blocker.courier else ''}, {_when(blocker.eta, ctx.now)}"
            )
        content += " " + "; ".join(details) + "."
    severity = "critical" if any(b.severity == "critical" for b in found) else "warning"
    return Reply(
        content=content,
        intent="blocker_check",
        skill=SKILL,
        severity=severity,
        actions=(
            Action("Fix blockers", "sample-tracker:delayed", True),
            *(Action(f"Open {s.name}", f"sample-tracker:{s.id}") for s in delayed[:2]),
        ),
        follow_up=FOLLOW_UP_BLOCKERS,
        data={"delayed": [s.id for s in delayed], "blockers": [b.to_dict() for b in found]},
    )


def batching_plan(ctx: ChatContext, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return _no_samples("batching_plan", ctx)
    plan = batching(samples)
    if not plan.batches:
        return Reply(
            content="No sample is on set yet, so there is nothing to batch. "
            "Samples are ready once they are on set.",
            intent="batching_plan",
            skill=SKILL,
            severity="warning",
            actions=(Action("View samples", "sample-tracker", True),),
            follow_up=FOLLOW_UP_BATCHING,
        )
    order = "; ".join(
        f"{batch.id}. {batch.category} ({plural(len(batch.item_ids), 'item')}, "
        f"~{format_minutes(batch.estimated_minutes)})"
        for batch in plan.batches
    )
    content = f"{plan.rationale} Shooting order: {order}."
    if plan.minutes_saved:
        content += (
            f" That saves {format_minutes(plan.minutes_saved)} of set-up against shooting in "
            "arrival order."
        )
    return Reply(
        content=content,
        intent="batching_plan",
        skill=SKILL,
        severity="info",
        actions=(Action("Open batching plan", "sample-tracker:batching", True),),
        follow_up=FOLLOW_UP_BATCHING,
        data={"batching": plan.to_dict()},
    )


def sample_lookup(ctx: ChatContext, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return _no_samples("sample_lookup", ctx)
    query = match.entities.sample_query
    if not query:
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
            query, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=3
        )
        return Reply(
            content=f'I couldn\'t find a sample called "{query}". '
            + (
                "Did you mean " + _either([name for name, _, _ in suggestions]) + "?"
                if suggestions
                else ""
            ),
            intent="sample_lookup",
            skill=SKILL,
            severity="warning",
            follow_up=tuple(f"Where is the {name}?" for name, _, _ in suggestions[:2]),
        )
    sample = next(s for s in samples if s.id == best[2])
    parts = [f"{_label(sample)} is {STATUS_WORDS[sample.status]}"]
    if sample.courier or sample.tracking_number:
        parts.append(
            f"courier {sample.courier or 'unknown'}, tracking {sample.tracking_number or 'n/a'}"
        )
    if sample.status not in READY_STATUSES and sample.status != "returned":
        parts.append(_when(sample.eta, ctx.now))
    if sample.arrived_at and sample.status in ("arrived", "on_set", "shot"):
        parts.append(f"arrived {sample.arrived_at.strftime('%a %d %b %H:%M')}")
    if sample.designer:
        parts.append(f"from {sample.designer}")
    severity = (
        "critical"
        if sample.status == "delayed" and sample.is_hero
        else ("warning" if sample.status == "delayed" else "info")
    )
    return Reply(
        content="; ".join(parts) + ".",
        intent="sample_lookup",
        skill=SKILL,
        severity=severity,
        actions=(Action(f"Open {sample.name}", f"sample-tracker:{sample.id}", True),),
        follow_up=("Are we ready?", "What else is delayed?"),
        data={"sample": {"id": sample.id, "name": sample.name, "status": sample.status}},
    )


HANDLERS = {
    "readiness_check": readiness_check,
    "blocker_check": blocker_check,
    "batching_plan": batching_plan,
    "sample_lookup": sample_lookup,
}
