"""Golden outputs of the analyzers (issue 11, item 7): whole answers, field for field, for
scenarios that reach every branch (delayed hero and priority samples, late tasks on and off
the critical path, double bookings, blocked and ready tasks, hero and channel gaps, rights
expired, expiring and ending before the shoot, unknown channels, videos, invalid task
graphs). Mutation testing showed the per-rule tests leave the wording, targets and
magnitudes of many answers free to change unnoticed; these pin them.

The expected answers are in data/golden.json, written by this module from the analyzers and
then read through by hand when they change: `GOLDEN_UPDATE=1 pytest <this file>` rewrites
them, and the diff is the review.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from logistics.analysis.batching import CATEGORY_ALIASES, CATEGORY_TIMINGS, category_timing
from logistics.analysis.channels import CHANNELS, UnknownChannelError, channel_key, unsuitable_fit
from logistics.analysis.inputs import ImageMetrics
from logistics.analysis.logistics import analyze_logistics
from logistics.analysis.media import score_assets
from logistics.analysis.recommendations import recommend
from logistics.analysis.schedule import ScheduleError, analyze_events

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
        sample("p2", "delayed", name="Wool coat", priority=2, courier="UPS", category="Outerwear"),
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
        sample("s1", "shot", name="Tee", category="Tops", arrived_at=NOW - minutes(300)),
        sample("o4", "on_set", name="Trench", category="Outerwear",
               arrived_at=NOW - minutes(200)),
        sample("s2", "shot", name="Tank", category="tops ", arrived_at=NOW - minutes(100)),
        sample("s3", "on_set", name="Clutch", category="Bags"),
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
              duration_seconds=30.0, channels=["youtube", "ecommerce", "myspace"]),
        asset("draft", title="Draft", status="draft", width=None, height=None,
              channels=["pinterest"], features=["zz"]),
        asset("tiny", title="Tiny", width=300, height=300, channels=["instagram_feed"],
              status="rejected", rights_expire_at=NOW + timedelta(days=12)),
        asset("square", title="Square", width=2000, height=2000,
              channels=["instagram_feed", "ecommerce"], features=["s1"],
              rights_expire_at=NOW + timedelta(days=40)),
    ]  # fmt: skip


def _plain(value):
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def _recommendations(**kwargs) -> list[dict]:
    return [item.to_dict() for item in recommend(now=NOW, **kwargs)]


def _schedule_error(tasks) -> dict:
    try:
        analyze_events(tasks, start=NOW)
    except ScheduleError as error:
        return {"type": type(error).__name__, "code": error.code, "message": error.message,
                "details": error.details}  # fmt: skip
    raise AssertionError("the task graph was accepted")


def scenarios() -> dict:
    samples, tasks, assets = busy_samples(), busy_tasks(), busy_assets()
    cycle = [task("a", 10, ["c"]), task("b", 10, ["a"]), task("c", 10, ["b"]), task("d", 5)]
    unknown = [task("a", 10, ["ghost", "phantom"]), task("b", 10, ["a"])]
    duplicate = [task("a", 10), task("a", 20), task("b", 5, ["a"])]
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
        "recommend_busy_no_shoot_date_limit_5": _recommendations(
            samples=samples, tasks=tasks, assets=assets, shoot_date=None, limit=5
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
        "events_busy": analyze_events(tasks, start=NOW).to_dict(),
        "events_errors": {
            "cycle": _schedule_error(cycle),
            "unknown": _schedule_error(unknown),
            "duplicate": _schedule_error(duplicate),
        },
        "media_busy": score_assets(
            assets, samples=samples, shoot_date=SHOOT_LATER, now=NOW
        ).to_dict(),
        "media_busy_shoot_soon": score_assets(
            assets, samples=samples, shoot_date=SHOOT_SOON, now=NOW
        ).to_dict(),
        "logistics_all": analyze_logistics(samples, "all", now=NOW),
        "logistics_batching_overrides": analyze_logistics(
            samples,
            "batching",
            now=NOW,
            minutes_per_item={"dresses": 5},
            setup_minutes={"outerwear": 50},
        ),
        "category_timing": {
            str(key): category_timing(key)
            for key in [*sorted(CATEGORY_TIMINGS), *sorted(CATEGORY_ALIASES), "Unknown", None]
        },
        "unsuitable_fit": {
            f"{spec.key}/{kind}": unsuitable_fit(spec, kind).to_dict()
            for spec in CHANNELS.values()
            for kind in ("image", "video")
        },
        "channel_keys": {
            name: channel_key(name) for name in ("IG", "Stories", " web ", "myspace", "TikTok")
        },
        "unknown_channel_error": _unknown_channel(),
    }


def _unknown_channel() -> dict:
    error = UnknownChannelError("myspace")
    return {"message": str(error), "code": getattr(error, "code", None),
            "args": list(error.args)}  # fmt: skip


def test_every_answer_is_as_recorded():
    actual = _plain(scenarios())
    if UPDATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], name


def test_the_scenarios_reach_every_recommendation_code():
    """The golden answers cover every kind of action (else a branch is unpinned)."""
    from logistics.analysis.recommendations import CODES

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
    from logistics.analysis import recommendations

    def refuse(tasks, *, start):
        raise ScheduleError("The schedule cannot be planned.", {"tasks": ["x"]})

    monkeypatch.setattr(recommendations, "analyze_events", refuse)
    found = _recommendations(samples=[], tasks=[task("x", 5)], assets=[], shoot_date=None)
    events = [item for item in found if item["kit"] == "events"]
    assert events == [
        {
            "kit": "events",
            "severity": "critical",
            "title": "Fix the task schedule",
            "reason": "The schedule cannot be planned.",
            "target": "event-schedule",
            "code": "invalid_schedule",
        }
    ]


@pytest.mark.parametrize("when", [SHOOT_SOON, SHOOT_LATER, SHOOT_PAST, None])
def test_recommendations_do_not_depend_on_input_order(when):
    forwards = _recommendations(
        samples=busy_samples(), tasks=busy_tasks(), assets=busy_assets(), shoot_date=when
    )
    backwards = _recommendations(
        samples=busy_samples()[::-1],
        tasks=busy_tasks()[::-1],
        assets=busy_assets()[::-1],
        shoot_date=when,
    )
    assert forwards == backwards
    assert isinstance(date.today(), date)
