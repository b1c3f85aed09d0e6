"""The layers are a contract (DESIGN.md section 3, docs/architecture.md): `lint-imports` checks
the `.importlinter` contracts (the core imports no app, analytics imports neither assistant
nor logistics, logistics.analysis imports no Django and no app, no import circles), and no
module hides an import inside a function, where a circle would go unseen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fashionos", "logistics", "assistant", "analytics")

# Imports that stay inside a function, each for a reason that is not a circle.
ALLOWED_LOCAL_IMPORTS = {
    # Django's idiom: an app wires itself up once every app's models are loaded.
    "ready",
}


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _local_imports(path: Path) -> list[str]:
    """`file:line function` for every import inside a function of `path`."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.name in ALLOWED_LOCAL_IMPORTS:
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno} in {node.name}()")
    return found


def test_no_module_hides_an_import_inside_a_function():
    """An import inside a function is how a circle is dodged: fix the circle instead."""
    hidden = [
        where
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for where in _local_imports(path)
    ]
    assert hidden == []
