"""Pure-compute benchmark of the analyzers (no Django, no database).

Run from the repository root:

    .venv/bin/python bench/analyzers.py [--quick]

For each analyzer and input size it prints the best time of several runs (time.perf_counter,
garbage collector paused during a run, as timeit does), the time of a baseline measured in the
same run on the same inputs (see `baseline`), the ratio between the two, and the growth of
each between consecutive sizes. Linear work grows 10x when the input grows 10x; n log n a
little more. On a small shared VM both grow faster once the data outgrows the CPU caches and
fresh memory must be mapped; the baseline's own growth shows how much. Synthetic data comes
from a fixed seed.
"""

from __future__ import annotations

import argparse
import gc
import io
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw, ImageFilter

from assistant.logistics_words import logistics_report
from logistics.analysis.batching import batching
from logistics.analysis.blockers import blockers
from logistics.analysis.critical_path import critical_path
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.image_metrics import measure_image
from logistics.analysis.inputs import (
    AssetInput,
    ImageMetrics,
    SampleInput,
    TaskInput,
)
from logistics.analysis.logistics_analyzer import analyze_logistics
from logistics.analysis.media_analyzer import score_assets
from logistics.analysis.readiness import readiness
from logistics.analysis.recommendations import recommend

SEED = 20250301
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
SHOOT = date(2025, 3, 4)
MINUTE = timedelta(minutes=1)

STATUS_WEIGHTS = {
    "requested": 10,
    "in_transit": 15,
    "delayed": 8,
    "arrived": 10,
    "on_set": 35,
    "shot": 17,
    "returned": 5,
}
CATEGORIES = [
    "Dresses", "dresses", "Outerwear", "Knitwear", "Tops", "Trousers", "Skirts", "Footwear",
    "Shoes", "Bags", "Jewellery", "jewelry", "Accessories", "Swimwear", None, "",
]  # fmt: skip
COURIERS = ["DHL", "FedEx", "UPS", "Hand delivery", ""]
CHANNELS = ["instagram", "story", "tiktok", "web", "ecommerce", "youtube", "print", "pinterest"]
ASSET_STATUSES = ["draft", "in_review", "approved", "rejected"]
SIZES = [(1080, 1350), (1080, 1920), (1920, 1080), (4000, 3000), (3000, 4500), (800, 600)]


# --- synthetic data -----------------------------------------------------------------------


def make_samples(n: int, rng: random.Random) -> list[SampleInput]:
    statuses = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=n)
    samples = []
    for i, status in enumerate(statuses):
        moving = status in ("in_transit", "delayed")
        samples.append(
            SampleInput(
                id=f"s{i:06d}",
                name=f"{rng.choice(['Silk', 'Wool', 'Linen', 'Leather'])} look {i}",
                status=status,
                category=rng.choice(CATEGORIES),
                is_hero=rng.random() < 0.05,
                priority=rng.randint(1, 5),
                eta=NOW + rng.randint(-2_000, 4_000) * MINUTE
                if moving and rng.random() < 0.8
                else None,
                arrived_at=NOW - rng.randint(1, 10_000) * MINUTE
                if status in ("arrived", "on_set", "shot") and rng.random() < 0.9
                else None,
                designer=f"Designer {rng.randint(1, 40)}",
                courier=rng.choice(COURIERS) if moving else "",
                tracking_number=f"TRK{rng.randint(10**8, 10**9)}" if moving else "",
            )
        )  # fmt: skip
    return samples


