"""The events skill: the shoot schedule, its critical path, tasks at risk and double-bookings,
answered from the events optimizer. A timeframe ("tomorrow", "next week") limits the schedule
to the tasks planned in it, the risks to the deadlines in it and the double-bookings to the
overlaps in it."""

from __future__ import annotations

from datetime import datetime

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
)
from assistant.chat.timeframes import LABELS, timeframe_window, within
from assistant.events_words import at_risk_dict, conflict_dict, schedule_error_message
from assistant.intents import IntentMatch
from assistant.wording import format_minutes, plural
from logistics.analysis.events_analyzer import EventsAnalysis, analyze_events
from logistics.analysis.task_graph import CycleError, ScheduleError

SKILL = "events"
SHOWN = 6

ASK_CRITICAL_PATH = "What's on the critical path?"
ASK_AT_RISK = "Which tasks are at risk?"
ASK_CONFLICTS = "Is anyone double-booked?"
ASK_SCHEDULE = "What's the schedule?"
ASK_READY = "Are we ready?"
FOLLOW_UP = (ASK_CRITICAL_PATH, ASK_AT_RISK, ASK_CONFLICTS)
# Every question an answer of this skill may suggest, by intent (checked by the tests: each
# must be understood, in the context of the answer that offers it).
SUGGESTED: dict[str, tuple[str, ...]] = {
    "schedule_overview": (*FOLLOW_UP, ASK_READY),
    "critical_path": (ASK_AT_RISK, ASK_CONFLICTS, ASK_READY),
    "at_risk_tasks": (ASK_CRITICAL_PATH, ASK_CONFLICTS, ASK_READY),
    "conflict_check": (ASK_AT_RISK, ASK_SCHEDULE, ASK_READY),
}


def _analysis(ctx: AnalysisInput) -> EventsAnalysis:
    return analyze_events(ctx.tasks, start=ctx.now)


def _window(ctx: AnalysisInput, match: IntentMatch) -> tuple[datetime, datetime] | None:
    return timeframe_window(match.entities.timeframe, ctx.now)


def _when(match: IntentMatch) -> str:
    return LABELS.get(match.entities.timeframe or "", "")


def _shown(match: IntentMatch) -> int:
    """How many items the content names: more when the user asked for the list."""
    return LIST_LIMIT if match.entities.names_requested else NAMES_SHOWN


def _guard(intent: str, ctx: AnalysisInput, answer) -> Reply:
    """Answer, or explain why the schedule cannot be computed (no tasks, a cycle)."""
    if not ctx.tasks:
        return Reply(
            content=f"{ctx.campaign_name} has no tasks yet, so there is no schedule to check.",
            intent=intent,
            skill=SKILL,
            actions=(Action("Add tasks", targets.EVENT_SCHEDULE, True),),
            follow_up=(ASK_READY,),
        )
    try:
        return answer(_analysis(ctx))
    except CycleError as error:
        return Reply(
            content=f"I can't plan the schedule: {schedule_error_message(error)} Remove one of "
            "these dependencies and ask again.",
            intent=intent,
            skill=SKILL,
            severity="critical",
            actions=(Action("Fix dependencies", targets.task(error.cycle[0]), True),),
            data={"cycle": capped(error.cycle), "cycleLength": len(error.cycle)},
        )
    except ScheduleError as error:
        return Reply(
            content=f"I can't plan the schedule: {schedule_error_message(error)}",
            intent=intent,
            skill=SKILL,
            severity="critical",
            actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
        )


