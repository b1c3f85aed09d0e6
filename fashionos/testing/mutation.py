"""`make mutation`: mutation testing (mutmut) of the security-critical code, group by group.

Each group mutates its modules and runs, for each mutant, only the tests of that group that
reach the mutated function (mutmut's own per-test coverage), so the whole run stays within
reasonable time on two cores:

- `tokens`: fashionos/accounts/tokens.py against the token tests;
- `principals`: fashionos/principals.py against the principal and token tests;
- `querysets`: every `visible_to` / `editable_by` (logistics, assistant and analytics models)
  and the campaign permissions (logistics/permissions.py) against the permission matrix, the
  list-scoping and the model tests;
- `analysis`: logistics/analysis/ against its own tests.

mutmut reads its configuration from the working directory, so each group runs in
`.mutation/<group>/`: links to the project and a `setup.cfg` of its own. The score counts a
mutant killed when a test failed (or timed out); `EQUIVALENT` lists the survivors judged not
to change behaviour, with why, and they are left out of the score (and printed).

    python -m fashionos.testing.mutation [group ...] [--max-children N] [--survivors]

`--survivors` reruns only the mutants that survived the group's last run (after tests were
added), keeping the other results; the test-to-function map is collected afresh.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
WORK = ROOT / ".mutation"
LINKED = ("fashionos", "assistant", "logistics", "analytics", "tests", "conftest.py", "pytest.ini",
          "manage.py")  # fmt: skip
TARGET_SCORE = 0.95


@dataclass(frozen=True)
class Group:
    files: tuple[str, ...]
    mutants: tuple[str, ...]
    tests: tuple[str, ...]
    # --nomigrations (tables made from the models, no migration SQL) halves each run where
    # the tests need none of the migrations' triggers.
    pytest_args: tuple[str, ...] = ()


GROUPS = {
    "tokens": Group(
        files=("fashionos/accounts/tokens.py",),
        mutants=("fashionos.accounts.tokens.*",),
        tests=(
            "fashionos/accounts/tests/test_tokens.py",
            "fashionos/accounts/tests/test_token_claims.py",
        ),
        pytest_args=("--nomigrations",),
    ),
    "principals": Group(
        files=("fashionos/principals.py",),
        mutants=("fashionos.principals.*",),
        tests=("fashionos/tests/test_principals.py", "fashionos/accounts/tests/test_tokens.py"),
        pytest_args=("--nomigrations",),
    ),
    "querysets": Group(
        files=(
            "logistics/models.py",
            "logistics/permissions.py",
            "assistant/models.py",
            "analytics/models.py",
        ),
        mutants=(
            "*.models.*visible_to__mutmut_*",
            "*.models.*editable_by__mutmut_*",
            "logistics.permissions.*",
        ),
        tests=(
            "tests/test_permission_matrix.py",
            "tests/test_list_scoping.py",
            "logistics/tests/test_querysets.py",
            "logistics/tests/test_models.py",
            "logistics/tests/test_invitations.py",
            "assistant/tests/test_models.py",
            "analytics/tests/test_models.py",
        ),
    ),
    "analysis": Group(
        files=("logistics/analysis/*",),
        mutants=("logistics.analysis.*",),
        tests=("logistics/tests/analysis/",),
        pytest_args=("--nomigrations",),
    ),
}

# Survivors that cannot change behaviour, by mutant name: left out of the score, and why.
EQUIVALENT: dict[str, str] = {
    "fashionos.accounts.tokens.x__encode__mutmut_7": (
        "drops algorithm=HS256 from jwt.encode, whose default algorithm is HS256"
    ),
    "fashionos.accounts.tokens.x__times_check__mutmut_2": (
        "continue -> break on a missing time claim: exp and iat are required before the loop, "
        "so only nbf, the last one, can be missing"
    ),
    "fashionos.principals.x_is_user__mutmut_7": (
        "getattr default False -> None inside bool(... and ...): both falsy"
    ),
    "fashionos.principals.x_is_service__mutmut_4": (
        "getattr default False -> None inside bool(): both falsy"
    ),
    "fashionos.principals.x_role_of__mutmut_6": (
        "getattr default False -> None under `not`: both falsy"
    ),
    "fashionos.principals.x_role_of__mutmut_15": (
        "getattr default False -> None as an if condition: both falsy"
    ),
    "logistics.models.xǁCampaignQuerySetǁvisible_to__mutmut_7": (
        "getattr default False -> None under `not`: both falsy"
    ),
    "logistics.models.xǁCampaignQuerySetǁeditable_by__mutmut_7": (
        "getattr default False -> None under `not`: both falsy"
    ),
    "logistics.permissions.xǁCampaignMembersAccessǁhas_permission__mutmut_3": (
        "super().has_permission(request, None): DRF's IsAuthenticated reads only request.user, "
        "never the view"
    ),
    "logistics.analysis.batching.x_batching__mutmut_24": (
        'previous None -> "": category_key never returns "" (a blank category is "other")'
    ),
    "logistics.analysis.batching.x_batching__mutmut_30": (
        "first_arrival[key] = None: the groups are made in arrival order and the sort is "
        "stable, so batches tied on heroes and priority keep first-arrival order anyway"
    ),
    "logistics.analysis.batching.x_batching__mutmut_48": (
        "hero sort weight 0 -> 1: heroes (2..6) still sort before the rest (11..15)"
    ),
    "logistics.analysis.batching.x_batching__mutmut_49": (
        "non-hero sort weight 10 -> 11: heroes (1..5) still sort before the rest (12..16)"
    ),
    "logistics.analysis.batching.x_batching__mutmut_56": (
        "sort by the entry instead of its key: the keys end with a unique arrival "
        "position, so they never tie"
    ),
    "logistics.analysis.blockers.x_blockers__mutmut_49": (
        "severity weight 10 -> 11: priorities (1..5) never reach the next severity either way"
    ),
    "logistics.analysis.conflicts.x_conflicts__mutmut_23": (
        "sort by the whole booking (start, input position, end) instead of its start: the "
        "position is unique and follows the input, the order the stable sort keeps on a "
        "tie"
    ),
    "logistics.analysis.critical_path.x_graph_critical_path__mutmut_10": (
        "finish > es -> >=: on equality the same value is stored"
    ),
    "logistics.analysis.critical_path.x_graph_critical_path__mutmut_25": (
        "start < lf -> <=: on equality the same value is stored"
    ),
    "logistics.analysis.image_metrics.x_exposure_score__mutmut_15": (
        "mean <= MID_GREY -> <: they differ only at mean == MID_GREY, where the distance, "
        "and so the span it is divided by, does not matter (closeness is 1)"
    ),
    "logistics.analysis.image_metrics.x_measure_image__mutmut_3": (
        "opened_here=False -> None: only tested for truth, both falsy"
    ),
    "logistics.analysis.media_analyzer.x_score_assets__mutmut_30": (
        "score weight -2 -> -3: scores are whole numbers, so the usable flag (0 or 1) "
        "still only breaks ties"
    ),
    "logistics.analysis.media_channels.x__crop__mutmut_8": (
        "<= RATIO_TOLERANCE -> <: no width x height up to 20,000 pixels high is exactly 2 "
        "% off any channel's ratio in floating point (searched), so the two never differ"
    ),
    "logistics.analysis.media_channels.x__crop__mutmut_11": (
        "ratio > target -> >=: an equal ratio has already returned through the tolerance "
        "check above"
    ),
    "logistics.analysis.media_channels.x_channel_fit__mutmut_24": (
        "no minimum width: 1.0 -> 2.0 inside min(1.0, ...), which 2.0 never wins"
    ),
    "logistics.analysis.media_channels.x_channel_fit__mutmut_28": (
        "no minimum height: 1.0 -> 2.0 inside min(1.0, ...), which 2.0 never wins"
    ),
    "logistics.analysis.media_scores.x_score_asset__mutmut_27": (
        'sized None -> "": only read for truth, and it stays so only without a size'
    ),
    "logistics.analysis.media_scores.x_score_asset__mutmut_34": (
        "skips the size cache: the same size and kind get equal fits computed again"
    ),
    "logistics.analysis.media_scores.x_score_asset__mutmut_35": (
        "size_cache.get(None) misses the cache: the same size and kind get equal fits "
        "computed again"
    ),
    "logistics.analysis.media_scores.x_score_asset__mutmut_58": (
        "len(judged) or 1 -> or 2: the divisor of an empty judged list divides sums of 0"
    ),
    "logistics.analysis.media_scores.x_score_asset__mutmut_94": (
        "NO_CHANNEL is never reached with a size: every asset kind suits some channel "
        "(the best is judged) and every known target gets a fit, unsuitable ones included"
    ),
    "logistics.analysis.readiness.x__importance__mutmut_4": (
        "hero weight 0 -> 1: heroes (2..6) still rank before the rest (11..15)"
    ),
    "logistics.analysis.readiness.x__importance__mutmut_5": (
        "non-hero weight 10 -> 11: heroes (1..5) still rank before the rest (12..16)"
    ),
    "logistics.analysis.recommendations.x__logistics__mutmut_59": (
        "missing.get(status, []) -> get(status, None): only tested for truth, both falsy"
    ),
    "logistics.analysis.recommendations.x__logistics__mutmut_61": (
        "missing.get(status, []) -> get(status): only tested for truth, both falsy"
    ),
    "logistics.analysis.recommendations.x__logistics__mutmut_92": (
        "minutes_saved > 0 -> > 1: savings are sums of the category table's set-up "
        "minutes (20 or more each; recommendations pass no overrides), never exactly 1"
    ),
    "logistics.analysis.rounding.x_half_up__mutmut_5": (
        "Decimal(1).scaleb -> Decimal(2).scaleb: quantize uses only the exponent"
    ),
    "logistics.analysis.rounding.x_half_up_int__mutmut_9": (
        "Decimal(1) -> Decimal(2) in quantize: quantize uses only the exponent"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_30": (
        "zip(strict=True) -> strict=None: the two sequences have the same length by construction"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_33": (
        "zip without strict: the two sequences have the same length by construction"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_34": (
        "zip(strict=False): the two sequences have the same length by construction"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_39": (
        "a done task's priority is never read: it holds nobody, so it is never queued"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_40": (
        "a done task's priority is never read: it holds nobody, so it is never queued"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_53": (
        "begin's initial values are all overwritten: every task of an acyclic graph is begun"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_59": (
        "the event sequence only breaks ties between events of one minute; any start works"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_64": (
        "the sequence only orders events within one minute, and all of a minute's events "
        "are handled before anyone is dispatched"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_65": (
        "the sequence only orders events within one minute, and all of a minute's events "
        "are handled before anyone is dispatched"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_66": (
        "the sequence only orders events within one minute; any increasing step works"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_83": (
        "the kind None vs _RELEASE: anything but _FINISH is a release, and the unique "
        "sequence decides heap order before the kind"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_101": (
        "busy False -> None: only read for truth"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_103": (
        "touched is a set kept as dict keys: its values are never read"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_110": (
        "the kind None vs _RELEASE: anything but _FINISH is a release, and the unique "
        "sequence decides heap order before the kind"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_134": (
        "touched is a set kept as dict keys: its values are never read"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_140": (
        "busy.get default False -> None: only read for truth"
    ),
    "logistics.analysis.schedule.x_graph_plan__mutmut_142": (
        "busy.get without default: None, only read for truth"
    ),
}

KILLED = {"killed", "timeout"}
COUNTED = KILLED | {"survived", "no tests"}


def _config(group: Group) -> str:
    def lines(values) -> str:
        return "".join(f"\n    {value}" for value in values)

    return (
        "[mutmut]\n"
        f"source_paths ={lines(name + '/' for name in LINKED[:4])}\n"
        f"only_mutate ={lines(group.files)}\n"
        f"also_copy ={lines(LINKED[4:])}\n"
        f"pytest_add_cli_args ={lines(['-p', 'no:cacheprovider', '-q', *group.pytest_args])}\n"
        f"pytest_add_cli_args_test_selection ={lines(group.tests)}\n"
    )


def _workdir(name: str, group: Group, *, keep: bool = False) -> Path:
    work = WORK / name
    if keep and (work / "mutants").exists():
        (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)  # new tests: remap
        return work
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for entry in LINKED:
        (work / entry).symlink_to(ROOT / entry)
    (work / "setup.cfg").write_text(_config(group))
    return work


def _mutmut(work: Path, *args: str) -> subprocess.CompletedProcess:
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(mutmut), *args], cwd=work, capture_output=True, text=True)


def _statuses(work: Path, group: Group) -> dict[str, str]:
    """Each mutant of the group (by name) and its status in the workdir's last run."""
    results = _mutmut(work, "results", "--all", "true").stdout
    statuses: dict[str, str] = {}
    for line in results.splitlines():
        mutant, _, status = line.strip().rpartition(": ")
        if mutant and any(fnmatch.fnmatch(mutant, pattern) for pattern in group.mutants):
            statuses[mutant] = status
    return statuses