def make_tasks(n: int, rng: random.Random) -> list[TaskInput]:
    """A shoot schedule: tasks depend on 0-3 recent tasks (a realistic, layered graph)."""
    people = [f"Crew {k}" for k in range(max(3, n // 12))]
    tasks = []
    for i in range(n):
        deps = (
            sorted({f"t{rng.randrange(max(0, i - 40), i)}" for _ in range(rng.randint(0, 3))})
            if i
            else []
        )
        tasks.append(
            TaskInput(
                id=f"t{i}",
                title=f"Task {i}",
                status=rng.choices(["todo", "in_progress", "blocked", "done"], [70, 10, 5, 15])[0],
                duration_minutes=rng.choice([5, 10, 15, 20, 30, 45, 60, 90, 120]),
                depends_on=tuple(deps),
                assignee=rng.choice(people) if rng.random() < 0.8 else None,
                earliest_start=NOW + rng.randint(0, 2_000) * MINUTE if rng.random() < 0.2 else None,
                deadline=NOW + rng.randint(60, 20_000) * MINUTE if rng.random() < 0.3 else None,
            )
        )  # fmt: skip
    rng.shuffle(tasks)
    return tasks


def make_assets(n: int, samples: list[SampleInput], rng: random.Random) -> list[AssetInput]:
    assets = []
    for i in range(n):
        kind = "video" if rng.random() < 0.2 else "image"
        width, height = rng.choice(SIZES) if rng.random() < 0.95 else (None, None)
        assets.append(
            AssetInput(
                id=f"a{i}",
                title=f"Frame {i}",
                kind=kind,
                status=rng.choices(ASSET_STATUSES, [20, 25, 45, 10])[0],
                width=width,
                height=height,
                duration_seconds=rng.uniform(6, 90) if kind == "video" else None,
                target_channels=tuple(rng.sample(CHANNELS, rng.randint(0, 3))),
                featured_sample_ids=tuple(s.id for s in rng.sample(samples, rng.randint(0, 3))),
                rights_expire_at=NOW + rng.randint(-30, 365) * timedelta(days=1)
                if rng.random() < 0.4
                else None,
                pixels=ImageMetrics(round(rng.random(), 3), round(rng.random(), 3))
                if kind == "image" and rng.random() < 0.7
                else None,
            )
        )  # fmt: skip
    return assets


# --- timing -------------------------------------------------------------------------------


def best_ms(
    run: Callable[[], object], *, min_runs: int, budget_s: float
) -> tuple[float, float, int]:
    """(best wall ms by time.perf_counter, best CPU ms by time.process_time, runs) over at
    least `min_runs` runs, more while within the time budget. On a shared machine the CPU time
    shows what other processes added to the wall time."""
    walls: list[float] = []
    cpus: list[float] = []
    while len(walls) < min_runs or (sum(walls) < budget_s and len(walls) < 50):
        gc.collect()
        gc.disable()
        try:
            cpu_started, started = time.process_time(), time.perf_counter()
            run()
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu_started)
        finally:
            gc.enable()
    return min(walls) * 1000, min(cpus) * 1000, len(walls)


def baseline(items: list) -> Callable[[], object]:
    """The least an analyzer that reads every item, orders them and builds a small result per
    item must do: one pass building a 2-element list per item, then a sort by id. (Building
    objects matters: on a small VM, allocation and cache misses grow faster than n.)"""

    def run() -> object:
        rows = [[item.id, item.id is not None] for item in items]
        return rows, sorted(items, key=lambda item: item.id)

    return run


ROWS: list[tuple[str, int, float, float, int, float]] = []


def measure(name: str, size: int, run: Callable[[], object], base_ms: float, quick: bool) -> None:
    ms, cpu_ms, runs = best_ms(
        run, min_runs=3 if not quick else 1, budget_s=0.5 if not quick else 0.05
    )
    ROWS.append((name, size, ms, cpu_ms, runs, base_ms))


def print_table() -> None:
    header = (
        f"{'analyzer':<34} {'n':>8} {'best ms':>9} {'cpu ms':>9} {'runs':>5} {'base ms':>8} "
        f"{'x base':>7} {'growth':>10} {'base growth':>12}"
    )
    print(header)
    print("-" * len(header))
    previous: dict[str, tuple[int, float, float]] = {}
    for name, size, ms, cpu_ms, runs, base_ms in ROWS:
        growth = base_growth = ""
        if name in previous:
            last_size, last_ms, last_base = previous[name]
            factor = size / last_size
            growth = f"{ms / last_ms:.1f}x/{factor:.0f}x"
            base_growth = f"{base_ms / last_base:.1f}x"
        previous[name] = (size, ms, base_ms)
        print(
            f"{name:<34} {size:>8,} {ms:>9.2f} {cpu_ms:>9.2f} {runs:>5} {base_ms:>8.2f} "
            f"{ms / base_ms:>7.1f} {growth:>10} {base_growth:>12}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run per case (smoke test)")
    quick = parser.parse_args().quick
    rng = random.Random(SEED)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{platform.system()} {platform.release()}; seed {SEED}"
    )
    print("Generating data…", flush=True)
    sample_sets = {n: make_samples(n, rng) for n in (1_000, 10_000, 100_000)}
    task_sets = {n: make_tasks(n, rng) for n in (2_000, 20_000)}
    asset_samples = sample_sets[1_000]
    asset_sets = {n: make_assets(n, asset_samples, rng) for n in (2_000, 20_000)}

    for n, samples in sample_sets.items():
        base_ms, _, _ = best_ms(baseline(samples), min_runs=3, budget_s=0.3)
        measure("logistics: readiness", n, partial(readiness, samples), base_ms, quick)
        measure("logistics: blockers", n, partial(blockers, samples, now=NOW), base_ms, quick)
        measure("logistics: batching", n, partial(batching, samples), base_ms, quick)
        measure(
            "logistics: all (+ words)",
            n,
            lambda samples=samples: logistics_report(analyze_logistics(samples, "all", now=NOW)),
            base_ms,
            quick,
        )
    for n, tasks in task_sets.items():
        base_ms, _, _ = best_ms(baseline(tasks), min_runs=3, budget_s=0.3)
        measure("events: critical path", n, partial(critical_path, tasks), base_ms, quick)
        measure(
            "events: CPM + plan + conflicts",
            n,
            partial(analyze_events, tasks, start=NOW),
            base_ms,
            quick,
        )
    for n, assets in asset_sets.items():
        base_ms, _, _ = best_ms(baseline(assets), min_runs=3, budget_s=0.3)
        measure(
            "media: score_assets",
            n,
            partial(score_assets, assets, samples=asset_samples, shoot_date=SHOOT, now=NOW),
            base_ms,
            quick,
        )
    combined = (sample_sets[10_000], task_sets[2_000], asset_sets[2_000])
    everything = [*combined[0], *combined[1], *combined[2]]
    base_ms, _, _ = best_ms(baseline(everything), min_runs=3, budget_s=0.3)
    measure(
        "recommendations (10k/2k/2k)",
        len(everything),
        lambda: recommend(
            samples=combined[0], tasks=combined[1], assets=combined[2], now=NOW, shoot_date=SHOOT
        ),
        base_ms,
        quick,
    )
    print()
    print_table()
    print()
    print("x base: analyzer time / baseline time on the same input (a row per item + sort by id).")
    print("growth: time ratio / input ratio against the previous size of the same analyzer;")
    print("linear is about equal to the input ratio, n log n slightly above it.")
    print()
    bench_images(quick)


def _measure_bytes(data: bytes) -> object:
    return measure_image(io.BytesIO(data))


def bench_images(quick: bool) -> None:
    """measure_image cost, which is bounded by the 512 px thumbnail whatever the upload."""
    image = Image.new("RGB", (6000, 4000), (90, 90, 90))
    draw = ImageDraw.Draw(image)
    for x in range(0, 6000, 150):
        draw.rectangle([x, 0, x + 70, 4000], fill=(200, 190, 180))
    image = image.filter(ImageFilter.GaussianBlur(1))
    for fmt, label in (("JPEG", "24 MP JPEG"), ("PNG", "24 MP PNG")):
        buffer = io.BytesIO()
        image.save(buffer, fmt)
        data = buffer.getvalue()
        ms, _, runs = best_ms(
            partial(_measure_bytes, data),
            min_runs=1 if quick else 3,
            budget_s=0.05 if quick else 1.0,
        )
        print(f"measure_image, {label} ({len(data) / 1e6:.1f} MB): {ms:.1f} ms (best of {runs})")


if __name__ == "__main__":
    main()
