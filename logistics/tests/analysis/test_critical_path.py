import sys

from logistics.analysis.critical_path import critical_path
from logistics.analysis.schedule import plan_schedule
from logistics.tests.analysis.factories import NOW, minutes, task


def timings(result):
    return {
        t.id: (t.earliest_start, t.earliest_finish, t.latest_start, t.latest_finish, t.slack)
        for t in result.tasks
    }


def test_no_tasks():
    result = critical_path([])
    assert (result.tasks, result.critical_path, result.total_duration) == ((), (), 0)
    plan = plan_schedule([], start=NOW)
    assert (plan.tasks, plan.makespan_minutes, plan.finish) == ((), 0, NOW)


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
