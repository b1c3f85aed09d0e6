"""The logistics skill: readiness, blockers, the batching plan and sample lookup, answered from
the same analyzers as `/analyze/logistics` (the lookup is in `sample_lookup`, what the
answers share in `sample_replies`). A question about the hero pieces or one category
("what about the dresses?") is answered for those samples only; a timeframe limits the
blockers to the samples due in it."""

from __future__ import annotations

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import (
    DATA_LIMIT,
    LIST_LIMIT,
    NAMES_SHOWN,
    Action,
    Reply,
    capped,
    listing,
    severity_of,
)
from assistant.chat.scope import SampleScope
from assistant.chat.skills.sample_lookup import sample_answer, sample_lookup
from assistant.chat.skills.sample_replies import (
    ASK_NEXT,
    ASK_NOT_READY,
    FOLLOW_UP_BATCHING,
    FOLLOW_UP_BLOCKERS,
    FOLLOW_UP_LOOKUP,
    FOLLOW_UP_READINESS,
    SKILL,
    STATUS_WORDS,
    asked_for_list,
    eta_words,
    no_samples,
    not_ready_line,
    sample_label,
)
from assistant.chat.subjects import named_one
from assistant.chat.timeframes import LABELS, timeframe_window, within
from assistant.chat.yes_no import opening
from assistant.intents import IntentMatch
from assistant.logistics_words import (
    batch_dict,
    blocker_dict,
    blocker_impact,
    plan_dict,
    plan_rationale,
    readiness_advice,
    readiness_message,
)
from assistant.wording import format_minutes, name_list, plural
from logistics.analysis.batching import Batch, batching
from logistics.analysis.blockers import blockers
from logistics.analysis.inputs import READY_STATUSES, SampleInput
from logistics.analysis.readiness import readiness

BATCH_NAMES_SHOWN = 3  # samples named per batch
BATCHES_SHOWN = 8
BATCHES_IN_DATA = LIST_LIMIT  # each batch carries its rationale and item lists
OUTSTANDING = ("in_transit", "requested")

# Every fixed question an answer of this skill may suggest, by intent (checked by the tests);
# sample_lookup also suggests "Where is the <sample>?" with the campaign's own names.
SUGGESTED: dict[str, tuple[str, ...]] = {
    "readiness_check": (*FOLLOW_UP_READINESS, ASK_NEXT),
    "blocker_check": (*FOLLOW_UP_BLOCKERS, ASK_NEXT),
    "batching_plan": (*FOLLOW_UP_BATCHING, ASK_NEXT),
    "sample_lookup": (*FOLLOW_UP_LOOKUP, ASK_NOT_READY, ASK_NEXT),
}


def _named_sample(ctx: AnalysisInput, match: IntentMatch) -> SampleInput | None:
    """The one sample the message names by its own name ("what about the tote"), if any."""
    return named_one(match.message, ctx.samples, name=lambda s: s.name, group=lambda s: s.category)


