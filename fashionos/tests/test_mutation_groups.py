"""`make mutation` keeps pointing at real code: a module moved without its group would make
the group mutate nothing, or run no test, and still print a score."""

from __future__ import annotations

import fnmatch

import pytest

from fashionos.testing.mutation import EQUIVALENT, GROUPS, ROOT


def _module(path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_every_group_mutates_existing_modules_its_patterns_name(name):
    group = GROUPS[name]
    files = [path for pattern in group.files for path in sorted(ROOT.glob(pattern))]
    assert files, f"{name}: {group.files} match no file"
    modules = {_module(path) for path in files if path.suffix == ".py"}
    for pattern in group.mutants:
        prefix = pattern.split("*")[0].rstrip(".")
        assert not prefix or any(m == prefix or m.startswith(prefix + ".") for m in modules), (
            f"{name}: the mutant pattern {pattern!r} names no mutated module"
        )


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_every_group_runs_existing_tests(name):
    for test in GROUPS[name].tests:
        assert (ROOT / test).exists(), f"{name}: {test} does not exist"


def test_every_equivalent_mutant_belongs_to_a_group():
    patterns = [pattern for group in GROUPS.values() for pattern in group.mutants]
    orphans = [m for m in EQUIVALENT if not any(fnmatch.fnmatch(m, p) for p in patterns)]
    assert not orphans
