import random
from itertools import pairwise

import pytest

from logistics.analysis.events_analyzer import analyze_events
from logistics.tests.analysis.factories import NOW, minutes, task


def test_the_analysis_gives_each_task_its_facts():
    tasks = [
        task("a", 30, assignee="x"),
        task("b", 60, ["a"], assignee="x"),
        task("c", 20, ["a"], assignee="x", deadline=NOW + minutes(40)),
        task("d", 10, ["b", "c"]),
    ]
    analysis = analyze_events(tasks, start=NOW)
    cpm, schedule = analysis.critical_path, analysis.schedule
    assert (cpm.total_duration, cpm.critical_path) == (100, ("a", "b", "d"))
    # c is due at 40 and can finish at 50 at best: its deadline leaves it less slack than b
    assert schedule.makespan_minutes == 120
    assert [(t.id, t.start_minute) for t in schedule.tasks] == [
        ("a", 0),
        ("c", 30),
        ("b", 50),
        ("d", 110),
    ]
    assert [(r.task_id, r.late_by_minutes) for r in schedule.at_risk] == [("c", 10)]
    # slack, critical-path membership, assignee, deadline and dependencies, per task
    c = analysis.planned("c")
    assert (c.slack, c.is_critical, c.assignee, c.deadline, c.depends_on) == (
        40,
        False,
        "x",
        NOW + minutes(40),
        ("a",),
    )
    d = analysis.planned("d")
    assert (d.slack, d.is_critical, d.assignee, d.depends_on) == (0, True, None, ("b", "c"))
    with pytest.raises(KeyError):
        analysis.planned("ghost")
    assert [t.id for t in tasks if analysis.on_critical_path(t.id)] == ["a", "b", "d"]


def test_a_task_with_no_slack_off_the_reported_chain_is_critical_but_not_on_the_path():
    analysis = analyze_events([task("a", 30), task("b", 30)], start=NOW)
    assert analysis.critical_path.critical_path == ("a",)
    assert analysis.planned("b").is_critical
    assert (analysis.on_critical_path("a"), analysis.on_critical_path("b")) == (True, False)


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


def test_dependency_chains_and_dependents():
    tasks = [
        task("load", 60, title="Load-in"),
        task("light", 30, ["load"]),
        task("hero", 120, ["light"]),
        task("steam", 45),
    ]
    analysis = analyze_events(tasks, start=NOW)
    assert analysis.dependency_chain("hero", "load") == ("load", "light", "hero")
    assert analysis.dependency_chain("light", "load") == ("load", "light")
    assert analysis.dependency_chain("load", "hero") is None
    assert analysis.dependency_chain("steam", "load") is None
    assert [t.id for t in analysis.dependents("load")] == ["light"]
    assert analysis.dependents("hero") == []


def test_slack_says_how_much_room_the_plan_leaves():
    tasks = [
        task("a", 60, assignee="x", deadline=NOW + minutes(100)),
        task("b", 30, ["a"], deadline=NOW + minutes(120)),
        task("c", 20, ["a"]),
        task("done", 20, status="done"),
    ]
    slack = analyze_events(tasks, start=NOW).slack()
    assert slack.critical_ids == ("a", "b")
    assert (slack.tightest_id, slack.tightest_slack) == ("c", 10)
    # b finishes at 90 for a 120 deadline, a at 60 for 100: b's 30 minutes is the margin
    assert (slack.margin_id, slack.margin_minutes) == ("b", 30)
    assert slack.at_risk_ids == ()
    assert slack.tight  # 30 minutes to spare is under TIGHT_MARGIN_MINUTES

    roomy = analyze_events(
        [task("a", 60, deadline=NOW + minutes(300)), task("b", 30)], start=NOW
    ).slack()
    assert (roomy.margin_id, roomy.margin_minutes, roomy.tight) == ("a", 240, False)

    late = analyze_events([task("a", 60, deadline=NOW + minutes(30))], start=NOW).slack()
    assert (late.at_risk_ids, late.margin_id, late.tight) == (("a",), None, True)

    free = analyze_events([task("a", 60), task("b", 10)], start=NOW).slack()
    assert (free.margin_id, free.tight, free.critical_ids) == (None, False, ("a",))