def readiness_check(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return no_samples("readiness_check", ctx)
    sample = _named_sample(ctx, match)
    if sample is not None:
        return sample_answer(ctx, sample, match)
    scope = SampleScope.of(match.entities)
    if scope.narrowed:
        return _scoped_readiness(ctx, scope, scope.filter(samples), match)

    result = readiness(samples)
    content = opening(match.message, problem=bool(result.not_ready)) + readiness_message(result)
    list_items = asked_for_list(match)
    if result.not_ready:
        shown = result.not_ready[: LIST_LIMIT if list_items else 5]
        content += " Not ready yet: " + listing(
            [not_ready_line(item) for item in shown], total=len(result.not_ready), sep="; "
        )
        content += "."
    advice = readiness_advice(result)
    if advice and not list_items:
        content += " " + advice[0]
    return Reply(
        content=content,
        intent="readiness_check",
        skill=SKILL,
        severity=severity_of(result.status),
        actions=(
            Action("View details", targets.SAMPLE_TRACKER, True),
            Action("Show delayed", targets.samples_with_status("delayed")),
        ),
        follow_up=FOLLOW_UP_READINESS,
        data={
            "overallPercentage": result.overall_percentage,
            "status": result.status,
            "notReady": capped(item.id for item in result.not_ready),
            "notReadyCount": len(result.not_ready),
        },
    )


def _scoped_readiness(
    ctx: AnalysisInput, scope: SampleScope, samples: list[SampleInput], match: IntentMatch
) -> Reply:
    """Readiness of the hero pieces, or of one category, naming the pieces not ready."""
    target = targets.SAMPLES_HERO if scope.hero_only else targets.SAMPLE_TRACKER
    if not samples:
        return Reply(
            content=f"{ctx.campaign_name} has no {scope.label.lower()}"
            f"{' marked' if scope.hero_only and scope.category is None else ''}.",
            intent="readiness_check",
            skill=SKILL,
            actions=(Action("View samples", targets.SAMPLE_TRACKER, True),),
            follow_up=FOLLOW_UP_READINESS,
            data={"overallPercentage": None, "notReady": [], "notReadyCount": 0},
        )
    result = readiness(samples)
    missing = [s for s in samples if s.status not in READY_STATUSES]
    content = opening(match.message, problem=bool(missing)) + (
        f"{scope.label}: {result.ready} of {result.total} ready ({result.overall_percentage}%)."
    )
    if missing:
        content += (
            " Not ready: "
            + listing(
                [f"{s.name} ({STATUS_WORDS[s.status]})" for s in missing[:NAMES_SHOWN]],
                total=len(missing),
            )
            + "."
        )
    return Reply(
        content=content,
        intent="readiness_check",
        skill=SKILL,
        severity="success" if not missing else "critical",
        actions=(Action(f"View {scope.label.lower()}", target, True),),
        follow_up=FOLLOW_UP_READINESS,
        data={
            "overallPercentage": result.overall_percentage,
            "notReady": capped(s.id for s in missing),
            "notReadyCount": len(missing),
        },
    )


def blocker_check(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return no_samples("blocker_check", ctx)
    sample = _named_sample(ctx, match)
    if sample is not None:
        return sample_answer(ctx, sample, match)
    scope = SampleScope.of(match.entities)
    in_scope = scope.filter(samples) if scope.narrowed else samples
    window = timeframe_window(match.entities.timeframe, ctx.now)
    delayed = [s for s in in_scope if s.status == "delayed"]
    outstanding = [s for s in in_scope if s.status in OUTSTANDING]
    later = 0
    if window is not None:
        # Due in the window: what could still stop that day's shoot.
        due = [s for s in delayed if within(s.eta, window)]
        later = len(delayed) - len(due)
        delayed = due
        outstanding = [s for s in outstanding if within(s.eta, window)]
    delayed.sort(key=lambda s: (not s.is_hero, s.priority, s.name.casefold()))
    found = blockers(delayed, now=ctx.now)
    shown = LIST_LIMIT if asked_for_list(match) else NAMES_SHOWN
    prefix = f"{scope.label}: " if scope.category is not None else ""
    when = f" due {LABELS[match.entities.timeframe]}" if window is not None else ""
    on_the_way = "" if scope.hero_only else _not_here_yet(outstanding, when)
    counts = {
        "delayedCount": len(delayed),
        "blockerCount": len(found),
        "outstandingCount": len(outstanding),
    }

    lead = opening(match.message, problem=bool(delayed))
    if not delayed:
        content = f"{lead}{prefix}No {scope.noun()} is delayed{when}."
        content += _not_due(later, match)
        content += f" {on_the_way}" if on_the_way else ""
        return Reply(
            content=content,
            intent="blocker_check",
            skill=SKILL,
            severity="success",
            actions=(Action("View samples", targets.SAMPLE_TRACKER, True),),
            follow_up=FOLLOW_UP_BLOCKERS,
            data={"delayed": [], **counts},
        )

    content = (
        f"{lead}{prefix}{plural(len(delayed), scope.noun())} delayed{when}: "
        + listing([sample_label(s) for s in delayed[:shown]], total=len(delayed))
        + "."
    )
    if found:
        critical = sum(1 for b in found if b.severity == "critical")
        content += f" {plural(len(found), 'blocker')} for the shoot"
        content += f" ({critical} critical)." if critical else "."
        details = []
        for blocker in found[:5]:
            courier = f", {blocker.courier} {blocker.tracking_number}".rstrip()
            details.append(
                f"{blocker.name}: {blocker_impact(blocker).lower()}"
                f"{courier if blocker.courier else ''}, {eta_words(blocker.eta, ctx.now)}"
            )
        content += " " + "; ".join(details) + "."
    content += _not_due(later, match)
    content += f" {on_the_way}" if on_the_way else ""
    severity = "critical" if any(b.severity == "critical" for b in found) else "warning"
    return Reply(
        content=content,
        intent="blocker_check",
        skill=SKILL,
        severity=severity,
        actions=(
            Action("Fix blockers", targets.samples_with_status("delayed"), True),
            *(Action(f"Open {s.name}", targets.sample(s.id)) for s in delayed[:2]),
        ),
        follow_up=FOLLOW_UP_BLOCKERS,
        data={
            "delayed": capped(s.id for s in delayed),
            "blockers": [blocker_dict(b) for b in found[:DATA_LIMIT]],
            **counts,
        },
    )


def _not_here_yet(outstanding: list[SampleInput], when: str) -> str:
    """The samples not delayed but not here either, each status in its own words: "In
    transit: 2 samples (A and B). Requested, not yet shipped: 1 sample (C)." (a requested
    sample is not on its way)."""
    sentences = []
    for status in OUTSTANDING:
        group = [s for s in outstanding if s.status == status]
        if group:
            words = STATUS_WORDS[status]
            label = f"{words[0].upper()}{words[1:]}{',' if when else ''}{when}"
            sentences.append(
                f"{label}: {plural(len(group), 'sample')} ("
                + name_list([sample_label(s) for s in group[:NAMES_SHOWN]], total=len(group))
                + ")."
            )
    return " ".join(sentences)


def _not_due(count: int, match: IntentMatch) -> str:
    """ " 2 other delayed samples are not due tomorrow." (empty for none)."""
    if not count:
        return ""
    is_, has = ("is", "has") if count == 1 else ("are", "have")
    when = LABELS[match.entities.timeframe]
    return f" {plural(count, 'other delayed sample')} {is_} not due {when} or {has} no ETA."


def _batch_line(batch: Batch) -> str:
    heroes = set(batch.hero_ids)
    names = [
        f"{name} (hero)" if item in heroes else name
        for item, name in zip(
            batch.item_ids[:BATCH_NAMES_SHOWN], batch.item_names[:BATCH_NAMES_SHOWN], strict=True
        )
    ]
    return (
        f"{batch.id}. {batch.category} ({plural(len(batch.item_ids), 'item')}, "
        f"~{format_minutes(batch.estimated_minutes)}: "
        + listing(names, total=len(batch.item_ids))
        + ")"
    )


def _batch_data(batch: Batch) -> dict:
    """A batch as the analyzer reports it, with its item lists capped and counted."""
    data = batch_dict(batch)
    data["itemCount"] = len(batch.item_ids)
    for key in ("items", "itemNames", "heroItems"):
        data[key] = data[key][:DATA_LIMIT]
    return data


def batching_plan(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    samples = ctx.samples
    if not samples:
        return no_samples("batching_plan", ctx)
    scope = SampleScope.of(match.entities)
    plan = batching(scope.filter(samples) if scope.narrowed else samples)
    if not plan.batches:
        which = f"{scope.label.lower()} sample" if scope.narrowed else "sample"
        if scope.hero_only and scope.category is None:
            which = "hero piece"
        return Reply(
            content=f"No {which} is on set yet, so there is nothing to batch. "
            "Samples are ready once they are on set.",
            intent="batching_plan",
            skill=SKILL,
            severity="warning",
            actions=(Action("View samples", targets.SAMPLE_TRACKER, True),),
            follow_up=FOLLOW_UP_BATCHING,
        )
    lines = [_batch_line(batch) for batch in plan.batches[:BATCHES_SHOWN]]
    order = listing(lines, total=len(plan.batches), sep="; ")
    content = f"{plan_rationale(plan)} Shooting order: {order}."
    if plan.minutes_saved:
        content += (
            f" That saves {format_minutes(plan.minutes_saved)} of set-up against shooting in "
            "arrival order."
        )
    data = plan_dict(plan)
    data["batches"] = [_batch_data(batch) for batch in plan.batches[:BATCHES_IN_DATA]]
    return Reply(
        content=content,
        intent="batching_plan",
        skill=SKILL,
        severity="info",
        actions=(Action("Open batching plan", targets.SAMPLES_BATCHING, True),),
        follow_up=FOLLOW_UP_BATCHING,
        data={"batching": data},
    )


HANDLERS = {
    "readiness_check": readiness_check,
    "blocker_check": blocker_check,
    "batching_plan": batching_plan,
    "sample_lookup": sample_lookup,
}
