"""The next actions in words: the analysis ranks facts (logistics.analysis.recommendations),
the assistant writes each one's title, reason and frontend target (assistant/recommendations.py)."""

from dataclasses import fields
from datetime import date, timedelta

from assistant.recommendations import recommendations_word
from logistics.analysis.recommendations import CODES, SEVERITIES, Recommendation, recommend
from logistics.tests.analysis.factories import NOW, asset, minutes, sample, task

LATER = date(2025, 3, 20)  # a shoot date far enough away not to raise anything
SOON = date(2025, 3, 2)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def facts(samples=(), tasks=(), assets=(), shoot_date=LATER):
    return recommend(
        samples=list(samples),
        tasks=list(tasks),
        assets=list(assets),
        now=NOW,
        shoot_date=shoot_date,
    )


def run(samples=(), tasks=(), assets=(), shoot_date=LATER, limit=None):
    return recommendations_word(facts(samples, tasks, assets, shoot_date), limit=limit)


def test_the_analysis_gives_codes_and_subjects_and_no_words():
    assert {f.name for f in fields(Recommendation)} == {
        "kit",
        "severity",
        "code",
        "subject",
        "magnitude",
        "facts",
    }
    samples = [sample("s1", "delayed", name="Silk Gown", is_hero=True), sample("r", "requested")]
    found = facts(samples)
    assert [(r.code, r.subject) for r in found] == [
        ("chase_hero_sample", "s1"),
        ("confirm_requested_samples", "requested"),
        ("hero_without_asset", None),
    ]


def codes(recommendations):
    return [r.code for r in recommendations]


def test_nothing_at_all_asks_for_samples():
    (only,) = run()
    assert only.to_dict() == {
        "kit": "logistics",
        "severity": "medium",
        "title": "Add the campaign's samples",
        "reason": "There are no samples yet, so readiness and blockers cannot be tracked.",
        "target": "sample-tracker",
        "code": "add_samples",
    }


def test_all_ready_and_nothing_else_means_no_actions():
    assert run([sample("1", "on_set"), sample("2", "shot", category="Bags")]) == []


def test_chase_a_delayed_hero_sample_with_its_courier_and_tracking():
    samples = [
        sample("ok", "on_set"),
        sample("s1", "delayed", name="Silk Gown", is_hero=True, eta=NOW - minutes(180),
               courier="DHL", tracking_number="1Z999"),
        sample("s2", "delayed", name="Scarf", priority=2),
        sample("s3", "delayed", name="Tote", priority=1, eta=NOW + minutes(90)),
    ]  # fmt: skip
    first, second, third = run(samples)[:3]
    assert first.to_dict() == {
        "kit": "logistics",
        "severity": "critical",
        "title": "Chase delayed hero sample Silk Gown with DHL",
        "reason": "HERO ITEM missing - cannot shoot primary assets; overdue by 3h; "
        "courier DHL, tracking 1Z999.",
        "target": "sample-tracker:s1",
        "code": "chase_hero_sample",
    }
    assert (third.severity, third.title, third.reason, third.target) == (
        "high",
        "Chase delayed priority 2 sample Scarf",
        "High-priority item delayed; no ETA on record.",
        "sample-tracker:s2",
    )
    assert (second.title, second.reason) == (
        "Chase delayed priority 1 sample Tote",
        "High-priority item delayed; expected in 1h 30min.",
    )


def test_samples_still_requested_or_arrived_are_named_and_raised_when_the_shoot_is_close():
    samples = [
        sample("ok", "on_set"),
        sample("r1", "requested", name="Loafers"),
        sample("r2", "requested", name="Cape", is_hero=True),
        sample("a1", "arrived", name="Ring"),
    ]
    far = {r.code: r for r in run(samples)}
    assert far["confirm_requested_samples"].severity == "medium"
    assert far["confirm_requested_samples"].title == "Confirm 2 samples still only requested"
    assert far["confirm_requested_samples"].reason == (
        "Not yet shipped by the designers: Cape (hero) and Loafers. "
        "Campaign is 25% ready: 1 of 4 samples on set or shot."
    )
    assert far["confirm_requested_samples"].target == "sample-tracker:requested"
    assert far["move_arrived_samples"].title == "Move 1 sample from arrivals to set"
    near = {r.code: r for r in run(samples, shoot_date=SOON)}
    assert near["confirm_requested_samples"].severity == "high"
    assert near["confirm_requested_samples"].reason.endswith("The shoot is on 2025-03-02.")
    assert near["move_arrived_samples"].severity == "high"