def schedule_overview(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        plan = analysis.schedule
        window = _window(ctx, match)
        tasks = [t for t in plan.tasks if t.status != "done"]
        if window is not None:
            tasks = [t for t in tasks if within(t.planned_start, window)]
            if not tasks:
                return Reply(
                    content=f"Nothing is planned for {_when(match)}.",
                    intent="schedule_overview",
                    skill=SKILL,
                    actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                    follow_up=FOLLOW_UP,
                )
        shown = tasks[: LIST_LIMIT if match.entities.names_requested else SHOWN]
        lines = [
            f"{t.planned_start.strftime('%a %H:%M')} {t.title}"
            f"{f' ({t.assignee})' if t.assignee else ''}"
            for t in shown
        ]
        header = (
            f"{plural(len(tasks), 'task')} planned for {_when(match)}"
            if window is not None
            else f"{plural(len(tasks), 'open task')}, finishing "
            f"{plan.finish.strftime('%a %d %b %H:%M')} "
            f"({format_minutes(plan.makespan_minutes)} of work from now)"
        )
        content = f"{header}: " + "; ".join(lines)
        if len(tasks) > len(shown):
            content += f"; and {len(tasks) - len(shown)} more"
        content += "."
        # Only the listed tasks' deadline misses: tomorrow's plan must not warn about today's.
        listed = {t.id for t in tasks}
        at_risk = [a for a in plan.at_risk if a.task_id in listed]
        if at_risk:
            content += f" {plural(len(at_risk), 'task')} will miss the deadline."
        return Reply(
            content=content,
            intent="schedule_overview",
            skill=SKILL,
            severity="warning" if at_risk or plan.conflicts else "success",
            actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
            follow_up=FOLLOW_UP,
            data={"tasks": capped(t.id for t in tasks), "taskCount": len(tasks)},
        )

    return _guard("schedule_overview", ctx, answer)


def critical_path(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        cpm = analysis.critical_path
        if not cpm.critical_path:
            content = "Every task is done: there is no critical path left."
        else:
            titles, shown = cpm.critical_path_titles, _shown(match)
            path = " → ".join(titles)
            if len(titles) > shown:
                hidden = len(titles) - shown
                path = " → ".join(titles[: shown - 1]) + f" → … ({hidden} more) → {titles[-1]}"
            content = (
                f"The critical path takes {format_minutes(cpm.total_duration)}: {path}. "
                "Any delay on these tasks delays the whole shoot"
            )
            slack = sorted(
                (t for t in cpm.tasks if not t.is_critical and t.slack > 0),
                key=lambda t: t.slack,
            )
            if slack:
                content += (
                    f"; the next tightest is {slack[0].title} with "
                    f"{format_minutes(slack[0].slack)} of slack"
                )
            content += "."
        return Reply(
            content=content,
            intent="critical_path",
            skill=SKILL,
            severity="info",
            actions=(
                Action("Open schedule", targets.SCHEDULE_CRITICAL_PATH, True),
                *(
                    Action(f"Open {title}", targets.task(task_id))
                    for task_id, title in list(
                        zip(cpm.critical_path, cpm.critical_path_titles, strict=True)
                    )[:1]
                ),
            ),
            follow_up=(ASK_AT_RISK, ASK_CONFLICTS),
            data={
                "criticalPath": capped(cpm.critical_path),
                "criticalPathLength": len(cpm.critical_path),
            },
        )

    return _guard("critical_path", ctx, answer)


def at_risk_tasks(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        at_risk = list(analysis.schedule.at_risk)
        window = _window(ctx, match)
        if window is not None:
            at_risk = [t for t in at_risk if within(t.deadline, window)]
        if not at_risk:
            content = (
                f"No task with a deadline {_when(match)} is at risk in the current plan."
                if window is not None
                else "No task is at risk: every deadline holds in the current plan."
            )
            return Reply(
                content=content,
                intent="at_risk_tasks",
                skill=SKILL,
                severity="success",
                actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                follow_up=(ASK_CRITICAL_PATH, ASK_CONFLICTS),
            )
        when = f" {_when(match)}" if window is not None else ""
        content = (
            f"{plural(len(at_risk), 'task')} will miss the deadline{when}: "
            + listing(
                [
                    f"{t.title}{f' ({t.assignee})' if t.assignee else ''} late by "
                    f"{format_minutes(t.late_by_minutes)}"
                    for t in at_risk[: _shown(match)]
                ],
                total=len(at_risk),
                sep="; ",
            )
            + "."
        )
        return Reply(
            content=content,
            intent="at_risk_tasks",
            skill=SKILL,
            severity="critical" if any(t.is_critical for t in at_risk) else "warning",
            actions=(
                Action("Review at-risk tasks", targets.SCHEDULE_AT_RISK, True),
                Action(f"Open {at_risk[0].title}", targets.task(at_risk[0].task_id)),
            ),
            follow_up=(ASK_CRITICAL_PATH, ASK_CONFLICTS),
            data={
                "atRisk": [at_risk_dict(t) for t in at_risk[:DATA_LIMIT]],
                "atRiskCount": len(at_risk),
            },
        )

    return _guard("at_risk_tasks", ctx, answer)


def conflict_check(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        found = list(analysis.schedule.conflicts)
        window = _window(ctx, match)
        if window is not None:
            # An overlap belongs to the window it happens in, even if it started before.
            found = [c for c in found if c.overlap_start < window[1] and window[0] < c.overlap_end]
        when = f" {_when(match)}" if window is not None else ""
        if not found:
            return Reply(
                content=f"Nobody is double-booked{when} in the current plan.",
                intent="conflict_check",
                skill=SKILL,
                severity="success",
                actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                follow_up=(ASK_AT_RISK, ASK_SCHEDULE),
            )
        content = (
            f"{plural(len(found), 'double-booking')}{when}: "
            + listing(
                [
                    f"{c.assignee} has {c.titles[0]} and {c.titles[1]} overlapping by "
                    f"{format_minutes(c.overlap_minutes)}"
                    f"{f' ({c.overlap_start:%a %H:%M})' if window is not None else ''}"
                    for c in found[: _shown(match)]
                ],
                total=len(found),
                sep="; ",
            )
            + ". The optimised schedule runs them one after the other."
        )
        return Reply(
            content=content,
            intent="conflict_check",
            skill=SKILL,
            severity="warning",
            actions=(Action("Resolve conflicts", targets.SCHEDULE_CONFLICTS, True),),
            follow_up=(ASK_AT_RISK, ASK_SCHEDULE),
            data={
                "conflicts": [conflict_dict(c) for c in found[:DATA_LIMIT]],
                "conflictCount": len(found),
            },
        )

    return _guard("conflict_check", ctx, answer)


HANDLERS = {
    "schedule_overview": schedule_overview,
    "critical_path": critical_path,
    "at_risk_tasks": at_risk_tasks,
    "conflict_check": conflict_check,
}
