"""The events skill's answers about one task or one person named in the message ("who is
doing the light test?", "is Ben double-booked?", "can the retouch start before the
selects?")."""

from __future__ import annotations

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import NAMES_SHOWN, Action, Reply, capped, listing
from assistant.chat.skills.events_context import ASK_SCHEDULE, SKILL, SUGGESTED, guarded
from assistant.chat.skills.events_task_words import (
    BOOKING_WORDS,
    TASK_STATUS_WORDS,
    at_time,
    before_answer,
    conflicts_of,
    one_task_yes_no,
    task_facts,
)
from assistant.chat.subjects import named
from assistant.chat.yes_no import asks_yes_no, opening
from assistant.intents import IntentMatch
from assistant.intents.normalize import stem, tokenize
from assistant.wording import format_minutes, plural
from logistics.analysis.events_analyzer import EventsAnalysis


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
            content = before_answer(analysis, task, tasks[1]) + " "
        elif asks_yes_no(match.message):
            content = one_task_yes_no(match.message, task)
        elif match.message.lstrip().lower().startswith("who"):
            content = (
                f"{task.assignee} is doing {task.title}. "
                if task.assignee
                else f"Nobody is assigned to {task.title} yet. "
            )
        content += ". ".join(task_facts(analysis, t) for t in tasks[:2]) + "."
        clashes = conflicts_of(analysis, {t.id for t in tasks[:2]})
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

    return guarded("task_lookup", ctx, answer)


def _person_answer(analysis: EventsAnalysis, person: str, message: str) -> Reply:
    """What one person is doing, in plan order, with their deadline misses and
    double-bookings; a yes/no question ("is Ben double-booked?", "is Ana on time?") is
    answered first from those."""
    theirs = [t for t in analysis.schedule.tasks if t.assignee == person and t.status != "done"]
    lines = [
        f"{at_time(t.planned_start)} {t.title}"
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
    clashes = conflicts_of(analysis, {t.id for t in theirs})
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