def test_batching_saving_is_suggested():
    samples = [
        sample("d1", category="Dresses", arrived_at=NOW - minutes(30)),
        sample("b1", category="Bags", arrived_at=NOW - minutes(20)),
        sample("d2", category="Dresses", arrived_at=NOW - minutes(10)),
    ]
    (only,) = run(samples)
    assert (only.code, only.severity, only.target) == (
        "batch_by_category",
        "low",
        "sample-tracker:batching",
    )
    assert only.title == "Shoot in 2 category batches to save 30min"


def test_a_cycle_becomes_a_critical_action_naming_it():
    tasks = [task("a", 10, ["b"]), task("b", 10, ["a"]), task("c", 10)]
    events = [r for r in run([sample("1")], tasks) if r.kit == "events"]
    assert [r.to_dict() for r in events] == [
        {
            "kit": "events",
            "severity": "critical",
            "title": "Break the dependency cycle A → B → A",
            "reason": "Task dependencies form a cycle: A → B → A. No schedule or critical path "
            "can be computed until one of these dependencies is removed.",
            "target": "event-schedule:a",
            "code": "dependency_cycle",
        }
    ]


def test_an_unknown_dependency_becomes_a_critical_action():
    events = [r for r in run([sample("1")], [task("a", 10, ["ghost"])]) if r.kit == "events"]
    assert [(r.severity, r.title, r.reason) for r in events] == [
        (
            "critical",
            "Fix 1 task depending on missing tasks",
            "Unknown dependencies: a → ghost (no task has these ids).",
        )
    ]


def test_deadline_miss_double_booking_and_the_critical_task_to_start_now():
    tasks = [
        task("a", 30, assignee="Ana", title="Steam looks"),
        task("b", 60, ["a"], assignee="Ana", title="Shoot looks"),
        task("c", 20, ["b"], assignee="Ana", title="Select", deadline=NOW + minutes(60)),
        task("x", 60, assignee="Bo", title="Hair", earliest_start=NOW + minutes(120)),
        task("y", 60, assignee="Bo", title="Make-up", earliest_start=NOW + minutes(150)),
        task("z", 10, status="blocked", title="Permit"),
    ]
    events = [r for r in run([sample("1")], tasks) if r.kit == "events"]
    assert [(r.severity, r.code, r.title, r.target) for r in events] == [
        ("critical", "deadline_miss", "Select will miss its deadline by 50 minutes",
         "event-schedule:c"),
        ("high", "double_booking", "Bo is double-booked on Hair and Make-up", "event-schedule:y"),
        ("high", "start_critical_task", "Start Steam looks now", "event-schedule:a"),
        ("medium", "unblock_task", "Unblock Permit", "event-schedule:z"),
    ]  # fmt: skip
    deadline, booking, start, unblock = events
    assert deadline.reason == (
        "Planned to finish 2025-03-01T10:50+00:00, deadline 2025-03-01T10:00+00:00; "
        "it is on the critical path."
    )
    assert booking.reason == "Bo is booked on Hair and Make-up at once for 30min, from " + (
        "2025-03-01T11:30+00:00."
    )
    assert start.reason == (
        "It is on the critical path (no slack): any delay moves the end of the shoot. "
        "It takes 30min, assigned to Ana."
    )
    assert unblock.reason == (
        "Its dependencies are done but it is marked blocked; it has 1h 40min of slack."
    )


