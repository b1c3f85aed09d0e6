"""`make mutation` keeps pointing at real code: a module moved without its group would make
the group mutate nothing, or run no test, and still print a score."""

from __future__ import annotations

import ast
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


def _defined(module: str) -> set[str]:
    """The functions and methods (Class.method) a module defines at its top level."""
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return names


def test_every_equivalent_mutant_names_a_function_that_exists():
    """A module split or a function renamed leaves its equivalent mutants behind: they
    would never match again (and the run reports them as stale), so they are judged anew."""
    missing = []
    for mutant in EQUIVALENT:
        function, _, number = mutant.rpartition("__mutmut_")
        module, _, mangled = function.rpartition(".")
        name = mangled.replace("ǁ", ".")[2:] if mangled.startswith("xǁ") else mangled[2:]
        path = ROOT / (module.replace(".", "/") + ".py")
        if not number.isdigit() or not path.exists() or name not in _defined(module):
            missing.append(mutant)
    assert not missing
