"""The events skill: the shoot schedule, its critical path, tasks at risk and double-bookings,
answered from the events optimizer. A timeframe ("tomorrow", "next week") limits the schedule
to the tasks planned in it, the risks to the deadlines in it and the double-bookings to the
overlaps in it."""

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
)
from assistant.chat.skills.events_context import (
    ASK_AT_RISK,
    ASK_CONFLICTS,
    ASK_CRITICAL_PATH,
    ASK_SCHEDULE,
    FOLLOW_UP,
    SHOWN,
    SKILL,
    SUGGESTED,
    guarded,
    names_shown,
    schedule_window,
    timeframe_label,
)
from assistant.chat.skills.events_task_words import conflicts_of, who_and_state
from assistant.chat.skills.events_tasks import task_lookup
from assistant.chat.subjects import named
from assistant.chat.timeframes import within
from assistant.chat.yes_no import led, opening
from assistant.events_words import at_risk_dict, conflict_dict
from assistant.intents import IntentMatch
from assistant.wording import format_minutes, name_list, plural
from logistics.analysis.events_analyzer import EventsAnalysis


def schedule_overview(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        plan = analysis.schedule
        window = schedule_window(ctx, match)
        tasks = [t for t in plan.tasks if t.status != "done"]
        if window is not None:
            tasks = [t for t in tasks if within(t.planned_start, window)]
            if not tasks:
                return Reply(
                    content=f"Nothing is planned for {timeframe_label(match)}.",
                    intent="schedule_overview",
                    skill=SKILL,
                    actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                    follow_up=FOLLOW_UP,
                )
        shown = tasks[: LIST_LIMIT if match.entities.names_requested else SHOWN]
        lines = [
            f"{t.planned_start.strftime('%a %H:%M')} {t.title}{who_and_state(t)}" for t in shown
        ]
        header = (
            f"{plural(len(tasks), 'task')} planned for {timeframe_label(match)}"
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
        booked = [c for c in plan.conflicts if listed.intersection(c.task_ids)]
        if booked:
            content += (
                f" {plural(len(booked), 'double-booking')} in the plan as given ("
                + listing(
                    [
                        f"{c.assignee}: {c.titles[0]} and {c.titles[1]}"
                        for c in booked[:NAMES_SHOWN]
                    ],
                    total=len(booked),
                    sep="; ",
                )
                + "); the plan runs them one after the other."
            )
        return Reply(
            content=content,
            intent="schedule_overview",
            skill=SKILL,
            severity="warning" if at_risk or booked else "success",
            actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
            follow_up=FOLLOW_UP,
            data={
                "tasks": capped(t.id for t in tasks),
                "taskCount": len(tasks),
                "atRiskCount": len(at_risk),
                "conflictCount": len(booked),
            },
        )

    return guarded("schedule_overview", ctx, answer)


def critical_path(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        cpm = analysis.critical_path
        if not cpm.critical_path:
            content = "Every task is done: there is no critical path left."
        else:
            titles, shown = cpm.critical_path_titles, names_shown(match)
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

    return guarded("critical_path", ctx, answer)


def at_risk_tasks(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        at_risk = list(analysis.schedule.at_risk)
        window = schedule_window(ctx, match)
        if window is not None:
            at_risk = [t for t in at_risk if within(t.deadline, window)]
        lead = opening(match.message, problem=bool(at_risk))
        if not at_risk:
            content = lead + (
                f"No task with a deadline {timeframe_label(match)} is at risk in the current plan."
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
        when = f" {timeframe_label(match)}" if window is not None else ""
        content = (
            f"{lead}{plural(len(at_risk), 'task')} will miss the deadline{when}: "
            + listing(
                [
                    f"{t.title}{f' ({t.assignee})' if t.assignee else ''} late by "
                    f"{format_minutes(t.late_by_minutes)}"
                    for t in at_risk[: names_shown(match)]
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

    return guarded("at_risk_tasks", ctx, answer)


def conflict_check(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        found = list(analysis.schedule.conflicts)
        window = schedule_window(ctx, match)
        if window is not None:
            # An overlap belongs to the window it happens in, even if it started before.
            found = [c for c in found if c.overlap_start < window[1] and window[0] < c.overlap_end]
        when = f" {timeframe_label(match)}" if window is not None else ""
        lead = opening(match.message, problem=bool(found))
        if not found:
            return Reply(
                content=f"{lead}Nobody is double-booked{when} in the current plan.",
                intent="conflict_check",
                skill=SKILL,
                severity="success",
                actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                follow_up=(ASK_AT_RISK, ASK_SCHEDULE),
            )
        content = (
            f"{lead}{plural(len(found), 'double-booking')}{when}: "
            + listing(
                [
                    f"{c.assignee} has {c.titles[0]} and {c.titles[1]} overlapping by "
                    f"{format_minutes(c.overlap_minutes)}"
                    f"{f' ({c.overlap_start:%a %H:%M})' if window is not None else ''}"
                    for c in found[: names_shown(match)]
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

    return guarded("conflict_check", ctx, answer)


# --- One task, one person --------------------------------------------------------------------


def schedule_slack(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        slack = analysis.slack()
        if not slack.critical_ids and slack.tightest_id is None:
            return Reply(
                content="Every task is done: there is no schedule left to be tight.",
                intent="schedule_slack",
                skill=SKILL,
                severity="success",
                actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                follow_up=SUGGESTED["schedule_slack"],
            )

        def title(task_id: str) -> str:
            return analysis.planned(task_id).title

        lead = opening(match.message, problem=slack.tight)
        parts = []
        if slack.at_risk_ids:
            parts.append(
                led(lead, "the plan is too tight: ")
                + f"{plural(len(slack.at_risk_ids), 'task')} will miss the deadline ("
                + name_list([title(i) for i in slack.at_risk_ids], total=len(slack.at_risk_ids))
                + ")"
            )
        elif slack.margin_id is not None:
            state = "the plan is tight" if slack.tight else "the plan has room"
            parts.append(
                led(lead, state)
                + f": the closest deadline, {title(slack.margin_id)}'s, is met with "
                f"{format_minutes(slack.margin_minutes)} to spare"
            )
        else:
            parts.append(
                led(lead, "no deadline is set, so only the order of the tasks limits the day")
            )
        critical = len(slack.critical_ids)
        parts.append(
            f"{plural(critical, 'task')} {'has' if critical == 1 else 'have'} no slack "
            "(any delay on them delays the end): "
            + name_list([title(i) for i in slack.critical_ids], total=len(slack.critical_ids))
        )
        if slack.tightest_id is not None:
            parts.append(
                f"the next tightest is {title(slack.tightest_id)} with "
                f"{format_minutes(slack.tightest_slack)} of slack"
            )
        content = "; ".join(parts) + "."
        conflicts = analysis.schedule.conflicts
        if conflicts:
            content += (
                f" {plural(len(conflicts), 'double-booking')} in the plan as given: "
                + "; ".join(
                    conflicts_of(analysis, set().union(*(c.task_ids for c in conflicts)))[
                        :NAMES_SHOWN
                    ]
                )
                + "."
            )
        return Reply(
            content=content,
            intent="schedule_slack",
            skill=SKILL,
            severity="critical" if slack.at_risk_ids else ("warning" if slack.tight else "success"),
            actions=(Action("Open schedule", targets.SCHEDULE_CRITICAL_PATH, True),),
            follow_up=SUGGESTED["schedule_slack"],
            data={
                "tight": slack.tight,
                "criticalIds": capped(slack.critical_ids),
                "criticalCount": len(slack.critical_ids),
                "tightestId": slack.tightest_id,
                "tightestSlackMinutes": slack.tightest_slack,
                "marginTaskId": slack.margin_id,
                "marginMinutes": slack.margin_minutes,
                "atRisk": capped(slack.at_risk_ids),
                "conflictCount": len(conflicts),
            },
        )

    return guarded("schedule_slack", ctx, answer)


def _narrowed(handler):
    """`handler`, unless the message names one of the campaign's tasks or people: then the
    answer is about them ("will the lighting test finish on time?", "is Ben double-booked?")."""

    def answer(ctx: AnalysisInput, match: IntentMatch) -> Reply:
        tasks = ctx.tasks
        if tasks and (
            named(match.message, tasks, name=lambda t: t.title)
            or named(match.message, sorted({t.assignee for t in tasks if t.assignee}), name=str)
        ):
            return task_lookup(ctx, match)
        return handler(ctx, match)

    return answer


HANDLERS = {
    "task_lookup": task_lookup,
    "schedule_slack": schedule_slack,
    "schedule_overview": _narrowed(schedule_overview),
    "critical_path": _narrowed(critical_path),
    "at_risk_tasks": _narrowed(at_risk_tasks),
    "conflict_check": _narrowed(conflict_check),
}