def test_hero_without_an_approved_asset_and_rights_before_the_shoot():
    samples = [
        sample("h1", "on_set", name="Silk Gown", is_hero=True),
        sample("h2", "on_set", name="Wool Coat", is_hero=True, priority=2),
    ]
    assets = [
        asset("d", title="Gown draft", status="draft", features=["h1"]),
        asset("r", title="Lookbook cover", features=["h2"], rights_expire_at=NOW + days(5)),
        asset("old", title="Archive", features=["h2"], rights_expire_at=NOW - days(1)),
    ]
    media = [
        r for r in run(samples, assets=assets, shoot_date=date(2025, 3, 8)) if r.kit == "media"
    ]
    assert [(r.severity, r.code, r.title, r.target) for r in media] == [
        ("high", "rights_expired", "Rights for Archive have expired", "media-library:old"),
        ("high", "rights_expire_before_shoot", "Rights for Lookbook cover expire before the shoot",
         "media-library:r"),
        ("medium", "hero_without_asset", "Hero sample Silk Gown has no approved asset",
         "media-library:coverage"),
    ]  # fmt: skip
    assert media[0].reason == (
        "Rights expired on 2025-02-28: renew them or take the asset off its channels."
    )
    assert media[1].reason == (
        "Rights expire on 2025-03-06, before the shoot on 2025-03-08 is over: renew them first."
    )
    assert media[2].reason == (
        "Hero sample Silk Gown has no approved asset featuring it. "
        "Gown draft (draft) features it: approve it."
    )


def test_after_the_shoot_a_hero_without_asset_is_high():
    samples = [sample("h1", "shot", name="Silk Gown", is_hero=True)]
    (gap,) = [r for r in run(samples, shoot_date=date(2025, 2, 28)) if r.kit == "media"]
    assert (gap.severity, gap.reason) == (
        "high",
        "Hero sample Silk Gown has no approved asset featuring it. "
        "No asset features it yet: upload or shoot one.",
    )


def test_ranked_by_severity_then_kit_then_kind_then_magnitude():
    samples = [
        sample("h", "delayed", name="Gown", is_hero=True, eta=NOW - minutes(60)),
        sample("h2", "delayed", name="Coat", is_hero=True, eta=NOW - minutes(600)),
        sample("p", "delayed", name="Scarf", priority=1),
        sample("r", "requested", name="Belt"),
        sample("t", "in_transit", name="Tote"),
    ]
    tasks = [task("a", 10, ["b"]), task("b", 10, ["a"])]
    assets = [asset("v", status="in_review", channels=["story"], features=["h"])]
    result = run(samples, tasks, assets)
    assert codes(result) == [
        "chase_hero_sample",  # Coat, then Gown: same priority, by name
        "chase_hero_sample",
        "dependency_cycle",
        "chase_priority_sample",
        "confirm_requested_samples",  # medium: logistics before media
        "hero_without_asset",
        "hero_without_asset",
        "channel_without_asset",
        "track_samples_in_transit",
        "review_assets",
    ]
    assert [r.target for r in result[:2]] == ["sample-tracker:h2", "sample-tracker:h"]
    keys = [r.rank_key() for r in facts(samples, tasks, assets)]
    assert keys == sorted(keys)
    assert [r.severity for r in result] == sorted(
        (r.severity for r in result), key=SEVERITIES.index
    )


def test_limit():
    samples = [sample(str(i), "delayed", is_hero=True) for i in range(5)]
    assert len(run(samples, limit=3)) == 3


def test_every_code_is_ranked():
    assert len(set(CODES)) == len(CODES)
    assert Recommendation("media", "low", "review_assets").rank_key()[2] == (
        CODES.index("review_assets")
    )


def test_large_campaign():
    statuses = ("requested", "in_transit", "delayed", "arrived", "on_set", "shot", "returned")
    samples = [
        sample(str(i), statuses[i % 7], is_hero=i % 100 == 0, priority=1 + i % 5)
        for i in range(10_000)
    ]
    tasks = [task(f"t{i}", 15, [f"t{i - 1}"] if i % 10 else [], assignee=f"p{i % 7}")
             for i in range(2_000)]  # fmt: skip
    assets = [asset(f"a{i}", features=[str(i * 5)], status="in_review") for i in range(2_000)]
    result = run(samples, tasks, assets, shoot_date=SOON)
    assert result[0].severity == "critical"
    assert len(run(samples, tasks, assets, shoot_date=SOON, limit=20)) == 20
