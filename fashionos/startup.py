"""Start-up of every entry point (manage.py, asgi.py, wsgi.py): load the settings, and when
they refuse the environment (the public SECRET_KEY with DEBUG off, a value that does not
parse), say so in one line that names the setting, and exit, instead of a traceback. The
server entry points (asgi.py, wsgi.py) then announce `process_serving`, so that apps do their
per-process preparation before the first request rather than during it."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# gunicorn reads a worker's exit code 4 as "the application failed to load" and stops,
# where any other code would have it restart the worker over and over.
EXIT_REFUSED = 4

# Sent once per server process by asgi.py and wsgi.py, after Django is set up and before the
# first request (not by other management commands). Receivers prepare what every request of
# the process shares and would otherwise build on first use, under load.
process_serving = Signal()


def settings_load_or_exit(program: str) -> None:
    """Load `fashionos.settings` (or DJANGO_SETTINGS_MODULE). Returns when they load; on an
    ImproperlyConfigured prints `<program>: <the refusal>` on standard error and exits with
    EXIT_REFUSED."""
    # `settings` is lazy: the module is read on first access, after this default is set.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fashionos.settings")
    try:
        settings.INSTALLED_APPS  # noqa: B018  (loading the settings module is the point)
    except ImproperlyConfigured as refusal:
        message = " ".join(str(refusal).split())
        print(f"{program}: cannot start: {message}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_REFUSED) from None


def serving_prepare(program: str) -> None:
    """Announce `process_serving` (unless WARM_UP_AT_START is off: the test suite's servers
    prepare on first use)."""
    if settings.WARM_UP_AT_START:
        process_serving.send(sender=program)
