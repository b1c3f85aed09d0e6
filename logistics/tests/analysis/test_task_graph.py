import pytest

from logistics.analysis.critical_path import critical_path
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.schedule import plan_schedule
from logistics.analysis.task_graph import (
    CycleError,
    DuplicateTaskError,
    UnknownDependencyError,
    task_graph,
    topological_order,
)
from logistics.tests.analysis.factories import NOW, task


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
    assert error.code == "DEPENDENCY_CYCLE"
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
    assert error.code == "UNKNOWN_DEPENDENCY"


def test_duplicate_task_ids_are_refused():
    with pytest.raises(DuplicateTaskError) as caught:
        critical_path([task("a"), task("b"), task("a")])
    assert caught.value.ids == ["a"]
    assert caught.value.code == "DUPLICATE_TASK"


def test_negative_duration_is_refused_at_the_input():
    with pytest.raises(ValueError, match="duration_minutes must not be negative"):
        task("a", -5)
