import random
import sys
from datetime import timedelta
from itertools import pairwise

import pytest

from logistics.analysis.schedule import (
    analyze_events,
    conflicts,
    critical_path,
    plan_schedule,
)
from logistics.analysis.task_graph import (
    CYCLE_MESSAGE,
    CycleError,
    DuplicateTaskError,
    UnknownDependencyError,
    task_graph,
    topological_order,
)
from logistics.tests.analysis.factories import NOW, minutes, task


def timings(result):
    return {
        t.id: (t.earliest_start, t.earliest_finish, t.latest_start, t.latest_finish, t.slack)
        for t in result.tasks
    }


# --- critical path ------------------------------------------------------------------------


def test_no_tasks():
    result = critical_path([])
    assert (result.tasks, result.critical_path, result.total_duration) == ((), (), 0)
    plan = plan_schedule([], start=NOW)
    assert (plan.tasks, plan.makespan_minutes, plan.finish) == ((), 0, NOW)
    assert analyze_events([], start=NOW).summary == "There are no tasks to schedule."


def test_tasks_with_no_dependencies():
    result = critical_path([task("a", 30), task("b", 50), task("c", 10)])
    assert result.total_duration == 50
    assert result.critical_path == ("b",)
    assert timings(result) == {
        "a": (0, 30, 20, 50, 20),
        "b": (0, 50, 0, 50, 0),
        "c": (0, 10, 40, 50, 40),
    }


def test_diamond():
    tasks = [
        task("a", 10),
        task("b", 20, ["a"]),
        task("c", 30, ["a"]),
        task("d", 5, ["b", "c"]),
    ]
    result = critical_path(tasks)
    assert result.total_duration == 45
    assert result.critical_path == ("a", "c", "d")
    assert result.critical_path_titles == ("A", "C", "D")
    assert timings(result) == {
        "a": (0, 10, 0, 10, 0),
        "b": (10, 30, 20, 40, 10),
        "c": (10, 40, 10, 40, 0),
        "d": (40, 45, 40, 45, 0),
    }
    assert [t.is_critical for t in result.tasks] == [True, False, True, True]


def test_ties_break_by_input_order():
    tasks = [
        task("a", 10),
        task("c", 20, ["a"]),
        task("b", 20, ["a"]),
        task("d", 5, ["b", "c"]),
    ]
    assert critical_path(tasks).critical_path == ("a", "c", "d")
    assert critical_path([task("y", 5), task("x", 5)]).critical_path == ("y",)


def test_done_tasks_take_no_time_and_are_not_on_the_critical_path():
    tasks = [task("a", 60, status="done"), task("b", 20, ["a"]), task("c", 10, ["b"])]
    result = critical_path(tasks)
    assert result.total_duration == 30
    assert result.critical_path == ("b", "c")
    assert timings(result)["a"] == (0, 0, 0, 0, 0)
    assert not result.timing("a").is_critical


def test_repeated_dependency_counts_once():
    result = critical_path([task("a", 10), task("b", 10, ["a", "a"])])
    assert result.total_duration == 20


def test_long_chain_has_no_recursion_limit():
    n = 2_000
    assert n > sys.getrecursionlimit() / 2
    tasks = [task("t0", 3)] + [task(f"t{i}", 3, [f"t{i - 1}"]) for i in range(1, n)]
    tasks.reverse()  # dependencies first in the input would hide an ordering bug
    result = critical_path(tasks)
    assert result.total_duration == 3 * n
    assert result.critical_path == tuple(f"t{i}" for i in range(n))
    assert result.timing("t1999").earliest_start == 3 * 1999
    plan = plan_schedule(tasks, start=NOW)
    assert plan.makespan_minutes == 3 * n
    assert plan.finish == NOW + minutes(3 * n)


def test_topological_order_puts_dependencies_first():
    graph = task_graph([task("c", 1, ["b"]), task("a", 1), task("b", 1, ["a"])])
    assert [graph.tasks[i].id for i in topological_order(graph)] == ["a", "b", "c"]
    assert graph.durations == [1, 1, 1]


