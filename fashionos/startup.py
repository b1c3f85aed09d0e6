"""Start-up of every entry point (manage.py, asgi.py, wsgi.py): load the settings, and when
they refuse the environment (the public SECRET_KEY with DEBUG off, a value that does not
parse), say so in one line that names the setting, and exit, instead of a traceback."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# gunicorn reads a worker's exit code 4 as "the application failed to load" and stops,
# where any other code would have it restart the worker over and over.
EXIT_REFUSED = 4


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
