"""A fresh checkout of the project for tests that follow the README as a newcomer would.

`fresh_checkout` copies what a clone of the current work would hold (the tracked files and
the new ones git does not ignore; no `.env`, database, static files or virtualenv) into a
directory, and gives it the running virtualenv and the installed supabase-js instead of
installing them again: `.venv/` there is a shadow of this interpreter's virtualenv (its
`bin/` and `lib/` linked, its `pyvenv.cfg` copied), and every copied file is dated in the
past, so the Makefile's install stamps are newer than the requirements and `make` installs
nothing. Nothing may install through the links: they lead to the shared virtualenv.

`readme_blocks` reads the fenced code blocks of a Markdown file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Every copied file gets this modification time (2001), older than any install stamp.
_PAST = 1_000_000_000
_VENV_PARTS = ("bin", "lib", "lib64", "include")
JS_DIR = Path("tests/js")


class CheckoutUnavailable(Exception):
    """The project is not a git checkout, or git is missing."""


def fresh_checkout(source: Path, target: Path) -> Path:
    """Copy the project at `source` into `target` (created) as a fresh clone would have it,
    with the running virtualenv and supabase-js linked in; returns `target`."""
    if shutil.which("git") is None or not (source / ".git").exists():
        raise CheckoutUnavailable("the project is not a git checkout (or git is missing)")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode()
    target.mkdir(parents=True, exist_ok=True)
    for name in filter(None, listed.split("\0")):
        origin = source / name
        if not origin.is_file():
            continue  # deleted in the work tree but not yet committed
        copy = target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, copy)
        os.utime(copy, (_PAST, _PAST))
    _shadow_venv(Path(sys.prefix), target / ".venv")
    _shadow_node_modules(source / JS_DIR / "node_modules", target / JS_DIR / "node_modules")
    return target


def _shadow_venv(venv: Path, shadow: Path) -> None:
    if not (venv / "pyvenv.cfg").is_file():
        raise CheckoutUnavailable(f"the tests do not run in a virtualenv ({venv})")
    shadow.mkdir()
    for part in _VENV_PARTS:
        if (venv / part).exists():
            (shadow / part).symlink_to(venv / part, target_is_directory=True)
    shutil.copy2(venv / "pyvenv.cfg", shadow / "pyvenv.cfg")
    (shadow / ".installed").touch()


def _shadow_node_modules(installed: Path, shadow: Path) -> None:
    """The installed supabase-js linked in, entry by entry (never the directory itself:
    `npm ci` would empty it), and the Makefile's stamp, so `make test` runs no `npm ci`."""
    shadow.mkdir(parents=True)
    if installed.is_dir():
        for entry in installed.iterdir():
            if entry.name != ".installed":
                (shadow / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (shadow / ".installed").touch()


@dataclass(frozen=True)
class Block:
    language: str
    text: str
    line: int  # of the opening fence, counting from 1


_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_blocks(text: str) -> list[Block]:
    """The fenced code blocks of Markdown `text`, in order."""
    return [
        Block(match.group(1), match.group(2), text.count("\n", 0, match.start()) + 1)
        for match in _FENCE.finditer(text)
    ]


def command_lines(block: Block) -> list[str]:
    """The commands of a shell block: continuation lines joined, comments and blanks left
    out, a here-document kept with the command that reads it."""
    commands: list[str] = []
    lines = block.text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.endswith("\\") and index < len(lines):
            line = line[:-1] + " " + lines[index].strip()
            index += 1
        heredoc = re.search(r"<<-?\s*'?(\w+)'?", line)
        if heredoc:
            end = heredoc.group(1)
            while index < len(lines) and lines[index].strip() != end:
                line += "\n" + lines[index]
                index += 1
            line += "\n" + end
            index += 1
        commands.append(line)
    return commands
