"""A refused start-up is one line naming the setting, and a non-zero exit, from every entry
point: manage.py, the ASGI servers (daphne, uvicorn) and gunicorn (WSGI). The typed settings
helper names the variable of any value that does not parse."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from fashionos.environment import Env
from fashionos.startup import EXIT_REFUSED
from fashionos.testing.live import free_port

CLEARED = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")


def _start(command: list[str], **variables: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    return subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env={**env, **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _module(name: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", name, *arguments]


@pytest.mark.live
@pytest.mark.parametrize(
    ("command", "program"),
    [
        ([sys.executable, "manage.py", "check"], "manage.py"),
        (
            _module("daphne", "-v", "0", "-p", "{port}", "fashionos.asgi:application"),
            "fashionos.asgi",
        ),
        (
            _module(
                "uvicorn", "--port", "{port}", "--lifespan", "off", "fashionos.asgi:application"
            ),
            "fashionos.asgi",
        ),
        (
            _module("gunicorn", "-b", "127.0.0.1:{port}", "-w", "1", "fashionos.wsgi:application"),
            "fashionos.wsgi",
        ),
    ],
    ids=["manage.py", "daphne", "uvicorn", "gunicorn"],
)
def test_the_public_secret_key_in_production_is_refused_in_one_line(command, program):
    port = str(free_port())
    done = _start([part.replace("{port}", port) for part in command])

    assert done.returncode == EXIT_REFUSED, done.stderr[-2000:]
    assert "Traceback" not in done.stderr + done.stdout
    refusals = [line for line in done.stderr.splitlines() if "cannot start" in line]
    assert refusals, done.stderr[-2000:]
    assert set(refusals) == {f"{program}: cannot start: SECRET_KEY is the public development key. "
                             "Set SECRET_KEY in the environment, or set DEBUG=true for local "
                             "development."}  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG is not valid: 'maybe' is neither true nor false"),
        ({"DEBUG": "true", "DATABASE_POOL_MAX_SIZE": "ten"}, "DATABASE_POOL_MAX_SIZE is not valid"),
        ({"DEBUG": "true", "DATABASE_URL": "nosuch://db"}, "DATABASE_URL is not a database URL"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL is not a database URL"),
        ({"DEBUG": "true", "CACHE_URL": "bogus://x"}, "CACHE_URL is not a cache URL"),
    ],
)
def test_manage_py_names_the_setting_that_does_not_parse(variables, named):
    done = _start([sys.executable, "manage.py", "check"], **variables)

    assert done.returncode == EXIT_REFUSED
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"manage.py: cannot start: {named}")


def test_manage_py_without_django_says_which_python_to_use(tmp_path):
    """`python manage.py ...` with a Python that has no Django (the README's old advice)."""
    bare = subprocess.run(
        [sys.executable, "-I", "-S", str(settings.BASE_DIR / "manage.py"), "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert bare.returncode == 1
    (line,) = bare.stderr.splitlines()
    assert "django is not installed" in line
    assert ".venv/bin/python manage.py" in line


# --- the typed helper ------------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setattr(Env, "ENVIRON", {})
    return Env(FLAG=(bool, False), COUNT=(int, 3))


@pytest.mark.parametrize("raw", ["true", "On", "1", "yes", "false", "0", "off", ""])
def test_a_flag_reads_the_usual_spellings(env, raw):
    Env.ENVIRON["FLAG"] = raw

    assert env("FLAG") is (raw.lower() in ("true", "on", "1", "yes"))


def test_a_flag_refuses_anything_else(env):
    Env.ENVIRON["FLAG"] = "maybe"

    with pytest.raises(ImproperlyConfigured, match=r"^FLAG is not valid"):
        env("FLAG")


def test_a_number_that_does_not_parse_is_named(env):
    Env.ENVIRON["COUNT"] = "3.5"

    with pytest.raises(ImproperlyConfigured, match=r"^COUNT is not valid"):
        env("COUNT")
    assert Env.ENVIRON.pop("COUNT")
    assert env("COUNT") == 3


def test_a_missing_variable_without_default_is_named(env):
    with pytest.raises(ImproperlyConfigured, match="NOT_SET"):
        env.str("NOT_SET")
