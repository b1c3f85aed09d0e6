from datetime import timedelta

from logistics.analysis.schedule import plan_schedule
from logistics.tests.analysis.factories import NOW, minutes, task


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
    assert [(r.task_id, r.late_by_minutes) for r in schedule.at_risk] == [("c", 50), ("d", 1)]
    assert schedule.at_risk[0].is_critical
    by_id = {t.id: t for t in schedule.tasks}
    assert (by_id["c"].late_by_minutes, by_id["e"].late_by_minutes) == (50, 0)
    late = schedule.at_risk[0]
    assert (late.title, late.assignee, late.deadline, late.planned_finish) == (
        "C",
        "x",
        NOW + minutes(60),
        NOW + minutes(110),
    )


def test_deadline_miss_by_seconds_counts_a_whole_minute():
    schedule = plan_schedule(
        [task("a", 10, deadline=NOW + timedelta(minutes=9, seconds=30))], start=NOW
    )
    assert schedule.at_risk[0].late_by_minutes == 1


def test_a_deadline_part_way_through_a_minute_leaves_only_the_whole_minutes_as_slack():
    # a is due 10.5 minutes in and takes 10: its deadline leaves it 0 whole minutes of slack,
    # as little as c's (due at 5, takes 5), and its earlier latest start (10, not 15) wins.
    tasks = [
        task("long", 20),
        task("a", 10, assignee="x", deadline=NOW + timedelta(minutes=10, seconds=30)),
        task("c", 5, assignee="x", deadline=NOW + minutes(5)),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert {t.id: t.start_minute for t in schedule.tasks} == {"long": 0, "a": 0, "c": 10}
    assert [(r.task_id, r.late_by_minutes) for r in schedule.at_risk] == [("c", 10)]


def test_an_assignee_freed_in_a_minute_takes_the_best_task_released_in_that_minute():
    # At minute 10 x finishes p while u's end releases the critical r: x must pick r, not
    # the slack-rich q queued since minute 0.
    tasks = [
        task("p", 10, assignee="x"),
        task("q", 5, assignee="x"),
        task("u", 10),
        task("r", 30, ["u"], assignee="x"),
    ]
    schedule = plan_schedule(tasks, start=NOW)
    assert {t.id: t.start_minute for t in schedule.tasks} == {"p": 0, "u": 0, "r": 10, "q": 40}