def test_cycle_is_named_in_dependency_order():
    tasks = [task("a", 10, ["c"]), task("b", 10, ["a"]), task("c", 10, ["b"])]
    with pytest.raises(CycleError) as caught:
        critical_path(tasks)
    error = caught.value
    assert error.cycle == ["a", "b", "c", "a"]
    assert error.titles == ["A", "B", "C", "A"]
    assert str(error) == "Task dependencies form a cycle: A → B → C → A."
    assert str(error) == CYCLE_MESSAGE.format(path="A → B → C → A")
    assert error.code == "DEPENDENCY_CYCLE"
    assert error.details == {"cycle": ["a", "b", "c", "a"], "titles": ["A", "B", "C", "A"]}
    assert isinstance(error, ValueError)


def test_two_task_cycle_behind_other_tasks():
    tasks = [
        task("x", 10, ["b"]),  # waits on the cycle but is not part of it
        task("ok", 10),
        task("a", 10, ["ok", "b"]),
        task("b", 10, ["a"]),
    ]
    with pytest.raises(CycleError) as caught:
        plan_schedule(tasks, start=NOW)
    assert caught.value.cycle == ["a", "b", "a"]


def test_self_dependency_is_a_cycle():
    with pytest.raises(CycleError) as caught:
        analyze_events([task("a", 10, ["a"])], start=NOW)
    assert caught.value.cycle == ["a", "a"]


def test_unknown_dependency_is_refused():
    with pytest.raises(UnknownDependencyError) as caught:
        critical_path([task("a", 10), task("b", 10, ["a", "ghost"]), task("c", 5, ["gone"])])
    error = caught.value
    assert error.missing == {"b": ["ghost"], "c": ["gone"]}
    assert str(error) == "Unknown dependencies: b → ghost; c → gone (no task has these ids)."
    assert error.code == "UNKNOWN_DEPENDENCY"


def test_duplicate_task_ids_are_refused():
    with pytest.raises(DuplicateTaskError) as caught:
        critical_path([task("a"), task("b"), task("a")])
    assert caught.value.ids == ["a"]
    assert caught.value.code == "DUPLICATE_TASK"


def test_negative_duration_is_refused_at_the_input():
    with pytest.raises(ValueError, match="duration_minutes must not be negative"):
        task("a", -5)


# --- plan ---------------------------------------------------------------------------------


def planned(schedule):
    return {t.id: (t.start_minute, t.finish_minute) for t in schedule.tasks}


def test_plan_follows_dependencies_and_runs_unassigned_work_in_parallel():
    tasks = [task("a", 10), task("b", 20, ["a"]), task("c", 30, ["a"]), task("d", 5, ["b", "c"])]
    schedule = plan_schedule(tasks, start=NOW)
    assert planned(schedule) == {"a": (0, 10), "b": (10, 30), "c": (10, 40), "d": (40, 45)}
    assert schedule.tasks[1].planned_start == NOW + minutes(10)
    assert [t.id for t in schedule.tasks] == ["a", "b", "c", "d"]


