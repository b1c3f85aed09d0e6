"""Settings come from the environment: each case imports them in a fresh interpreter with a
clean environment, as a new server process would."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR

pytestmark = pytest.mark.skipif(
    (BASE_DIR / ".env").exists(),
    reason="a .env file in the checkout would supply the variables these cases leave unset",
)

REPORT = """
import json
import django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "options": db.get("OPTIONS", {}),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "channel_layer": settings.CHANNEL_LAYERS["default"],
    "jwt_secret_is_secret_key": settings.JWT["SECRET"] == settings.SECRET_KEY,
    "session_cookie_secure": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "email": {
        name: getattr(settings, name, None)
        for name in ("EMAIL_BACKEND", "EMAIL_FILE_PATH", "EMAIL_HOST", "EMAIL_PORT",
                     "EMAIL_HOST_USER", "EMAIL_USE_TLS")
    },
    "signup": [settings.AUTH_SIGNUP_ENABLED, settings.AUTH_EMAIL_CONFIRM],
}))
"""


def _import_settings(**variables: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "fashionos.settings",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", REPORT],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _report(**variables: str) -> dict:
    done = _import_settings(**variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_default_secret_key_is_refused_when_debug_is_off():
    done = _import_settings()

    assert done.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in done.stderr
    assert "SECRET_KEY" in done.stderr


@pytest.mark.parametrize("debug", ["false", "0", "no", ""])
def test_debug_off_in_any_spelling_still_refuses_the_default_key(debug):
    done = _import_settings(DEBUG=debug)

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr


def test_empty_secret_key_is_refused_when_debug_is_off():
    done = _import_settings(SECRET_KEY="")

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "SECRET_KEY" in done.stderr


def test_no_variables_with_debug_gives_sqlite_and_the_in_memory_layer():
    report = _report(DEBUG="true")

    assert report["debug"] is True
    assert report["engine"] == "django.db.backends.sqlite3"
    assert report["name"] == str(BASE_DIR / "db.sqlite3")
    assert report["channel_layer"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert report["jwt_secret_is_secret_key"] is True


def test_a_real_secret_key_starts_with_debug_off():
    report = _report(SECRET_KEY="a-real-secret-key-from-the-vault-0123456789")

    assert report["debug"] is False
    assert report["engine"] == "django.db.backends.sqlite3"
    assert report["session_cookie_secure"] is True


def test_database_url_switches_to_postgresql_with_the_pool():
    report = _report(
        DEBUG="true",
        DATABASE_URL="postgres://fashion:secret@db.internal:5433/fashionos",
        DATABASE_POOL_MAX_SIZE="20",
    )

    assert report["engine"] == "django.db.backends.postgresql"
    assert report["name"] == "fashionos"
    assert report["options"]["pool"] == {"min_size": 2, "max_size": 20, "timeout": 5}
    assert report["options"]["connect_timeout"] == 5
    # Django refuses a pool together with persistent connections.
    assert report["conn_max_age"] in (None, 0)
    assert report["channel_layer"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_redis_url_switches_to_the_redis_channel_layer():
    report = _report(DEBUG="true", REDIS_URL="redis://cache.internal:6379/2")

    assert report["channel_layer"]["BACKEND"].startswith("channels_redis.")
    (host,) = report["channel_layer"]["CONFIG"]["hosts"]
    assert (host["address"] if isinstance(host, dict) else host) == "redis://cache.internal:6379/2"
    assert report["engine"] == "django.db.backends.sqlite3"


def test_each_redis_database_gets_its_own_realtime_channels():
    """Pub/sub channels are server-wide in Redis: the database number must part them."""
    prefixes = {
        url: _report(DEBUG="true", REDIS_URL=url)["channel_layer"]["CONFIG"]["prefix"]
        for url in ("redis://cache.internal:6379", "redis://cache.internal:6379/0",
                    "redis://cache.internal:6379/2")
    }  # fmt: skip
    assert prefixes["redis://cache.internal:6379"] == prefixes["redis://cache.internal:6379/0"]
    assert prefixes["redis://cache.internal:6379/0"] != prefixes["redis://cache.internal:6379/2"]


def test_jwt_secret_replaces_the_secret_key_for_tokens():
    report = _report(DEBUG="true", JWT_SECRET="a-separate-token-secret-0123456789")

    assert report["jwt_secret_is_secret_key"] is False


def test_email_is_printed_and_signup_open_without_confirmation_by_default():
    report = _report(DEBUG="true")

    assert report["email"]["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert report["signup"] == [True, False]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://mailer:s3cret@smtp.example.com:587",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.com",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "filemail:///var/spool/fashionos-mail",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/spool/fashionos-mail",
            },
        ),
    ],
)
def test_email_url_configures_the_email_backend(url, expected):
    report = _report(DEBUG="true", EMAIL_URL=url)

    assert {name: report["email"][name] for name in expected} == expected
