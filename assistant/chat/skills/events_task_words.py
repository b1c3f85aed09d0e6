"""One task of the schedule in words: its facts (who, when, what it waits for, its slack),
its double-bookings, whether one task can start before another, and the yes/no answer to a
question about it."""

from __future__ import annotations

from datetime import datetime, timedelta

from assistant.chat.yes_no import opening, yes_no
from assistant.intents.normalize import stem, tokenize
from assistant.wording import format_minutes, name_list
from logistics.analysis.events_analyzer import EventsAnalysis
from logistics.analysis.schedule import PlannedTask


def who_and_state(task: PlannedTask) -> str:
    """ " (Ana)", " (Ana, blocked)", " (in progress)" or "": the assignee and any status other
    than not started, in words."""
    parts = [task.assignee] if task.assignee else []
    if task.status != "todo":
        parts.append(TASK_STATUS_WORDS[task.status])
    return f" ({', '.join(parts)})" if parts else ""


def at_time(moment: datetime) -> str:
    return moment.strftime("%a %H:%M")


def task_titles(analysis: EventsAnalysis, ids) -> list[str]:
    return [analysis.planned(task_id).title for task_id in ids]


def task_facts(analysis: EventsAnalysis, task: PlannedTask) -> str:
    """ "Retouch hero selects (Lead Stylist): planned Mon 14:00-18:00, deadline Mon 22:00;
    after First selects with client; nothing waits for it; on the critical path"."""
    who = f" ({task.assignee})" if task.assignee else " (unassigned)"
    parts = [
        f"{task.title}{who}: "
        + (
            "done"
            if task.status == "done"
            else f"planned {at_time(task.planned_start)}-{task.planned_finish:%H:%M}"
        )
    ]
    if task.deadline is not None and task.status != "done":
        parts[0] += f", deadline {at_time(task.deadline)}"
        if task.late_by_minutes:
            parts[0] += f", late by {format_minutes(task.late_by_minutes)}"
    before = task_titles(analysis, task.depends_on)
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


def conflicts_of(analysis: EventsAnalysis, task_ids: set[str]) -> list[str]:
    """The double-bookings that involve these tasks, in words."""
    return [
        f"{c.assignee} is double-booked on {c.titles[0]} and {c.titles[1]} "
        f"({format_minutes(c.overlap_minutes)} overlap; the plan runs them one after the other)"
        for c in analysis.schedule.conflicts
        if task_ids.intersection(c.task_ids)
    ]


def before_answer(analysis: EventsAnalysis, first: PlannedTask, then: PlannedTask) -> str:
    """Can `first` start before `then` is done? From the dependencies, then the people."""
    if then.status == "done":
        return f"Yes: {then.title} is already done."
    chain = analysis.dependency_chain(first.id, then.id)
    if chain is not None:
        via = task_titles(analysis, chain[1:-1])
        how = f" (through {' → '.join(via)})" if via else ""
        return (
            f"No: {first.title} depends on {then.title}{how}, so it starts only once "
            f"{then.title} is done (planned {at_time(then.planned_finish)}); the plan starts it "
            f"{at_time(first.planned_start)}."
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
            f"starts {first.title} {at_time(first.planned_start)} and {then.title} "
            f"{at_time(then.planned_start)}."
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


def one_task_yes_no(message: str, task: PlannedTask) -> str:
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
    return f"{lead}{task.title} finishes {at_time(task.planned_finish)}, {when}. "