def test_one_task_at_a_time_per_assignee_least_slack_first():
    tasks = [
        task("short", 10, assignee="Ana"),  # slack 40
        task("long", 50, assignee="Ana"),  # slack 0: goes first
        task("free", 50),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert planned(schedule) == {"long": (0, 50), "short": (50, 60), "free": (0, 50)}
    assert schedule.makespan_minutes == 60


def test_a_deadline_can_take_slack_away():
    tasks = [
        task("big", 60, assignee="Ana"),  # slack 40
        task("due", 20, assignee="Ana", deadline=NOW + minutes(20)),  # slack 80, but due at 20
        task("other", 100),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert planned(schedule) == {"due": (0, 20), "big": (20, 80), "other": (0, 100)}
    assert schedule.at_risk == ()


def test_earliest_start_is_respected_and_rounded_up_to_the_minute():
    tasks = [
        task("a", 10, earliest_start=NOW + minutes(30)),
        task("b", 10, earliest_start=NOW + timedelta(minutes=5, seconds=1)),
        task("c", 10, earliest_start=NOW - minutes(60)),
    ]
    assert planned(plan_schedule(tasks, start=NOW)) == {"a": (30, 40), "b": (6, 16), "c": (0, 10)}


def test_assignee_waits_for_the_task_whose_dependencies_finish():
    tasks = [
        task("prep", 30),
        task("shoot", 60, ["prep"], assignee="Bo"),
        task("edit", 15, assignee="Bo", earliest_start=NOW + minutes(40)),
    ]
    # At minute 30 only "shoot" is ready for Bo; "edit" must wait until Bo is free at 90.
    assert planned(plan_schedule(tasks, start=NOW)) == {
        "prep": (0, 30),
        "shoot": (30, 90),
        "edit": (90, 105),
    }


def test_done_tasks_take_no_time_in_the_plan_and_are_never_at_risk():
    tasks = [
        task("a", 60, status="done", assignee="Ana", deadline=NOW - minutes(600)),
        task("b", 20, ["a"], assignee="Ana"),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert planned(schedule) == {"a": (0, 0), "b": (0, 20)}
    assert schedule.at_risk == ()


def test_deadline_miss_with_the_minutes():
    tasks = [
        task("a", 30, assignee="x"),
        task("b", 60, ["a"], assignee="x"),
        task("c", 20, ["b"], assignee="x", deadline=NOW + minutes(60)),
        task("d", 10, deadline=NOW + minutes(9)),
        task("e", 10, deadline=NOW + minutes(10)),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert [(r.task_id, r.late_by_minutes, r.message) for r in schedule.at_risk] == [
        ("c", 50, "late by 50 minutes"),
        ("d", 1, "late by 1 minute"),
    ]
    assert schedule.at_risk[0].is_critical
    by_id = {t.id: t for t in schedule.tasks}
    assert (by_id["c"].late_by_minutes, by_id["e"].late_by_minutes) == (50, 0)
    assert schedule.at_risk[0].to_dict() == {
        "taskId": "c",
        "title": "C",
        "assignee": "x",
        "deadline": "2025-03-01T10:00:00+00:00",
        "plannedFinish": "2025-03-01T10:50:00+00:00",
        "lateByMinutes": 50,
        "isCritical": True,
        "message": "late by 50 minutes",
    }


def test_deadline_miss_by_seconds_counts_a_whole_minute():
    schedule = plan_schedule(
        [task("a", 10, deadline=NOW + timedelta(minutes=9, seconds=30))], start=NOW
    )
    assert schedule.at_risk[0].late_by_minutes == 1


# --- conflicts ----------------------------------------------------------------------------


def test_assignee_with_overlapping_tasks():
    tasks = [
        task("a", 60, assignee="Ana", earliest_start=NOW),
        task("b", 60, assignee="Ana", earliest_start=NOW + minutes(30)),
        task("c", 60, assignee="Bo", earliest_start=NOW + minutes(30)),  # other person
        task("d", 60, assignee="Ana", earliest_start=NOW + minutes(90)),  # touches b's end
        task("e", 60, assignee="Ana"),  # no earliest start: not booked
        task("f", 60, earliest_start=NOW),  # unassigned
    ]
    (conflict,) = conflicts(tasks)
    assert conflict.task_ids == ("a", "b")
    assert (conflict.overlap_start, conflict.overlap_end) == (NOW + minutes(30), NOW + minutes(60))
    assert conflict.overlap_minutes == 30
    assert conflict.message == "Ana is booked on A and B at once for 30min"
    schedule = plan_schedule(tasks, start=NOW)
    assert schedule.conflicts == (conflict,)
    # the plan itself never double-books
    ana = sorted(planned(schedule)[i] for i in "abde")
    assert all(prev[1] <= nxt[0] for prev, nxt in pairwise(ana))


def test_each_overlapping_task_is_reported_against_the_longest_running_booking():
    tasks = [
        task("long", 120, assignee="Ana", earliest_start=NOW),
        task("b", 10, assignee="Ana", earliest_start=NOW + minutes(10)),
        task("c", 10, assignee="Ana", earliest_start=NOW + minutes(100)),
        task("done", 10, assignee="Ana", earliest_start=NOW, status="done"),
    ]
    assert [(c.task_ids, c.overlap_minutes) for c in conflicts(tasks)] == [
        (("long", "b"), 10),
        (("long", "c"), 10),
    ]


# --- the combined analysis ----------------------------------------------------------------


def test_analyze_events_to_dict_shape():
    tasks = [
        task("a", 30, assignee="x"),
        task("b", 60, ["a"], assignee="x"),
        task("c", 20, ["a"], assignee="x", deadline=NOW + minutes(40)),
        task("d", 10, ["b", "c"]),
    ]
    analysis = analyze_events(tasks, start=NOW)
    data = analysis.to_dict()
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


def random_project(n: int, seed: int):
    rng = random.Random(seed)
    people = [f"person{i}" for i in range(max(1, n // 20))] + [None] * 3
    tasks = []
    for i in range(n):
        deps = {f"t{rng.randrange(i)}" for _ in range(rng.randint(0, 3))} if i else set()
        tasks.append(
            task(
                f"t{i}",
                rng.randint(0, 90),
                sorted(deps),
                assignee=rng.choice(people),
                status=rng.choice(["todo"] * 8 + ["done", "in_progress", "blocked"]),
                earliest_start=NOW + minutes(rng.randint(0, 600)) if rng.random() < 0.2 else None,
                deadline=NOW + minutes(rng.randint(30, 3000)) if rng.random() < 0.3 else None,
            )
        )
    rng.shuffle(tasks)
    return tasks


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plan_invariants_on_random_projects(seed):
    tasks = random_project(300, seed)
    analysis = analyze_events(tasks, start=NOW)
    cpm, schedule = analysis.critical_path, analysis.schedule
    by_id = {t.id: t for t in tasks}
    placed = {p.id: p for p in schedule.tasks}
    assert len(placed) == len(tasks)
    for t in tasks:
        p = placed[t.id]
        timing = cpm.timing(t.id)
        assert 0 <= timing.earliest_start <= timing.latest_start
        assert timing.slack == timing.latest_start - timing.earliest_start >= 0
        assert p.start_minute >= timing.earliest_start  # resources only delay
        for dep in t.depends_on:
            assert p.start_minute >= placed[dep].finish_minute
        if t.status != "done" and t.earliest_start is not None:
            assert p.planned_start >= t.earliest_start
    # the critical path is a chain of zero-slack tasks, each starting as the previous ends,
    # from the start to the end of the project
    path = [cpm.timing(i) for i in cpm.critical_path]
    assert all(t.slack == 0 and by_id[t.id].status != "done" for t in path)
    assert sum(t.duration_minutes for t in path) == cpm.total_duration
    assert path[-1].earliest_finish == cpm.total_duration
    for before, after in pairwise(path):
        assert after.earliest_start == before.earliest_finish
    # nobody does two things at once
    booked: dict[str, list[tuple[int, int]]] = {}
    for p in schedule.tasks:
        if p.assignee and p.status != "done" and p.finish_minute > p.start_minute:
            booked.setdefault(p.assignee, []).append((p.start_minute, p.finish_minute))
    for windows in booked.values():
        windows.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(windows))
    assert all(r.late_by_minutes > 0 for r in schedule.at_risk)


def test_two_thousand_tasks():
    tasks = random_project(2_000, 7)
    analysis = analyze_events(tasks, start=NOW)
    assert len(analysis.schedule.tasks) == 2_000
    assert analysis.critical_path.total_duration > 0
