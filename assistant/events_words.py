"""The events optimizer's facts in words and in the original wire shape: the refusals of a
task graph (a cycle named in order, unknown dependencies, repeated ids), the tasks at risk,
the double-bookings and the summary. `logistics.analysis` computes; this module writes."""

from __future__ import annotations

from typing import Any

from assistant.wording import format_minutes, noun, plural
from logistics.analysis.conflicts import Conflict
from logistics.analysis.critical_path import CriticalPathResult, TaskTiming
from logistics.analysis.events_analyzer import EventsAnalysis
from logistics.analysis.schedule import AtRiskTask, PlannedTask, Schedule
from logistics.analysis.task_graph import (
    CycleError,
    DuplicateTaskError,
    ScheduleError,
    UnknownDependencyError,
)

CYCLE_MESSAGE = "Task dependencies form a cycle: {path}."
UNKNOWN_DEPENDENCY_MESSAGE = "Unknown dependencies: {pairs} (no task has these ids)."
DUPLICATE_TASK_MESSAGE = "Task ids must be unique; repeated: {ids}."
INVALID_SCHEDULE_MESSAGE = "The tasks cannot be scheduled."
NO_TASKS_SUMMARY = "There are no tasks to schedule."


# --- A task graph that cannot be scheduled ---------------------------------------------------


def schedule_error_message(error: ScheduleError) -> str:
    """What is wrong with the tasks, naming the cycle's tasks in dependency order, the
    unknown dependencies of each task, or the repeated ids."""
    if isinstance(error, CycleError):
        return CYCLE_MESSAGE.format(path=" → ".join(error.titles))
    if isinstance(error, UnknownDependencyError):
        pairs = "; ".join(f"{task} → {', '.join(ids)}" for task, ids in error.missing.items())
        return UNKNOWN_DEPENDENCY_MESSAGE.format(pairs=pairs)
    if isinstance(error, DuplicateTaskError):
        return DUPLICATE_TASK_MESSAGE.format(ids=", ".join(error.ids))
    return INVALID_SCHEDULE_MESSAGE


def schedule_error_details(error: ScheduleError) -> dict[str, Any]:
    """The ids concerned, as the error envelope's `details`."""
    if isinstance(error, CycleError):
        return {"cycle": error.cycle, "titles": error.titles}
    if isinstance(error, UnknownDependencyError):
        return {"missing": error.missing}
    if isinstance(error, DuplicateTaskError):
        return {"ids": error.ids}
    return {}


# --- Risks, double-bookings and the summary --------------------------------------------------


def at_risk_message(task: AtRiskTask) -> str:
    """ "late by 50 minutes"."""
    return f"late by {plural(task.late_by_minutes, 'minute')}"


def conflict_message(conflict: Conflict) -> str:
    """ "Ana is booked on A and B at once for 30min"."""
    return (
        f"{conflict.assignee} is booked on {conflict.titles[0]} and {conflict.titles[1]} at "
        f"once for {format_minutes(conflict.overlap_minutes)}"
    )


def events_summary(analysis: EventsAnalysis) -> str:
    """The tasks, the remaining work against the plan, the critical path, the deadline misses
    and the double-bookings in one sentence."""
    cpm, plan = analysis.critical_path, analysis.schedule
    if not cpm.tasks:
        return NO_TASKS_SUMMARY
    late, booked = len(plan.at_risk), len(plan.conflicts)
    parts = [
        f"{plural(len(cpm.tasks), 'task')}; the remaining work takes at least "
        f"{format_minutes(cpm.total_duration)}, the plan "
        f"{format_minutes(plan.makespan_minutes)}"
    ]
    if cpm.critical_path:
        parts.append(f"critical path: {' → '.join(cpm.critical_path_titles)}")
    parts.append(f"{plural(late, 'task')} will miss {noun(late, 'its', 'their')} deadline")
    parts.append(plural(booked, "double-booking"))
    return "; ".join(parts) + "."


# --- The wire shape --------------------------------------------------------------------------


def timing_dict(timing: TaskTiming) -> dict[str, Any]:
    """A task's critical-path timings in the original wire shape."""
    return {
        "taskId": timing.id,
        "title": timing.title,
        "durationMinutes": timing.duration_minutes,
        "earliestStart": timing.earliest_start,
        "earliestFinish": timing.earliest_finish,
        "latestStart": timing.latest_start,
        "latestFinish": timing.latest_finish,
        "slack": timing.slack,
        "isCritical": timing.is_critical,
    }


def critical_path_dict(cpm: CriticalPathResult) -> dict[str, Any]:
    """The critical path method's result in the original wire shape."""
    return {
        "totalDuration": cpm.total_duration,
        "criticalPath": list(cpm.critical_path),
        "criticalPathTitles": list(cpm.critical_path_titles),
        "tasks": [timing_dict(timing) for timing in cpm.tasks],
    }


def planned_task_dict(task: PlannedTask) -> dict[str, Any]:
    """A task as planned, in the original wire shape."""
    return {
        "taskId": task.id,
        "title": task.title,
        "status": task.status,
        "assignee": task.assignee,
        "plannedStart": task.planned_start.isoformat(),
        "plannedFinish": task.planned_finish.isoformat(),
        "startMinute": task.start_minute,
        "finishMinute": task.finish_minute,
        "slack": task.slack,
        "isCritical": task.is_critical,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "lateByMinutes": task.late_by_minutes,
    }


def plan_dict(schedule: Schedule) -> dict[str, Any]:
    """The plan (without its risks and conflicts) in the original wire shape."""
    return {
        "start": schedule.start.isoformat(),
        "finish": schedule.finish.isoformat(),
        "makespanMinutes": schedule.makespan_minutes,
        "tasks": [planned_task_dict(task) for task in schedule.tasks],
    }


def at_risk_dict(task: AtRiskTask) -> dict[str, Any]:
    """A task at risk in the original wire shape, with its message."""
    return {
        "taskId": task.task_id,
        "title": task.title,
        "assignee": task.assignee,
        "deadline": task.deadline.isoformat(),
        "plannedFinish": task.planned_finish.isoformat(),
        "lateByMinutes": task.late_by_minutes,
        "isCritical": task.is_critical,
        "message": at_risk_message(task),
    }


def conflict_dict(conflict: Conflict) -> dict[str, Any]:
    """A double-booking in the original wire shape, with its message."""
    return {
        "assignee": conflict.assignee,
        "taskIds": list(conflict.task_ids),
        "titles": list(conflict.titles),
        "overlapStart": conflict.overlap_start.isoformat(),
        "overlapEnd": conflict.overlap_end.isoformat(),
        "overlapMinutes": conflict.overlap_minutes,
        "message": conflict_message(conflict),
    }


def events_report(analysis: EventsAnalysis) -> dict[str, Any]:
    """The events analyzer's answer in the original wire shape: the critical path, the plan,
    the tasks at risk, the double-bookings and the summary."""
    return {
        **critical_path_dict(analysis.critical_path),
        "schedule": plan_dict(analysis.schedule),
        "atRisk": [at_risk_dict(task) for task in analysis.schedule.at_risk],
        "conflicts": [conflict_dict(conflict) for conflict in analysis.schedule.conflicts],
        "summary": events_summary(analysis),
    }
