"""The events skill: the shoot schedule, its critical path, tasks at risk and double-bookings,
answered from the events optimizer. A timeframe ("tomorrow", "next week") limits the schedule
to the tasks planned in it, the risks to the deadlines in it and the double-bookings to the
overlaps in it."""

from __future__ import annotations

from datetime import datetime, timedelta

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
from assistant.chat.subjects import named
from assistant.chat.timeframes import LABELS, timeframe_window, within
from assistant.chat.yes_no import asks_yes_no, led, opening, yes_no
from assistant.events_words import at_risk_dict, conflict_dict, schedule_error_message
from assistant.intents import IntentMatch
from assistant.intents.normalize import stem, tokenize
from assistant.wording import format_minutes, name_list, plural
from logistics.analysis.events_analyzer import EventsAnalysis, analyze_events
from logistics.analysis.schedule import PlannedTask
from logistics.analysis.task_graph import CycleError, ScheduleError

SKILL = "events"
SHOWN = 6

ASK_CRITICAL_PATH = "What's on the critical path?"
ASK_AT_RISK = "Which tasks are at risk?"
ASK_CONFLICTS = "Is anyone double-booked?"
ASK_SCHEDULE = "What's the schedule?"
ASK_READY = "Are we ready?"
ASK_SLACK = "Is the schedule tight?"
FOLLOW_UP = (ASK_CRITICAL_PATH, ASK_AT_RISK, ASK_CONFLICTS)
# Every question an answer of this skill may suggest, by intent (checked by the tests: each
# must be understood, in the context of the answer that offers it).
SUGGESTED: dict[str, tuple[str, ...]] = {
    "schedule_overview": (*FOLLOW_UP, ASK_READY),
    "critical_path": (ASK_AT_RISK, ASK_CONFLICTS, ASK_READY),
    "at_risk_tasks": (ASK_CRITICAL_PATH, ASK_CONFLICTS, ASK_READY),
    "conflict_check": (ASK_AT_RISK, ASK_SCHEDULE, ASK_READY),
    "task_lookup": (ASK_SCHEDULE, ASK_CRITICAL_PATH, ASK_SLACK),
    "schedule_slack": (ASK_CRITICAL_PATH, ASK_AT_RISK, ASK_CONFLICTS),
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


def _who_and_state(task: PlannedTask) -> str:
    """ " (Ana)", " (Ana, blocked)", " (in progress)" or "": the assignee and any status other
    than not started, in words."""
    parts = [task.assignee] if task.assignee else []
    if task.status != "todo":
        parts.append(TASK_STATUS_WORDS[task.status])
    return f" ({', '.join(parts)})" if parts else ""


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
            f"{t.planned_start.strftime('%a %H:%M')} {t.title}{_who_and_state(t)}" for t in shown
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
        lead = opening(match.message, problem=bool(at_risk))
        if not at_risk:
            content = lead + (
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
            f"{lead}{plural(len(at_risk), 'task')} will miss the deadline{when}: "
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


# --- One task, one person --------------------------------------------------------------------


def _at(moment: datetime) -> str:
    return moment.strftime("%a %H:%M")


def _titles(analysis: EventsAnalysis, ids) -> list[str]:
    return [analysis.planned(task_id).title for task_id in ids]


def _task_facts(analysis: EventsAnalysis, task: PlannedTask) -> str:
    """ "Retouch hero selects (Lead Stylist): planned Mon 14:00-18:00, deadline Mon 22:00;
    after First selects with client; nothing waits for it; on the critical path"."""
    who = f" ({task.assignee})" if task.assignee else " (unassigned)"
    parts = [
        f"{task.title}{who}: "
        + (
            "done"
            if task.status == "done"
            else f"planned {_at(task.planned_start)}-{task.planned_finish:%H:%M}"
        )
    ]
    if task.deadline is not None and task.status != "done":
        parts[0] += f", deadline {_at(task.deadline)}"
        if task.late_by_minutes:
            parts[0] += f", late by {format_minutes(task.late_by_minutes)}"
    before = _titles(analysis, task.depends_on)
    parts.append(f"after {name_list(before)}" if before else "depends on no other task")
    waiting = [t.title for t in analysis.dependents(task.id)]
    parts.append(f"{name_list(waiting)} wait for it" if waiting else "nothing waits for it")
    if task.status != "done":
        parts.append(
            "no slack: any delay on it delays the end of the shoot"
            if task.is_critical
            else f"{format_minutes(task.slack)} of slack"
        )
    return "; ".join(parts)


def _conflicts_of(analysis: EventsAnalysis, task_ids: set[str]) -> list[str]:
    """The double-bookings that involve these tasks, in words."""
    return [
        f"{c.assignee} is double-booked on {c.titles[0]} and {c.titles[1]} "
        f"({format_minutes(c.overlap_minutes)} overlap; the plan runs them one after the other)"
        for c in analysis.schedule.conflicts
        if task_ids.intersection(c.task_ids)
    ]


def _before_answer(analysis: EventsAnalysis, first: PlannedTask, then: PlannedTask) -> str:
    """Can `first` start before `then` is done? From the dependencies, then the people."""
    if then.status == "done":
        return f"Yes: {then.title} is already done."
    chain = analysis.dependency_chain(first.id, then.id)
    if chain is not None:
        via = _titles(analysis, chain[1:-1])
        how = f" (through {' → '.join(via)})" if via else ""
        return (
            f"No: {first.title} depends on {then.title}{how}, so it starts only once "
            f"{then.title} is done (planned {_at(then.planned_finish)}); the plan starts it "
            f"{_at(first.planned_start)}."
        )
    if analysis.dependency_chain(then.id, first.id) is not None:
        return (
            f"Yes: {first.title} does not depend on {then.title}; {then.title} waits for "
            f"{first.title}, so it must come first."
        )
    content = f"Yes: {first.title} does not depend on {then.title}."
    if first.assignee and first.assignee == then.assignee:
        content += (
            f" Both are {first.assignee}'s, though, so they cannot run at once: the plan "
            f"starts {first.title} {_at(first.planned_start)} and {then.title} "
            f"{_at(then.planned_start)}."
        )
    return content


TASK_STATUS_WORDS = {
    "todo": "not started",
    "in_progress": "in progress",
    "blocked": "blocked",
    "done": "done",
}
# A yes/no question about one task with one of these words asks whether it is done, unless it
# names a time too ("will it finish on time?" asks whether it is late).
DONE_WORDS = frozenset(stem(word) for word in ("done", "finished", "complete", "completed"))
TIME_WORDS = frozenset(stem(word) for word in ("time", "deadline", "late", "schedule", "when"))
# ... and with one of these, whether it is critical (has no slack).
CRITICAL_WORDS = frozenset(stem(word) for word in ("critical", "path", "bottleneck", "slack"))
# A yes/no question about a person with one of these asks whether they are double-booked
# (else whether their tasks are on time).
BOOKING_WORDS = frozenset(
    stem(word) for word in ("double", "booked", "clash", "overlap", "conflict", "twice")
)


def _one_task_yes_no(message: str, task: PlannedTask) -> str:
    """ "No: Retouch hero selects is not started. ", "Yes: … finishes Mon 18:00, 4h before its
    deadline. ": whether it is done, or else whether it is on time (or late, as asked)."""
    words = {stem(token) for token in tokenize(message)}
    if DONE_WORDS & words and not TIME_WORDS & words:
        state = TASK_STATUS_WORDS[task.status]
        return f"{yes_no(task.status == 'done')}: {task.title} is {state}. "
    if CRITICAL_WORDS & words and task.status != "done":
        on_path = "on" if task.is_critical else "not on"
        return f"{yes_no(task.is_critical)}: {task.title} is {on_path} the critical path. "
    lead = opening(message, problem=task.late_by_minutes > 0)
    if task.deadline is None:
        when = "it has no deadline"
    elif task.late_by_minutes:
        when = f"{format_minutes(task.late_by_minutes)} after its deadline"
    else:
        spare = (task.deadline - task.planned_finish) // timedelta(minutes=1)
        when = f"{format_minutes(spare)} before its deadline"
    return f"{lead}{task.title} finishes {_at(task.planned_finish)}, {when}. "


def task_lookup(ctx: AnalysisInput, match: IntentMatch) -> Reply:
    def answer(analysis: EventsAnalysis) -> Reply:
        plan = analysis.schedule.tasks
        tasks = [n.item for n in named(match.message, plan, name=lambda t: t.title)]
        people = sorted({t.assignee for t in plan if t.assignee})
        person = [n.item for n in named(match.message, people, name=str)]
        if not tasks and person:
            return _person_answer(analysis, person[0], match.message)
        if not tasks:
            return Reply(
                content="Which task do you mean? Ask with its name as it is in the schedule, "
                f'e.g. "who is doing {plan[0].title}?"',
                intent="task_lookup",
                skill=SKILL,
                actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
                follow_up=(f"Who is doing {plan[0].title}?", ASK_SCHEDULE),
            )
        task = tasks[0]
        content = ""
        if len(tasks) >= 2 and asks_yes_no(match.message):
            content = _before_answer(analysis, task, tasks[1]) + " "
        elif asks_yes_no(match.message):
            content = _one_task_yes_no(match.message, task)
        elif match.message.lstrip().lower().startswith("who"):
            content = (
                f"{task.assignee} is doing {task.title}. "
                if task.assignee
                else f"Nobody is assigned to {task.title} yet. "
            )
        content += ". ".join(_task_facts(analysis, t) for t in tasks[:2]) + "."
        clashes = _conflicts_of(analysis, {t.id for t in tasks[:2]})
        if clashes:
            content += " " + "; ".join(clashes) + "."
        return Reply(
            content=content,
            intent="task_lookup",
            skill=SKILL,
            severity="warning" if any(t.late_by_minutes for t in tasks[:2]) or clashes else "info",
            actions=tuple(
                Action(f"Open {t.title}", targets.task(t.id), i == 0)
                for i, t in enumerate(tasks[:2])
            ),
            follow_up=SUGGESTED["task_lookup"],
            data={
                "tasks": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "assignee": t.assignee,
                        "dependsOn": list(t.depends_on),
                        "waitingIds": [w.id for w in analysis.dependents(t.id)],
                        "slackMinutes": t.slack,
                        "isCritical": t.is_critical,
                    }
                    for t in tasks[:2]
                ]
            },
        )

    return _guard("task_lookup", ctx, answer)