def _previous_survivors(name: str, group: Group) -> list[str]:
    work = WORK / name
    if not (work / "mutants").exists():
        return []
    return sorted(m for m, s in _statuses(work, group).items() if s in COUNTED and s not in KILLED)


def group_run(name: str, *, max_children: int, survivors: bool = False) -> dict:
    """Run one group (or only its previous survivors); return its counts, score and the
    mutants still alive."""
    group = GROUPS[name]
    names = _previous_survivors(name, group) if survivors else []
    work = _workdir(name, group, keep=bool(names))
    run = _mutmut(work, "run", "--max-children", str(max_children), *(names or group.mutants))
    if run.returncode != 0:
        raise RuntimeError(f"mutmut run failed for {name}:\n{run.stdout[-3000:]}{run.stderr}")
    statuses = _statuses(work, group)
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    survivors = sorted(m for m, s in statuses.items() if s not in KILLED and s in COUNTED)
    equivalent = [m for m in survivors if m in EQUIVALENT]
    counted = sum(1 for s in statuses.values() if s in COUNTED) - len(equivalent)
    killed = sum(1 for s in statuses.values() if s in KILLED)
    # Equivalent mutants of this group that the run did not produce: renamed or renumbered
    # since they were judged, so they must be judged again.
    stale = sorted(
        m
        for m in EQUIVALENT
        if any(fnmatch.fnmatch(m, p) for p in group.mutants) and m not in statuses
    )
    return {
        "group": name,
        "counts": counts,
        "killed": killed,
        "behaviour_changing": counted,
        "score": round(killed / counted, 4) if counted else 1.0,
        "survivors": [m for m in survivors if m not in EQUIVALENT],
        "equivalent": {m: EQUIVALENT[m] for m in equivalent},
        "stale_equivalent": stale,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", default=list(GROUPS), choices=list(GROUPS))
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--survivors", action="store_true")
    args = parser.parse_args(argv)
    previous = WORK / "report.json"
    kept = {r["group"]: r for r in json.loads(previous.read_text())} if previous.exists() else {}
    reports = []
    for name in args.groups:
        report = group_run(name, max_children=args.max_children, survivors=args.survivors)
        kept[name] = report
        reports.append(report)
        print(
            f"{name}: {report['killed']} of {report['behaviour_changing']} behaviour-changing "
            f"mutants killed ({report['score']:.1%}); counts {report['counts']}",
            flush=True,
        )
        for mutant in report["survivors"]:
            print(f"  survived: {mutant}")
        for mutant, why in report["equivalent"].items():
            print(f"  equivalent: {mutant}: {why}")
        for mutant in report["stale_equivalent"]:
            print(f"  stale equivalent (no such mutant in this run): {mutant}")
    killed = sum(r["killed"] for r in reports)
    counted = sum(r["behaviour_changing"] for r in reports)
    score = killed / counted if counted else 1.0
    print(f"total: {killed} of {counted} killed ({score:.1%}); target {TARGET_SCORE:.0%}")
    WORK.mkdir(exist_ok=True)
    previous.write_text(json.dumps(list(kept.values()), indent=2))
    return 0 if score >= TARGET_SCORE else 1


if __name__ == "__main__":
    sys.exit(main())
