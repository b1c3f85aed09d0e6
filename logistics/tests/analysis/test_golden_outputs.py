"""Golden outputs of the analyzers (issue 11, item 7): whole answers, fact for fact, for
scenarios that reach every branch (delayed hero and priority samples, late tasks on and off
the critical path, double bookings, blocked and ready tasks, hero and channel gaps, rights
expired, expiring and ending before the shoot, unknown channels, videos, invalid task
graphs). Mutation testing showed the per-rule tests leave many figures, subjects, orders and
magnitudes free to change unnoticed; these pin them.

The expected answers are in data/golden.json, written by this module from the analyzers and
then read through by hand when they change: `GOLDEN_UPDATE=1 pytest <this file>` rewrites
them, and the diff is the review. Every dataclass is written with its fields and its
properties (fields starting with `_`, lookups rebuilt from the others, are left out).
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from logistics.analysis import recommendations as recommendations_module
from logistics.analysis.batching import CATEGORY_TIMINGS, BatchingPlan, category_timing
from logistics.analysis.categories import CATEGORY_ALIASES
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.inputs import ImageMetrics, SampleInput, TaskInput
from logistics.analysis.logistics_analyzer import analyze_logistics
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.media_channels import (
    CHANNELS,
    UnknownChannelError,
    channel_key,
    unsuitable_fit,
)
from logistics.analysis.media_scores import AssetScore
from logistics.analysis.readiness import Readiness
from logistics.analysis.recommendations import CODES, recommend
from logistics.analysis.task_graph import ScheduleError

from .factories import NOW, asset, minutes, sample, task

GOLDEN = Path(__file__).parent / "data" / "golden.json"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
SHOOT_SOON = (NOW + timedelta(days=1)).date()
SHOOT_LATER = (NOW + timedelta(days=20)).date()
SHOOT_PAST = (NOW - timedelta(days=3)).date()


def busy_samples():
    return [
        sample("h1", "delayed", name="Silk gown", is_hero=True, priority=1, courier="DHL",
               tracking_number="JD01", eta=NOW + timedelta(days=2), category="Dresses"),
        sample("h2", "delayed", name="Lace gown", is_hero=True, priority=2,
               eta=NOW - minutes(90), category="Dresses"),
        sample("p2", "delayed", name="Wool coat", priority=2, courier="UPS", category="Outerwear"),
        sample("p1", "delayed", name="Cape", priority=1, category="Outerwear",
               eta=NOW + minutes(30)),
        sample("d3", "delayed", name="Scarf", priority=4, category="Accessories"),
        sample("r1", "requested", name="Linen shirt", designer="Atelier Nord", category="Tops"),
        sample("r2", "requested", name="Belt", designer="", category="Accessories"),
        sample("t1", "in_transit", name="Boots", courier="FedEx", tracking_number="FX9",
               category="Shoes"),
        sample("t2", "in_transit", name="Sandals", tracking_number="ZZ1", category="Shoes"),
        sample("a1", "arrived", name="Blazer", is_hero=True, category="Outerwear"),
        sample("a2", "arrived", name="Trousers", category=None),
        sample("x1", "returned", name="Hat", category="Accessories"),
        # Ready samples arriving with the categories interleaved: batching saves set-ups.
        sample("o1", "on_set", name="Skirt", is_hero=True, category="Dresses",
               arrived_at=NOW - minutes(600)),
        sample("o3", "on_set", name="Parka", category="Outerwear", arrived_at=NOW - minutes(500)),
        sample("o2", "on_set", name="Dress B", category="Dresses", arrived_at=NOW - minutes(400)),
        sample("s1", "shot", name="Tee", category="Tops", arrived_at=NOW - minutes(300),
               priority=2),
        sample("o4", "on_set", name="Trench", category="Outerwear",
               arrived_at=NOW - minutes(200)),
        sample("s2", "shot", name="Tank", category="tops ", arrived_at=NOW - minutes(100)),
        sample("s3", "on_set", name="Clutch", category="Bags"),
        sample("s4", "on_set", name="Necklace", category="Jewelry", priority=1,
               arrived_at=NOW - minutes(50)),
    ]  # fmt: skip


def busy_tasks():
    return [
        task("setup", 60, title="Set up lights", assignee="ana", status="todo"),
        task("hair", 45, ["setup"], title="Hair and make-up", assignee="ben",
             deadline=NOW + minutes(60)),
        task("shoot", 120, ["hair"], title="Shoot look 1", assignee="ana",
             deadline=NOW + minutes(200)),
        task("side", 30, title="Steam garments", assignee="ana", status="blocked"),
        task("pack", 20, ["side"], title="Pack returns", assignee="cy", status="blocked",
             deadline=NOW + minutes(10)),
        task("done1", 15, title="Call agency", status="done"),
        task("wrap", 30, ["done1"], title="Wrap report", status="blocked"),
        task("prog", 40, title="Edit selects", status="in_progress", assignee="ben",
             earliest_start=NOW + minutes(30)),
        task("clash", 40, title="Client call", assignee="ben",
             earliest_start=NOW + minutes(60), deadline=NOW + minutes(70)),
        task("late2", 25, ["shoot"], title="Retouch", deadline=NOW + timedelta(seconds=90)),
    ]  # fmt: skip


def busy_assets():
    sharp = ImageMetrics(sharpness=0.9, exposure=0.8)
    soft = ImageMetrics(sharpness=0.2, exposure=0.3)
    return [
        asset("feed", title="Gown feed", channels=["instagram_feed", "web"], features=["o1"],
              pixels=sharp),
        asset("story", title="Gown story", width=1080, height=1920,
              channels=["instagram_story", "tiktok"], features=["o1", "h1"],
              rights_expire_at=NOW + timedelta(days=3)),
        asset("wide", title="Banner", width=3840, height=2160, channels=["web_hero", "print"],
              status="in_review", pixels=soft),
        asset("old", title="Archive", channels=["instagram_feed"], features=["a1"],
              rights_expire_at=NOW - timedelta(days=1)),
        asset("clip", title="Clip", kind="video", width=1920, height=1080,
              duration_seconds=30.0, channels=["youtube", "ecommerce", "myspace"],
              pixels=sharp),
        asset("draft", title="Draft", status="draft", width=None, height=None,
              channels=["pinterest"], features=["zz"]),
        asset("tiny", title="Tiny", width=300, height=300, channels=["instagram_feed"],
              status="rejected", rights_expire_at=NOW + timedelta(days=12)),
        asset("square", title="Square", width=2000, height=2000,
              channels=["instagram_feed", "ecommerce", "IG"], features=["s1"],
              rights_expire_at=NOW + timedelta(days=40)),
        asset("lace", title="Lace look", status="in_review", width=1000, height=1500,
              channels=["pinterest"], features=["h2"],
              rights_expire_at=NOW + timedelta(days=21, hours=2)),
        asset("none", title="No target", width=1240, height=1754, channels=[],
              status="approved"),
    ]  # fmt: skip


def plain(value):
    """A JSON-ready copy of an analyzer's answer: dataclasses as their fields and
    properties, errors as their type, code and attributes, dates in ISO form."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
        for name in dir(type(value)):
            if not name.startswith("_") and isinstance(getattr(type(value), name), property):
                data[name] = plain(getattr(value, name))
        return data
    if isinstance(value, BaseException):
        data = {"type": type(value).__name__, "code": getattr(value, "code", None)}
        data["args"] = plain(list(value.args))
        data.update({k: plain(v) for k, v in vars(value).items() if not k.startswith("_")})
        return data
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(plain(item) for item in value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _fact(value):
    """A recommendation's fact, the inputs and whole analyses it carries named by their id or
    headline figures (they are pinned whole in their own scenarios)."""
    if isinstance(value, SampleInput | TaskInput):
        return value.id
    if isinstance(value, AssetScore):
        return f"asset:{value.asset_id}"
    if isinstance(value, Readiness):
        return {"readiness": [value.overall_percentage, value.status]}
    if isinstance(value, BatchingPlan):
        return {"batching": [value.total_minutes, value.minutes_saved]}
    if isinstance(value, list | tuple):
        return [_fact(item) for item in value]
    return plain(value)


def _recommendations(**kwargs) -> list[dict]:
    found = []
    for item in recommend(now=NOW, **kwargs):
        data = plain(dataclasses.replace(item, facts={}))
        data["facts"] = {name: _fact(value) for name, value in item.facts.items()}
        found.append(data)
    return found


def _schedule_error(tasks) -> dict:
    try:
        analyze_events(tasks, start=NOW)
    except ScheduleError as error:
        return plain(error)
    raise AssertionError("the task graph was accepted")


def scenarios() -> dict:
    samples, tasks, assets = busy_samples(), busy_tasks(), busy_assets()
    cycle = [task("a", 10, ["c"]), task("b", 10, ["a"]), task("c", 10, ["b"]), task("d", 5)]
    unknown = [task("a", 10, ["ghost", "phantom"]), task("b", 10, ["a", "spook"])]
    duplicate = [task("a", 10), task("a", 20), task("b", 5, ["a"]), task("b", 1)]
    return {
        "recommend_busy_shoot_soon": _recommendations(
            samples=samples, tasks=tasks, assets=assets, shoot_date=SHOOT_SOON
        ),
        "recommend_busy_shoot_later": _recommendations(
            samples=samples, tasks=tasks, assets=assets, shoot_date=SHOOT_LATER
        ),
        "recommend_busy_after_shoot": _recommendations(
            samples=samples, tasks=tasks, assets=assets, shoot_date=SHOOT_PAST
        ),
        "recommend_busy_no_shoot_date": _recommendations(
            samples=samples, tasks=tasks, assets=assets, shoot_date=None
        ),
        "recommend_empty": _recommendations(samples=[], tasks=[], assets=[], shoot_date=None),
        "recommend_cycle": _recommendations(samples=[], tasks=cycle, assets=[], shoot_date=None),
        "recommend_unknown_dependency": _recommendations(
            samples=[], tasks=unknown, assets=[], shoot_date=None
        ),
        "recommend_duplicate_task": _recommendations(
            samples=[], tasks=duplicate, assets=[], shoot_date=None
        ),
        "recommend_blocked_on_the_critical_path": _recommendations(
            samples=[],
            tasks=[
                task("prep", 10, status="done"),
                task("main", 120, ["prep"], title="Main shoot", status="blocked"),
                task("aside", 15, title="Aside", status="blocked"),
                task("after", 15, ["main"], title="After"),
            ],
            assets=[],
            shoot_date=None,
        ),
        "recommend_all_ready": _recommendations(
            samples=[sample(f"r{n}", "on_set", category="Tops") for n in range(3)],
            tasks=[task("only", 10, status="done")],
            assets=[asset("ok", features=["r0"])],
            shoot_date=SHOOT_LATER,
        ),
        "events_busy": plain(analyze_events(tasks, start=NOW)),
        "events_errors": {
            "cycle": _schedule_error(cycle),
            "unknown": _schedule_error(unknown),
            "duplicate": _schedule_error(duplicate),
        },
        "media_busy": plain(score_assets(assets, samples=samples, shoot_date=SHOOT_LATER, now=NOW)),
        "media_busy_shoot_soon": plain(
            score_assets(assets, samples=samples, shoot_date=SHOOT_SOON, now=NOW)
        ),
        "media_busy_no_shoot_date": plain(
            score_assets(assets, samples=samples, shoot_date=None, now=NOW)
        ),
        "logistics_all": plain(analyze_logistics(samples, "all", now=NOW)),
        "logistics_batching_overrides": plain(
            analyze_logistics(
                samples,
                "batching",
                now=NOW,
                minutes_per_item={"dresses": 5, "Jewellery": 0},
                setup_minutes={"coats": 50},
            )
        ),
        "category_timing": {
            str(key): category_timing(key)
            for key in [*sorted(CATEGORY_TIMINGS), *sorted(CATEGORY_ALIASES), "Unknown", None]
        },
        "unsuitable_fit": {
            f"{spec.key}/{kind}": plain(unsuitable_fit(spec, kind, 640, 480))
            for spec in CHANNELS.values()
            for kind in ("image", "video")
        },
        "channel_keys": {
            name: channel_key(name)
            for name in ("IG", "Stories", " web ", "myspace", "TikTok", "tik-tok", "Product Page")
        },
        "unknown_channel_error": plain(UnknownChannelError("myspace")),
    }


def test_every_answer_is_as_recorded():
    actual = json.loads(json.dumps(scenarios(), sort_keys=True))
    if UPDATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], name


