#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Run it with the project's virtualenv (`.venv/bin/python manage.py ...`, or `make manage
ARGS="..."`), which `make run` and `make test` create. Settings come from the environment;
a refused one (the public SECRET_KEY with DEBUG off, a value that does not parse) stops it
with one line naming the setting."""

import sys


def main() -> None:
    try:
        from django.core.management import execute_from_command_line
    except ModuleNotFoundError as missing:
        sys.exit(
            f"manage.py: {missing.name} is not installed for {sys.executable}: run it with the "
            "project's virtualenv, `.venv/bin/python manage.py ...` (`make run` creates it)."
        )
    from fashionos.startup import settings_load_or_exit

    settings_load_or_exit("manage.py")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
