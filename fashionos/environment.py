"""django-environ's `Env`, with every refusal naming the variable it is about.

Out of the box a value that does not parse (`DATABASE_POOL_MAX_SIZE=ten`, a database URL of
an unknown kind) fails with a bare ValueError or KeyError from deep inside the parsing. Here
each becomes an ImproperlyConfigured that says which variable and why, which the entry points
print as one line (fashionos/startup.py)."""

from __future__ import annotations

import warnings

import environ
from django.core.exceptions import ImproperlyConfigured

_FALSE_STRINGS = ("false", "off", "no", "n", "0", "")


class Env(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        raw = self.ENVIRON.get(var)
        declared = self.scheme.get(var)
        if cast is None and declared is not None:
            cast = declared[0] if isinstance(declared, tuple) else declared
        if cast is bool and raw is not None:
            known = {*self.BOOLEAN_TRUE_STRINGS, *_FALSE_STRINGS}
            if raw.strip().lower() not in known:
                raise ImproperlyConfigured(f"{var} is not valid: {raw!r} is neither true nor false")
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ImproperlyConfigured:
            raise
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(f"{var} is not valid: {error}") from error

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET, engine=None):
        config = self._url(super().db_url, var, default, engine, "database")
        if not str(config.get("ENGINE", "")).startswith("django.db.backends."):
            raise ImproperlyConfigured(
                f"{var} is not a database URL Django knows: use postgres://user@host:5432/name "
                "or sqlite:////absolute/path.sqlite3"
            )
        return config

    def cache_url(
        self, var=environ.Env.DEFAULT_CACHE_ENV, default=environ.Env.NOTSET, backend=None
    ):
        return self._url(super().cache_url, var, default, backend, "cache")

    @staticmethod
    def _url(parse, var, default, kind, what: str) -> dict:
        try:
            with warnings.catch_warnings():
                # django-environ warns of an unknown scheme, then returns a config without an
                # engine; the refusal below says it instead, once.
                warnings.simplefilter("ignore", UserWarning)
                return parse(var, default, kind)
        except ImproperlyConfigured as error:
            if var in str(error):
                raise
            raise ImproperlyConfigured(f"{var} is not a {what} URL: {error}") from error
        except (ValueError, KeyError, TypeError) as error:
            raise ImproperlyConfigured(f"{var} is not a {what} URL: {error!r}") from error
