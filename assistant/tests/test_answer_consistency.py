"""Answers agree with the analyzers, over generated campaigns (issue 15): for every intent the
skills answer from an analyzer, what the answer states (orderings, counts, percentages, flags,
statuses, yes or no) is read back from its text and compared with the analyzer's output for
the same data. Campaigns are drawn from seeded random generators (SEEDS of them, the same on
every run), with every sample status, asset status, size, channel and rights state, and task
graphs with assignees, deadlines and double-bookings."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.analysis_input import AnalysisInput
from assistant.chat.replies import Reply
from assistant.chat.skills import KIT_HANDLERS
from assistant.chat.skills.media import RIGHTS_WATCH
from assistant.chat.skills.sample_replies import STATUS_WORDS
from assistant.intents import Entities, IntentMatch
from assistant.intents.definitions import INTENTS_BY_NAME
from assistant.media_words import channel_label, rights_note
from logistics.analysis.batching import batching
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.inputs import (
    ASSET_STATUSES,
    SAMPLE_STATUSES,
    AssetInput,
    SampleInput,
    TaskInput,
)
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.media_channels import CHANNELS
from logistics.analysis.readiness import readiness

SEEDS = range(40)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SHOOT = date(2026, 3, 4)
# Name words no question below uses, so a question never names a generated thing by chance.
NOUNS = ("Gown", "Blazer", "Tote", "Loafer", "Cardigan", "Hoop", "Scarf", "Parka", "Clutch")
TASK_WORDS = ("Rig", "Steam", "Pack", "Glam", "Grade", "Cull", "Prep", "Cater", "Light")
PEOPLE = ("Ana Ruiz", "Ben Okafor", "Chloe Park", None)
SIZES = ((1080, 1350), (1080, 1920), (1920, 1080), (3000, 3000), (800, 800), (4000, 5000))


def _samples(rng: random.Random) -> list[SampleInput]:
    return [
        SampleInput(
            id=f"s{i}",
            name=f"{rng.choice(NOUNS)} {i:03d}",
            status=rng.choice(SAMPLE_STATUSES),
            category=rng.choice(("Dresses", "Outerwear", "Bags", "Footwear", None)),
            is_hero=rng.random() < 0.3,
            priority=rng.randint(1, 5),
            eta=NOW + timedelta(hours=rng.randint(-24, 72)) if rng.random() < 0.7 else None,
            arrived_at=NOW - timedelta(hours=rng.randint(1, 48)),
            courier=rng.choice(("DHL", "UPS", "")),
            tracking_number=f"TN{i:05d}",
        )
        for i in range(rng.randint(1, 25))
    ]


def _tasks(rng: random.Random) -> list[TaskInput]:
    tasks: list[TaskInput] = []
    for i in range(rng.randint(1, 15)):
        earlier = [t.id for t in tasks]
        depends = rng.sample(earlier, k=min(len(earlier), rng.randint(0, 2)))
        start = NOW + timedelta(minutes=30 * rng.randint(0, 12))
        tasks.append(
            TaskInput(
                id=f"t{i}",
                title=f"{rng.choice(TASK_WORDS)} {i:03d}",
                status=rng.choice(("todo", "todo", "in_progress", "blocked", "done")),
                duration_minutes=rng.choice((15, 30, 60, 90, 120)),
                depends_on=tuple(depends),
                assignee=rng.choice(PEOPLE),
                earliest_start=start if rng.random() < 0.7 else None,
                deadline=start + timedelta(minutes=rng.randint(30, 600))
                if rng.random() < 0.6
                else None,
            )
        )
    return tasks


def _assets(rng: random.Random, samples: list[SampleInput]) -> list[AssetInput]:
    rights = (None, -2 * 24, 12, 24 * 2 + 6, 24 * 20, 24 * 400)  # hours from now
    assets = []
    for i in range(rng.randint(1, 14)):
        width, height = rng.choice(SIZES)
        hours = rng.choice(rights)
        assets.append(
            AssetInput(
                id=f"a{i}",
                title=f"Frame {i:03d}",
                kind=rng.choice(("image", "image", "video")),
                status=rng.choice(ASSET_STATUSES),
                width=width,
                height=height,
                duration_seconds=None,
                target_channels=tuple(rng.sample(list(CHANNELS), k=rng.randint(0, 2))),
                featured_sample_ids=tuple(
                    s.id for s in rng.sample(samples, k=min(len(samples), rng.randint(0, 2)))
                ),
                rights_expire_at=NOW + timedelta(hours=hours) if hours is not None else None,
                pixels=None,
            )
        )
    return assets


def _campaign(seed: int) -> AnalysisInput:
    rng = random.Random(seed)
    samples = _samples(rng)
    return AnalysisInput(
        samples=samples,
        tasks=_tasks(rng),
        assets=_assets(rng, samples),
        shoot_date=SHOOT,
        now=NOW,
    )


def _answer(intent: str, message: str, ctx: AnalysisInput, **entities) -> Reply:
    kit = INTENTS_BY_NAME[intent].kit
    match = IntentMatch(intent, kit, 1.0, None, Entities(**entities), (), message=message)
    return KIT_HANDLERS[kit][intent](ctx, match)


def _in_order(content: str, names: list[str]) -> list[str]:
    """The names that appear in `content`, in the order they appear."""
    return sorted((n for n in names if n in content), key=content.index)


def _opening(reply: Reply) -> str | None:
    return reply.content.split(":", 1)[0] if reply.content.startswith(("Yes:", "No:")) else None


seeds = pytest.mark.parametrize("seed", SEEDS)


# --- logistics -------------------------------------------------------------------------------


@seeds
def test_readiness_states_the_analyzers_percentage_counts_and_order(seed):
    ctx = _campaign(seed)
    result = readiness(ctx.samples)
    reply = _answer("readiness_check", "are we ready?", ctx, names_requested=True)

    figures = re.search(r"(\d+)% ready: (\d+) of (\d+) samples?", reply.content)
    assert figures is not None, reply.content
    assert tuple(map(int, figures.groups())) == (
        result.overall_percentage,
        result.ready,
        result.total,
    )
    assert _opening(reply) == ("No" if result.not_ready else "Yes")
    assert reply.data["notReady"] == [s.id for s in result.not_ready][:100]
    names = [s.name for s in ctx.samples]
    stated = _in_order(reply.content.split("Not ready yet:", 1)[-1], names)
    assert stated == [s.name for s in result.not_ready][: len(stated)]
    for sample in result.not_ready[:5]:
        assert f"{sample.name}{' (hero)' if sample.is_hero else ''}: " + STATUS_WORDS[
            sample.status
        ] in (reply.content)


@seeds
def test_blockers_state_each_status_in_its_own_words(seed):
    ctx = _campaign(seed)
    reply = _answer("blocker_check", "is anything blocking us?", ctx, names_requested=True)

    delayed = [s for s in ctx.samples if s.status == "delayed"]
    assert reply.data["delayedCount"] == len(delayed)
    assert _opening(reply) == ("Yes" if delayed else "No")
    assert "on the way" not in reply.content
    # each outstanding sample is named in the sentence of its own status, and only there
    for status, label in (("in_transit", "In transit: "), ("requested", "Requested, not yet")):
        group = {s.name for s in ctx.samples if s.status == status}
        if not group:
            assert label not in reply.content
            continue
        sentence = reply.content.split(label, 1)[1].split(").", 1)[0]
        said = set(_in_order(sentence, [s.name for s in ctx.samples]))
        assert said <= group
        assert len(said) == min(len(group), 5)


@seeds
def test_the_batching_plan_is_the_analyzers(seed):
    ctx = _campaign(seed)
    plan = batching(ctx.samples)
    reply = _answer("batching_plan", "how should we batch the shoot?", ctx)

    if not plan.batches:
        assert "nothing to batch" in reply.content
        return
    assert [b["id"] for b in reply.data["batching"]["batches"]] == [b.id for b in plan.batches]
    categories = [f"{b.id}. {b.category} (" for b in plan.batches[:8]]
    assert _in_order(reply.content, categories) == categories


@seeds
def test_a_named_sample_is_answered_with_its_own_status(seed):
    ctx = _campaign(seed)
    sample = random.Random(seed).choice(ctx.samples)
    reply = _answer("readiness_check", f"what about {sample.name}?", ctx)

    assert reply.intent == "sample_lookup"
    assert reply.data["sample"]["id"] == sample.id
    assert reply.content.startswith(
        f"{sample.name}{' (hero)' if sample.is_hero else ''} is {STATUS_WORDS[sample.status]}"
    )
    if sample.tracking_number:
        assert sample.tracking_number in reply.content


# --- events ----------------------------------------------------------------------------------


@seeds
def test_the_critical_path_and_the_risks_are_the_analyzers(seed):
    ctx = _campaign(seed)
    analysis = analyze_events(ctx.tasks, start=NOW)
    cpm, plan = analysis.critical_path, analysis.schedule

    path = _answer("critical_path", "what's the critical path?", ctx, names_requested=True)
    if cpm.critical_path:
        assert " → ".join(cpm.critical_path_titles) in path.content
    assert path.data["criticalPath"] == list(cpm.critical_path)

    risks = _answer("at_risk_tasks", "are we behind?", ctx, names_requested=True)
    assert _opening(risks) == ("Yes" if plan.at_risk else "No")
    titles = [a.title for a in plan.at_risk]
    assert _in_order(risks.content, titles) == titles
    assert [r["taskId"] for r in risks.data.get("atRisk", [])] == [a.task_id for a in plan.at_risk]

    clashes = _answer("conflict_check", "is anyone double booked?", ctx, names_requested=True)
    assert _opening(clashes) == ("Yes" if plan.conflicts else "No")
    assert clashes.data.get("conflictCount", 0) == len(plan.conflicts)

    overview = _answer("schedule_overview", "what's the schedule?", ctx, names_requested=True)
    open_tasks = [t for t in plan.tasks if t.status != "done"]
    assert overview.data["tasks"] == [t.id for t in open_tasks]
    assert _in_order(overview.content, [t.title for t in open_tasks]) == [
        t.title for t in open_tasks
    ]
    # every status but "not started" is said, in words, beside the task
    for task in open_tasks:
        if task.status != "todo":
            words = {"in_progress": "in progress", "blocked": "blocked"}[task.status]
            assert re.search(rf"{re.escape(task.title)} \((?:[^)]*, )?{words}\)", overview.content)
    listed = {t.id for t in open_tasks}
    booked = [c for c in plan.conflicts if listed.intersection(c.task_ids)]
    assert overview.data["conflictCount"] == len(booked)
    assert ("double-booking" in overview.content) == bool(booked)


@seeds
def test_the_slack_answer_is_the_analyzers(seed):
    ctx = _campaign(seed)
    analysis = analyze_events(ctx.tasks, start=NOW)
    slack = analysis.slack()
    reply = _answer("schedule_slack", "is the schedule tight?", ctx)

    if not slack.critical_ids and slack.tightest_id is None:
        assert reply.content.startswith("Every task is done")
        return
    assert _opening(reply) == ("Yes" if slack.tight else "No")
    assert reply.data["tight"] == slack.tight
    assert reply.data["criticalCount"] == len(slack.critical_ids)
    assert f"{len(slack.critical_ids)} task" in reply.content
    if slack.tightest_id is not None:
        assert f"the next tightest is {analysis.planned(slack.tightest_id).title}" in (
            reply.content
        )
    if slack.margin_id is not None and not slack.at_risk_ids:
        assert f"{analysis.planned(slack.margin_id).title}'s" in reply.content
    assert _answer("schedule_slack", "do we have any wiggle room?", ctx).content.startswith(
        "No:" if slack.tight else "Yes:"
    )


@seeds
def test_a_named_task_is_answered_with_its_assignee_and_dependencies(seed):
    ctx = _campaign(seed)
    analysis = analyze_events(ctx.tasks, start=NOW)
    rng = random.Random(seed)
    task = analysis.planned(rng.choice(ctx.tasks).id)

    reply = _answer("task_lookup", f"who is doing {task.title}?", ctx)
    assert reply.data["tasks"][0]["id"] == task.id
    expected = f"{task.assignee} is doing" if task.assignee else "Nobody is assigned to"
    assert reply.content.startswith(f"{expected} {task.title}")
    assert reply.data["tasks"][0]["dependsOn"] == list(task.depends_on)
    assert reply.data["tasks"][0]["waitingIds"] == [t.id for t in analysis.dependents(task.id)]

    first, then = rng.choice(ctx.tasks), rng.choice(ctx.tasks)
    if first.id == then.id:
        return
    question = f"can we start {first.title} before {then.title} is done?"
    answer = _answer("task_lookup", question, ctx)
    # it must wait when it depends on the other, directly or not, and that is not done yet
    blocked = analysis.dependency_chain(first.id, then.id) is not None and then.status != "done"
    assert _opening(answer) == ("No" if blocked else "Yes")


# --- media -----------------------------------------------------------------------------------


@seeds
def test_the_ranking_is_the_analyzers(seed):
    ctx = _campaign(seed)
    analysis = score_assets(ctx.assets, samples=ctx.samples, shoot_date=SHOOT, now=NOW)
    reply = _answer("asset_ranking", "which are our best shots?", ctx, names_requested=True)

    ranking = list(analysis.ranking)
    assert [row["assetId"] for row in reply.data["ranking"]] == [a.asset_id for a in ranking]
    assert [row["score"] for row in reply.data["ranking"]] == [a.score for a in ranking]
    top = reply.content.split(". ", 1)[0]
    assert _in_order(top, [a.title for a in ranking]) == [a.title for a in ranking]
    for asset in ranking:
        assert f"{asset.title} ({asset.score}/100" in reply.content
        if asset.usable and asset.rights.code in RIGHTS_WATCH:
            assert rights_note(asset.rights) in reply.content
    # an asset whose sample has not arrived never ranks above one whose samples are all here
    waiting = [bool(a.pending_sample_ids) for a in ranking]
    assert waiting == sorted(waiting)


@seeds
@pytest.mark.parametrize("channel", ["instagram_feed", "tiktok", "web_hero"])
def test_a_channel_answer_follows_the_channel_order_scores_and_coverage(seed, channel):
    ctx = _campaign(seed)
    analysis = score_assets(ctx.assets, samples=ctx.samples, shoot_date=SHOOT, now=NOW)
    label = channel_label(channel)
    message = f"do we have enough content for {label}?"
    reply = _answer("channel_fit", message, ctx, channel=channel, names_requested=True)

    best = analysis.best_for(channel)
    covering = analysis.covering(channel)
    assert _opening(reply) == ("Yes" if covering else "No")
    assert reply.data["covered"] == bool(covering)
    assert reply.data["assets"] == [a.asset_id for a in best]
    assert reply.data["scores"] == [a.channel_scores[channel] for a in best]
    assert _in_order(reply.content.split(". ", 1)[-1], [a.title for a in best]) == [
        a.title for a in best
    ]
    for asset in best:
        # the channel's score, never the overall one
        assert f"{asset.title} (score {asset.channel_scores[channel]}, " in reply.content
        if asset.rights.code in RIGHTS_WATCH:
            assert rights_note(asset.rights) in reply.content
    if best:
        first = best[0]
        if not first.pending_sample_ids:
            assert not reply.content.startswith("Waiting on samples")
        if any(not a.pending_sample_ids for a in best):
            assert not first.pending_sample_ids


@seeds
def test_coverage_gaps_are_the_analyzers(seed):
    ctx = _campaign(seed)
    analysis = score_assets(ctx.assets, samples=ctx.samples, shoot_date=SHOOT, now=NOW)
    gaps = analysis.coverage_gaps
    reply = _answer("coverage_gaps", "any gaps in coverage?", ctx, names_requested=True)

    if not ctx.assets and not any(s.is_hero for s in ctx.samples):
        return
    has_gaps = bool(gaps.hero_samples or gaps.channels)
    assert _opening(reply) == ("Yes" if has_gaps else "No")
    if has_gaps:
        data = reply.data["coverageGaps"]
        assert [g["sampleId"] for g in data["heroSamples"]] == [
            g.sample_id for g in gaps.hero_samples
        ]
        assert [g["channel"] for g in data["channels"]] == [g.channel for g in gaps.channels]
        names = [g.name for g in gaps.hero_samples]
        assert _in_order(reply.content, names) == names
    # a hero covered only by assets whose rights run out is named with the flag
    covered = analysis.covered_samples()
    fragile = [
        s
        for s in ctx.samples
        if s.is_hero
        and covered.get(s.id)
        and all(a.rights.code in RIGHTS_WATCH for a in covered[s.id])
    ]
    assert ("covered only by assets whose rights run out" in reply.content) == bool(fragile)
    for sample in fragile[:5]:
        asset = covered[sample.id][0]
        assert f"{sample.name} ({asset.title}: {rights_note(asset.rights)})" in reply.content


@seeds
def test_rights_are_the_analyzers_flags(seed):
    ctx = _campaign(seed)
    analysis = score_assets(ctx.assets, samples=ctx.samples, shoot_date=SHOOT, now=NOW)
    reply = _answer("rights_check", "any usage rights expiring soon?", ctx, names_requested=True)

    watch = [a for a in analysis.ranking if a.rights.code in RIGHTS_WATCH]
    assert _opening(reply) == ("Yes" if watch else "No")
    assert {r["assetId"] for r in reply.data["rights"]} == {a.asset_id for a in watch}
    assert {r["code"] for r in reply.data["rights"]} <= set(RIGHTS_WATCH)
    for asset in watch:
        assert f"{asset.title} ({rights_note(asset.rights)})" in reply.content
    expiries = [a.rights.expires_at for a in watch]
    listed = [analysis.asset(r["assetId"]).rights.expires_at for r in reply.data["rights"]]
    assert listed == sorted(expiries)


@seeds
def test_the_best_asset_per_channel_is_the_analyzers_with_its_channel_score(seed):
    ctx = _campaign(seed)
    analysis = score_assets(ctx.assets, samples=ctx.samples, shoot_date=SHOOT, now=NOW)
    reply = _answer("channel_fit", "which assets fit which channels?", ctx)

    channels = analysis.channels or tuple(CHANNELS)[:4]
    assert [row["channel"] for row in reply.data["channels"]] == list(channels)
    for row in reply.data["channels"]:
        best = analysis.best_for(row["channel"], limit=1)
        label = channel_label(row["channel"])
        if not best:
            assert row["assetId"] is None
            assert f"{label}: none" in reply.content
            continue
        top = best[0]
        assert (row["assetId"], row["score"]) == (top.asset_id, top.channel_scores[row["channel"]])
        assert row["covered"] == bool(analysis.covering(row["channel"]))
        assert f"{label}: {top.title} (score {row['score']} for it, " in reply.content
