"""The events skill: the shoot schedule, its critical path, tasks at risk and double-bookings,
answered from the events optimizer."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.chat.context import ChatContext
from assistant.chat.replies import Action, Reply
from assistant.intents import IntentMatch
from logistics.analysis.schedule import CycleError, EventsAnalysis, ScheduleError, analyze_events
from logistics.analysis.wording import format_minutes, plural

SKILL = "events"
SHOWN = 6

FOLLOW_UP = ("What's on the critical path?", "Which tasks are at risk?", "Is anyone double-booked?")


def _analysis(ctx: ChatContext) -> EventsAnalysis:
    return analyze_events(ctx.tasks, start=ctx.now)


def _day(ctx: ChatContext, timeframe: str | None) -> date | None:
    today = ctx.now.date()
    return {"today": today, "tomorrow": today + timedelta(days=1)}.get(timeframe or "")


def _guard(intent: str, ctx: ChatContext, answer) -> Reply:
    """Answer, or explain why the schedule cannot be computed (no tasks, a cycle)."""
    if not ctx.tasks:
        return Reply(
            content=f"{ctx.campaign_name} has no tasks yet, so there is no schedule to check.",
            intent=intent,
            skill=SKILL,
            actions=(Action("Add tasks", "event-schedule", True),),
            follow_up=("Are we ready?",),
        )
    try:
        return answer(_analysis(ctx))
    except CycleError as error:
        return Reply(
            content=f"I can't plan the schedule: {error.message} Remove one of these "
            "dependencies and ask again.",
            intent=intent,
            skill=SKILL,
            severity="critical",
            actions=(Action("Fix dependencies", f"event-schedule:{error.cycle[0]}", True),),
            data={"cycle": list(error.cycle)},
        )
    except ScheduleError as error:
        return Reply(
            content=f"I can't plan the schedule: {error.message}",
            intent=intent,
            skill=SKILL,
            severity="critical",
            actions=(Action("Open schedule", "event-schedule", True),),
        )


def schedule_overview(ctx: ChatContext, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        plan = analysis.schedule
        day = _day(ctx, match.entities.timeframe)
        tasks = [t for t in plan.tasks if t.status != "done"]
        if day is not None:
            tasks = [t for t in tasks if t.planned_start.date() == day]
            if not tasks:
                return Reply(
                    content=f"Nothing is planned for {match.entities.timeframe}.",
                    intent="schedule_overview",
                    skill=SKILL,
                    actions=(Action("Open schedule", "event-schedule", True),),
                    follow_up=FOLLOW_UP,
                )
        shown = tasks if match.entities.names_requested else tasks[:SHOWN]
        lines = [
            f"{t.planned_start.strftime('%a %H:%M')} {t.title}"
            f"{f' ({t.assignee})' if t.assignee else ''}"
            for t in shown
        ]
        header = (
            f"{plural(len(tasks), 'task')} planned for {match.entities.timeframe}"
            if day is not None
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
            actions=(Action("Open schedule", "event-schedule", True),),
            follow_up=FOLLOW_UP,
            data={"tasks": [t.id for t in tasks]},
        )

    return _guard("schedule_overview", ctx, answer)


def critical_path(ctx: ChatContext, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        cpm = analysis.critical_path
        if not cpm.critical_path:
            content = "Every task is done: there is no critical path left."
        else:
            content = (
                f"The critical path takes {format_minutes(cpm.total_duration)}: "
                + " → ".join(cpm.critical_path_titles)
                + ". Any delay on these tasks delays the whole shoot"
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
                Action("Open schedule", "event-schedule:critical-path", True),
                *(
                    Action(f"Open {title}", f"event-schedule:{task_id}")
                    for task_id, title in list(
                        zip(cpm.critical_path, cpm.critical_path_titles, strict=True)
                    )[:1]
                ),
            ),
            follow_up=("Which tasks are at risk?", "Is anyone double-booked?"),
            data={"criticalPath": list(cpm.critical_path)},
        )

    return _guard("critical_path", ctx, answer)


def at_risk_tasks(ctx: ChatContext, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        at_risk = list(analysis.schedule.at_risk)
        day = _day(ctx, match.entities.timeframe)
        if day is not None:
            at_risk = [t for t in at_risk if t.deadline.date() == day]
        if not at_risk:
            when = f" {match.entities.timeframe}" if day is not None else ""
            return Reply(
                content=f"No task is at risk{when}: every deadline holds in the current plan.",
                intent="at_risk_tasks",
                skill=SKILL,
                severity="success",
                actions=(Action("Open schedule", "event-schedule", True),),
                follow_up=("What's on the critical path?", "Is anyone double-booked?"),
            )
        content = (
            f"{plural(len(at_risk), 'task')} will miss the deadline: "
            + "; ".join(
                f"{t.title}{f' ({t.assignee})' if t.assignee else ''} late by "
                f"{format_minutes(t.late_by_minutes)}"
                for t in at_risk
            )
            + "."
        )
        return Reply(
            content=content,
            intent="at_risk_tasks",
            skill=SKILL,
            severity="critical" if any(t.is_critical for t in at_risk) else "warning",
            actions=(
                Action("Review at-risk tasks", "event-schedule:at-risk", True),
                Action(f"Open {at_risk[0].title}", f"event-schedule:{at_risk[0].task_id}"),
            ),
            follow_up=("What's on the critical path?", "Is anyone double-booked?"),
            data={"atRisk": [t.to_dict() for t in at_risk]},
        )

    return _guard("at_risk_tasks", ctx, answer)


def conflict_check(ctx: ChatContext, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        found = analysis.schedule.conflicts
        if not found:
            return Reply(
                content="Nobody is double-booked in the current plan.",
                intent="conflict_check",
                skill=SKILL,
                severity="success",
                actions=(Action("Open schedule", "event-schedule", True),),
                follow_up=("Which tasks are at risk?", "What's the schedule?"),
            )
        content = (
            f"{plural(len(found), 'double-booking')}: "
            + "; ".join(
                f"{c.assignee} has {c.titles[0]} and {c.titles[1]} overlapping by "
                f"{format_minutes(c.overlap_minutes)}"
                for c in found
            )
            + ". The optimised schedule runs them one after the other."
        )
        return Reply(
            content=content,
            intent="conflict_check",
            skill=SKILL,
            severity="warning",
            actions=(Action("Resolve conflicts", "event-schedule:conflicts", True),),
            follow_up=("Which tasks are at risk?", "What's the schedule?"),
            data={"conflicts": [c.to_dict() for c in found]},
        )

    return _guard("conflict_check", ctx, answer)


HANDLERS = {
    "schedule_overview": schedule_overview,
    "critical_path": critical_path,
    "at_risk_tasks": at_risk_tasks,
    "conflict_check": conflict_check,
}
