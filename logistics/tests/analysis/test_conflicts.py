from itertools import pairwise

from logistics.analysis.conflicts import conflicts
from logistics.analysis.schedule import plan_schedule
from logistics.tests.analysis.factories import NOW, minutes, task
from logistics.tests.analysis.test_schedule import planned


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
    assert (conflict.assignee, conflict.titles, conflict.overlap_minutes) == ("Ana", ("A", "B"), 30)
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


def test_a_booking_ending_with_the_running_one_does_not_replace_it():
    # b ends when a does: a stays the booking that runs latest, so c is reported against a.
    found = conflicts(
        [
            task("a", 60, assignee="ana", earliest_start=NOW),
            task("b", 50, assignee="ana", earliest_start=NOW + minutes(10)),
            task("c", 10, assignee="ana", earliest_start=NOW + minutes(30)),
        ]
    )
    assert [(c.task_ids, c.overlap_minutes) for c in found] == [(("a", "b"), 50), (("a", "c"), 10)]
