"""The README to the letter, on a fresh checkout (fashionos/testing/checkout.py), as a newcomer
with nothing set in the environment would run it:

- every command of its `sh` and `cron` blocks is run by one of the tests below (the first
  test fails on a command none of them knows, so a new one cannot go untested);
- `make run` serves the demo, and the "First requests" curl and supabase-js examples, run as
  written against it, answer what the README shows (`…` marks what it trims);
- the other commands (`make keys`, `make manage ...`), a refused start-up (one line), a
  subset of `make test` (the whole suite runs in CI, `.ci/run`, with the README's PostgreSQL
  and Redis line), the production commands, the cron lines, and the benchmarks (`--help`:
  they need PostgreSQL and wrk, and run for minutes).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from fashionos.testing.checkout import (
    CheckoutUnavailable,
    command_lines,
    fresh_checkout,
    readme_blocks,
)
from fashionos.testing.live import free_port

README = settings.BASE_DIR / "README.md"
README_URL = "http://127.0.0.1:8000"
TOOLS = ("git", "make", "curl", "jq")
# A newcomer's shell has none of these; the test run's own would leak into the checkout.
CLEARED = (
    "DATABASE_URL", "REDIS_URL", "CACHE_URL", "SECRET_KEY", "JWT_SECRET", "DEBUG",
    "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
    # the Makefile's variables (.ci/run exports VENV=.ci-venv)
    "VENV", "PYTHON", "PYTEST_ARGS", "HOST", "PORT",
)  # fmt: skip
STARTUP_SECONDS = 180
COMMAND_SECONDS = 300

# Each kind of README command, and the test below that runs it.
KINDS = [
    (r"make (run|test)", "test_make_run_serves_the_demo, test_make_test_runs_and_sums_up"),
    (r"DATABASE_URL=\S+ REDIS_URL=\S+ make test", ".ci/run (the whole suite on PostgreSQL)"),
    (r"make (keys|manage)\b.*", "test_other_commands"),
    (r"(BASE|ANON_KEY|TOKEN|CAMPAIGN)=.*|curl .*", "test_first_requests_with_curl"),
    (r"(REDIS_URL=\S+ )?\.venv/bin/python bench/\w+\.py.*", "test_benchmarks_start"),
    (r"\. \.venv/bin/activate|export .*", "test_production_commands (the environment)"),
    (r"python manage\.py (migrate|collectstatic) --noinput", "test_production_commands"),
    (r"(gunicorn|uvicorn|daphne) .*", "test_production_commands"),
    (r"[\d*/]+\s+[\d*/]+(\s+\*){3}\s+cd /srv/fashionos && .*", "test_cron_commands"),
]


def _blocks(*languages: str):
    return [b for b in readme_blocks(README.read_text()) if b.language in languages]


def _kind(command: str) -> str | None:
    first_line = re.sub(r"\s+#.*$", "", command.splitlines()[0])  # a trailing comment
    return next((test for pattern, test in KINDS if re.fullmatch(pattern, first_line)), None)


def test_every_readme_command_is_run_by_a_test():
    commands = [(b.line, c) for b in _blocks("sh", "cron") for c in command_lines(b)]

    assert len(commands) >= 25
    unknown = [f"README.md:{line}: {command}" for line, command in commands if not _kind(command)]
    assert unknown == [], "no test runs these README commands (add them to KINDS)"


# --- the fresh checkout and `make run` ------------------------------------------------------


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the README test needs {', '.join(missing)} on PATH")
    try:
        return fresh_checkout(settings.BASE_DIR, tmp_path_factory.mktemp("checkout"))
    except CheckoutUnavailable as reason:
        pytest.skip(f"the README test needs {reason}")


def newcomer_env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


def run(command: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=newcomer_env(**extra),
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
    )


@dataclass
class Served:
    url: str
    log: Path


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-5000:]
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"not serving after {STARTUP_SECONDS}s:\n{log.read_text()[-5000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@pytest.fixture(scope="module")
def served(checkout):
    """`make run` in the checkout (on a free port rather than 8000)."""
    port = free_port()
    log = checkout / "make-run.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=checkout,
            env=newcomer_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Served(url, log)
    finally:
        _stop(process)


@pytest.mark.live
def test_make_run_serves_the_demo(served):
    output = served.log.read_text()
    assert "demo@fashionos.dev / fashionos-demo" in output
    assert "Starting ASGI/Daphne" in output
    assert "Traceback" not in output
    assert httpx.get(f"{served.url}/admin/login/").status_code == 200


# --- First requests -------------------------------------------------------------------------

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
VARYING = {"responseTime", "minutesUntilEta"}  # timings, and hours to a demo ETA


def shown_in(shown, real, where: str = "reply") -> None:
    """Every key and value the README shows is in the real reply: `…` stands for any value
    (as a key: any further keys), a string ending in `…` for any text it starts, and the
    timings in VARYING for any number."""
    if shown == "…":
        return
    if isinstance(shown, dict):
        assert isinstance(real, dict), where
        for key, value in shown.items():
            if key != "…":
                assert key in real, f"{where}.{key} is not in the reply"
                shown_in(value, real[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list) and len(real) >= len(shown), where
        for index, (item, actual) in enumerate(zip(shown, real, strict=False)):
            shown_in(item, actual, f"{where}[{index}]")
    elif isinstance(shown, str) and shown.endswith("…"):
        assert isinstance(real, str) and real.startswith(shown[:-1]), (where, real)
    elif where.rsplit(".", 1)[-1] in VARYING:
        assert type(real) is type(shown), where
    else:
        assert real == shown, (where, real)


def _block_after(blocks, index: int, language: str):
    return next(b for b in blocks[index + 1 :] if b.language == language)


@pytest.mark.live
def test_first_requests_with_curl(served, checkout):
    blocks = readme_blocks(README.read_text())
    chat = next(
        i for i, b in enumerate(blocks) if "chat-orchestrator" in b.text and b.language == "sh"
    )
    analyzer = next(
        i for i, b in enumerate(blocks) if "logistics-analyzer" in b.text and b.language == "sh"
    )
    marker = "----- next reply -----"
    script = f"{blocks[chat].text}\necho '{marker}'\n{blocks[analyzer].text}"

    done = run(script.replace(README_URL, served.url), checkout)

    assert done.returncode == 0, done.stderr
    chat_reply, analyzer_reply = (json.loads(part) for part in done.stdout.split(marker))
    shown_in(json.loads(_block_after(blocks, chat, "json").text), chat_reply)
    shown_in(json.loads(_block_after(blocks, analyzer, "json").text), analyzer_reply)
    assert UUID.match(chat_reply["conversationId"])


@pytest.mark.live
def test_first_requests_with_supabase_js(served, checkout, tmp_path):
    node_modules = settings.BASE_DIR / "tests/js/node_modules"
    reason = None
    if shutil.which("node") is None:
        reason = "Node.js is not installed"
    elif not (node_modules / "@supabase" / "supabase-js").is_dir():
        reason = "supabase-js is not installed: make test installs it (npm ci)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the README's supabase-js example: {reason}")
        pytest.skip(reason)
    blocks = readme_blocks(README.read_text())
    index = next(i for i, b in enumerate(blocks) if b.language == "js")
    (tmp_path / "first-request.mjs").write_text(blocks[index].text.replace(README_URL, served.url))
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    key = run("make -s keys ROLE=anon", checkout)
    assert key.returncode == 0, key.stderr

    done = subprocess.run(
        ["node", "first-request.mjs"],
        cwd=tmp_path,
        env=newcomer_env(ANON_KEY=key.stdout.strip()),
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == _block_after(blocks, index, "text").text


# --- the other commands ---------------------------------------------------------------------


def _block_with(fragment: str):
    return next(b for b in _blocks("sh") if fragment in b.text)


@pytest.mark.live
def test_other_commands(served, checkout):
    for command in command_lines(_block_with("make keys")):
        done = run(command, checkout)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if command.startswith("make keys"):
            assert [line.split(": ")[0] for line in done.stdout.splitlines()] == [
                "anon",
                "service_role",
            ]


@pytest.mark.live
@pytest.mark.parametrize(
    ("variables", "setting"),
    [
        ({}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "true", "DATABASE_URL": "nosuch://x"}, "DATABASE_URL"),
    ],
)
def test_a_refused_start_is_one_line(checkout, variables, setting):
    done = run(".venv/bin/python manage.py issue_api_keys", checkout, **variables)

    assert done.returncode == 4
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"manage.py: cannot start: {setting}")


@pytest.mark.live
def test_make_test_runs_and_sums_up_the_skips(checkout):
    done = run(
        'make test PYTEST_ARGS="fashionos/tests/test_health.py -p no:cacheprovider"', checkout
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    last_lines = done.stdout.strip().splitlines()[-3:]
    assert any(line.startswith("skipped groups") for line in last_lines), last_lines


# --- production, cron, benchmarks -----------------------------------------------------------


@pytest.fixture(scope="module")
def production(checkout, tmp_path_factory) -> dict[str, str]:
    """The production block's environment, on a database of its own (its `export` lines
    name hosts that are not here), after its migrate and collectstatic lines."""
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    env = {"SECRET_KEY": "readme-test-" + "k" * 40, "DATABASE_URL": f"sqlite:///{database}"}
    block = _block_with("gunicorn fashionos.wsgi")
    commands = [c for c in command_lines(block) if c.startswith((". ", "python "))]
    done = run(" && ".join(commands), checkout, **env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return env


def _server_commands(block_text: str) -> list[str]:
    found = re.findall(
        r"^(?:# .*?: )?((?:gunicorn|uvicorn|daphne) .*?application[^\n)]*)",
        block_text,
        re.MULTILINE,
    )
    return [command.strip() for command in found]


@pytest.mark.live
def test_production_commands(checkout, production, tmp_path):
    commands = _server_commands(_block_with("gunicorn fashionos.wsgi").text)
    assert [c.split()[0] for c in commands] == ["gunicorn", "uvicorn", "daphne"]
    for command in commands:
        port = free_port()
        command = re.sub(r"\b800[12]\b", str(port), command)
        log = tmp_path / f"{command.split()[0]}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                ["bash", "-c", f". .venv/bin/activate && exec {command}"],
                cwd=checkout,
                env=newcomer_env(**production),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_until_up(f"http://127.0.0.1:{port}", process, log)
            reply = httpx.get(f"http://127.0.0.1:{port}/api/v1/nowhere")
            assert reply.json()["code"] == "NOT_FOUND", command
        finally:
            _stop(process)


@pytest.mark.live
def test_cron_commands(checkout, production):
    (block,) = _blocks("cron")
    for line in command_lines(block):
        command = line.split("&&", 1)[1].strip()
        done = run(f"cd {checkout} && {command}", checkout, **production)
        assert done.returncode == 0, (command, done.stderr)
        assert done.stdout.startswith("Deleted ") or "retention" in done.stdout, done.stdout


@pytest.mark.live
def test_benchmarks_start(checkout):
    for command in command_lines(_block_with("bench/")):
        script = command.split("#", 1)[0].strip()
        done = run(f"{script} --help", checkout)
        assert done.returncode == 0, (script, done.stderr)
        assert done.stdout.startswith("usage:"), done.stdout