def test_the_scenarios_reach_every_recommendation_code():
    """The golden answers cover every kind of action (else a branch is unpinned)."""
    recorded = json.loads(GOLDEN.read_text())
    seen = {
        item["code"]
        for name, items in recorded.items()
        if name.startswith("recommend_")
        for item in items
    }
    # invalid_schedule is the fallback for refusals the optimizer does not make yet: see
    # test_any_other_refusal_of_the_task_graph_becomes_one_critical_action.
    assert seen == set(CODES) - {"invalid_schedule"}, set(CODES) - seen


def test_any_other_refusal_of_the_task_graph_becomes_one_critical_action(monkeypatch):
    refusal = ScheduleError("no plan")

    def refuse(tasks, *, start):
        raise refusal

    monkeypatch.setattr(recommendations_module, "analyze_events", refuse)
    found = recommend(samples=[], tasks=[task("x", 5)], assets=[], now=NOW, shoot_date=None)
    events = [item for item in found if item.kit == "events"]
    assert [(r.severity, r.code, r.subject, r.magnitude) for r in events] == [
        ("critical", "invalid_schedule", None, 0)
    ]
    assert events[0].facts == {"error": refusal}


@pytest.mark.parametrize("when", [SHOOT_SOON, SHOOT_LATER, SHOOT_PAST, None])
def test_recommendations_do_not_depend_on_input_order(when):
    def key(found):
        return [(r.kit, r.severity, r.code, r.subject, r.magnitude) for r in found]

    forwards = recommend(
        samples=busy_samples(), tasks=busy_tasks(), assets=busy_assets(), now=NOW, shoot_date=when
    )
    backwards = recommend(
        samples=busy_samples()[::-1],
        tasks=busy_tasks()[::-1],
        assets=busy_assets()[::-1],
        now=NOW,
        shoot_date=when,
    )
    assert sorted(key(forwards)) == sorted(key(backwards))
