"""What every answer of the events skill shares: its name, the questions it suggests, the
timeframe a question names, and the guard that explains why a schedule cannot be planned
(no tasks, a dependency cycle) instead of answering."""

from __future__ import annotations

from datetime import datetime

from assistant import targets
from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import LIST_LIMIT, NAMES_SHOWN, Action, Reply, capped
from assistant.chat.timeframes import LABELS, timeframe_window
from assistant.events_words import schedule_error_message
from assistant.intents import IntentMatch
from logistics.analysis.events_analyzer import EventsAnalysis, analyze_events
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


def schedule_window(ctx: AnalysisInput, match: IntentMatch) -> tuple[datetime, datetime] | None:
    return timeframe_window(match.entities.timeframe, ctx.now)


def timeframe_label(match: IntentMatch) -> str:
    return LABELS.get(match.entities.timeframe or "", "")


def names_shown(match: IntentMatch) -> int:
    """How many items the content names: more when the user asked for the list."""
    return LIST_LIMIT if match.entities.names_requested else NAMES_SHOWN


def guarded(intent: str, ctx: AnalysisInput, answer) -> Reply:
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
