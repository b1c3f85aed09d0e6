"""The events optimizer's facts in words and in the original wire shape
(assistant/events_words.py): the same assertions as when the analysis wrote its own messages,
read through the words module."""

import pytest

from assistant.events_words import (
    CYCLE_MESSAGE,
    INVALID_SCHEDULE_MESSAGE,
    NO_TASKS_SUMMARY,
    at_risk_dict,
    at_risk_message,
    conflict_dict,
    conflict_message,
    events_report,
    events_summary,
    schedule_error_details,
    schedule_error_message,
)
from logistics.analysis.conflicts import conflicts
from logistics.analysis.critical_path import critical_path
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.schedule import plan_schedule
from logistics.analysis.task_graph import (
    CycleError,
    DuplicateTaskError,
    ScheduleError,
    UnknownDependencyError,
)
from logistics.tests.analysis.factories import NOW, minutes, task


def test_no_tasks():
    assert events_summary(analyze_events([], start=NOW)) == "There are no tasks to schedule."
    assert NO_TASKS_SUMMARY == "There are no tasks to schedule."


# --- a task graph that cannot be scheduled ---------------------------------------------------


def test_cycle_is_named_in_dependency_order():
    tasks = [task("a", 10, ["c"]), task("b", 10, ["a"]), task("c", 10, ["b"])]
    with pytest.raises(CycleError) as caught:
        critical_path(tasks)
    error = caught.value
    assert schedule_error_message(error) == "Task dependencies form a cycle: A → B → C → A."
    assert schedule_error_message(error) == CYCLE_MESSAGE.format(path="A → B → C → A")
    assert error.code == "DEPENDENCY_CYCLE"
    assert schedule_error_details(error) == {
        "cycle": ["a", "b", "c", "a"],
        "titles": ["A", "B", "C", "A"],
    }


def test_unknown_dependency_is_refused():
    with pytest.raises(UnknownDependencyError) as caught:
        critical_path([task("a", 10), task("b", 10, ["a", "ghost"]), task("c", 5, ["gone"])])
    error = caught.value
    assert schedule_error_message(error) == (
        "Unknown dependencies: b → ghost; c → gone (no task has these ids)."
    )
    assert schedule_error_details(error) == {"missing": {"b": ["ghost"], "c": ["gone"]}}
    assert error.code == "UNKNOWN_DEPENDENCY"


def test_duplicate_task_ids_are_refused():
    with pytest.raises(DuplicateTaskError) as caught:
        critical_path([task("a"), task("b"), task("a")])
    assert schedule_error_message(caught.value) == "Task ids must be unique; repeated: a."
    assert schedule_error_details(caught.value) == {"ids": ["a"]}


def test_a_refusal_of_another_kind_still_has_words():
    error = ScheduleError()
    assert (error.code, schedule_error_message(error)) == (
        "INVALID_SCHEDULE",
        INVALID_SCHEDULE_MESSAGE,
    )
    assert schedule_error_details(error) == {}


# --- risks and double-bookings ---------------------------------------------------------------


def test_deadline_miss_with_the_minutes():
    tasks = [
        task("a", 30, assignee="x"),
        task("b", 60, ["a"], assignee="x"),
        task("c", 20, ["b"], assignee="x", deadline=NOW + minutes(60)),
        task("d", 10, deadline=NOW + minutes(9)),
        task("e", 10, deadline=NOW + minutes(10)),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert [(r.task_id, r.late_by_minutes, at_risk_message(r)) for r in schedule.at_risk] == [
        ("c", 50, "late by 50 minutes"),
        ("d", 1, "late by 1 minute"),
    ]
    assert at_risk_dict(schedule.at_risk[0]) == {
        "taskId": "c",
        "title": "C",
        "assignee": "x",
        "deadline": "2025-03-01T10:00:00+00:00",
        "plannedFinish": "2025-03-01T10:50:00+00:00",
        "lateByMinutes": 50,
        "isCritical": True,
        "message": "late by 50 minutes",
    }


def test_assignee_with_overlapping_tasks():
    tasks = [
        task("a", 60, assignee="Ana", earliest_start=NOW),
        task("b", 60, assignee="Ana", earliest_start=NOW + minutes(30)),
    ]
    (conflict,) = conflicts(tasks)
    assert conflict_message(conflict) == "Ana is booked on A and B at once for 30min"
    assert conflict_dict(conflict) == {
        "assignee": "Ana",
        "taskIds": ["a", "b"],
        "titles": ["A", "B"],
        "overlapStart": "2025-03-01T09:30:00+00:00",
        "overlapEnd": "2025-03-01T10:00:00+00:00",
        "overlapMinutes": 30,
        "message": "Ana is booked on A and B at once for 30min",
    }


# --- the combined analysis -------------------------------------------------------------------


def test_analyze_events_to_dict_shape():
    tasks = [
        task("a", 30, assignee="x"),
        task("b", 60, ["a"], assignee="x"),
        task("c", 20, ["a"], assignee="x", deadline=NOW + minutes(40)),
        task("d", 10, ["b", "c"]),
    ]
    data = events_report(analyze_events(tasks, start=NOW))
    assert list(data) == [
        "totalDuration",
        "criticalPath",
        "criticalPathTitles",
        "tasks",
        "schedule",
        "atRisk",
        "conflicts",
        "summary",
    ]
    assert data["totalDuration"] == 100
    assert data["criticalPath"] == ["a", "b", "d"]
    assert list(data["tasks"][0]) == [
        "taskId",
        "title",
        "durationMinutes",
        "earliestStart",
        "earliestFinish",
        "latestStart",
        "latestFinish",
        "slack",
        "isCritical",
    ]
    assert list(data["schedule"]) == ["start", "finish", "makespanMinutes", "tasks"]
    # c is due at 40 and can finish at 50 at best: its deadline leaves it less slack than b
    assert data["schedule"]["makespanMinutes"] == 120
    assert [(t["taskId"], t["startMinute"]) for t in data["schedule"]["tasks"]] == [
        ("a", 0),
        ("c", 30),
        ("b", 50),
        ("d", 110),
    ]
    assert [(r["taskId"], r["lateByMinutes"]) for r in data["atRisk"]] == [("c", 10)]
    assert data["summary"] == (
        "4 tasks; the remaining work takes at least 1h 40min, the plan 2h; "
        "critical path: A → B → D; 1 task will miss its deadline; 0 double-bookings."
    )