def _person_answer(analysis: EventsAnalysis, person: str, message: str) -> Reply:
    """What one person is doing, in plan order, with their deadline misses and
    double-bookings; a yes/no question ("is Ben double-booked?", "is Ana on time?") is
    answered first from those."""
    theirs = [t for t in analysis.schedule.tasks if t.assignee == person and t.status != "done"]
    lines = [
        f"{_at(t.planned_start)} {t.title}"
        + (f" ({TASK_STATUS_WORDS[t.status]})" if t.status != "todo" else "")
        for t in theirs[:NAMES_SHOWN]
    ]
    content = (
        f"{person} has {plural(len(theirs), 'open task')}: "
        + listing(lines, total=len(theirs), sep="; ")
        + "."
        if theirs
        else f"{person} has no open task."
    )
    clashes = _conflicts_of(analysis, {t.id for t in theirs})
    late = [t for t in theirs if t.late_by_minutes]
    if late:
        content += (
            f" {plural(len(late), 'task')} will miss the deadline: "
            + listing(
                [f"{t.title} by {format_minutes(t.late_by_minutes)}" for t in late[:NAMES_SHOWN]],
                total=len(late),
            )
            + "."
        )
    if clashes:
        content += " " + "; ".join(clashes) + "."
    words = {stem(token) for token in tokenize(message)}
    about_bookings = bool(words & BOOKING_WORDS)
    lead = opening(message, problem=bool(clashes) if about_bookings else bool(late))
    return Reply(
        content=lead + content,
        intent="task_lookup",
        skill=SKILL,
        severity="warning" if clashes or late else "info",
        actions=(Action("Open schedule", targets.EVENT_SCHEDULE, True),),
        follow_up=SUGGESTED["task_lookup"],
        data={"assignee": person, "tasks": capped(t.id for t in theirs)},
    )


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
                    _conflicts_of(analysis, set().union(*(c.task_ids for c in conflicts)))[
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

    return _guard("schedule_slack", ctx, answer)


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
