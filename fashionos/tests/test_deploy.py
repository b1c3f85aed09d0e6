"""Production settings: `manage.py check --deploy` is clean under a production environment, and
the settings a deployment relies on (secure cookies, hosts and origins from the environment,
whitenoise, pool sizes) are what the README's checklist says. Each case starts a fresh
interpreter with only the variables given, as a new server process would."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR

pytestmark = pytest.mark.skipif(
    (BASE_DIR / ".env").exists(),
    reason="a .env file in the checkout would supply the variables these cases leave unset",
)

PRODUCTION = {
    # DEBUG is left unset: off is the default.
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "ALLOWED_HOSTS": "example.com",
    "CSRF_TRUSTED_ORIGINS": "https://example.com",
    "NUM_PROXIES": "1",  # behind the TLS-terminating proxy of the README's layout
}

REPORT = """
import json
import django
from django.conf import settings
from django.utils.module_loading import import_string
from whitenoise.middleware import WhiteNoiseMiddleware
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "cors_allowed_origins": settings.CORS_ALLOWED_ORIGINS,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "proxy_ssl_header": settings.SECURE_PROXY_SSL_HEADER,
    "redirect_exempt": settings.SECURE_REDIRECT_EXEMPT,
    "hsts": [settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
             settings.SECURE_HSTS_PRELOAD],
    "x_frame_options": settings.X_FRAME_OPTIONS,
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "whitenoise_serves_static": any(
        issubclass(import_string(path), WhiteNoiseMiddleware) for path in settings.MIDDLEWARE
    ),
    "pool": db.get("OPTIONS", {}).get("pool"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
}))
"""


def _run(arguments: list[str], **variables: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "fashionos.settings",
        **variables,
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_deploy(**variables: str) -> subprocess.CompletedProcess:
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **variables)


def test_check_deploy_is_clean_under_production_settings():
    done = _check_deploy(**PRODUCTION)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_is_clean_with_postgresql_redis_and_a_shared_cache():
    done = _check_deploy(
        **PRODUCTION,
        DATABASE_URL="postgres://fashion:secret@db.internal:5432/fashionos",
        REDIS_URL="redis://redis.internal:6379/0",
        CACHE_URL="redis://redis.internal:6379/1",
        CORS_ALLOWED_ORIGINS="https://app.example.com",
    )

    assert done.returncode == 0, done.stdout + done.stderr


def test_check_deploy_fails_without_https_hardening():
    # The same command catches a regression: no HTTPS redirect and no HSTS.
    variables = {**PRODUCTION}
    del variables["SECURE_SSL_REDIRECT"], variables["SECURE_HSTS_SECONDS"]

    done = _check_deploy(**variables)

    assert done.returncode != 0
    assert "security.W004" in done.stderr
    assert "security.W008" in done.stderr


def test_check_deploy_flags_debug_on():
    done = _check_deploy(**PRODUCTION, DEBUG="true")

    assert done.returncode != 0
    assert "security.W018" in done.stderr


def test_production_settings_match_the_checklist():
    done = _run(
        ["-c", REPORT],
        **PRODUCTION,
        CORS_ALLOWED_ORIGINS="https://app.example.com,https://admin.example.com",
        DATABASE_URL="postgres://fashion:secret@db.internal:5432/fashionos",
        DATABASE_POOL_MIN_SIZE="4",
        DATABASE_POOL_MAX_SIZE="16",
        DATABASE_CONNECT_TIMEOUT="3",
        REDIS_URL="redis://redis.internal:6379/0",
        CACHE_URL="redis://redis.internal:6379/1",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["debug"] is False
    assert report["allowed_hosts"] == ["example.com"]
    assert report["cors_allowed_origins"] == [
        "https://app.example.com",
        "https://admin.example.com",
    ]
    assert report["csrf_trusted_origins"] == ["https://example.com"]
    assert report["session_cookie_secure"] is True
    assert report["csrf_cookie_secure"] is True
    assert report["session_cookie_httponly"] is True
    assert report["ssl_redirect"] is True
    assert report["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert report["redirect_exempt"] == ["^healthz$", "^readyz$"]
    assert report["hsts"] == [31536000, True, True]
    assert report["x_frame_options"] == "DENY"
    assert report["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert report["whitenoise_serves_static"] is True
    assert report["pool"] == {"min_size": 4, "max_size": 16, "timeout": 3}
    assert report["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert report["channel_layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"


def test_hsts_subdomains_and_preload_can_be_turned_off():
    done = _run(
        ["-c", REPORT],
        **PRODUCTION,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["hsts"] == [31536000, False, False]


def test_production_refuses_to_start_with_the_default_secret_key():
    variables = {**PRODUCTION}
    del variables["SECRET_KEY"]

    done = _check_deploy(**variables)

    assert done.returncode != 0
    assert "SECRET_KEY is the public development key" in done.stderr


def test_x_forwarded_proto_is_not_believed_without_a_proxy_in_front():
    # With no proxy declared, any client could send the header and pass for HTTPS.
    variables = {**PRODUCTION}
    del variables["NUM_PROXIES"]
    done = _run(["-c", REPORT], **variables)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["proxy_ssl_header"] is None


PROBE = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="example.com")
for path in ("/healthz", "/readyz", "/api/v1/campaigns"):
    print(path, client.get(path).status_code)
"""


def test_probes_are_not_redirected_to_https():
    done = _run(["-c", PROBE], **PRODUCTION)

    assert done.returncode == 0, done.stderr
    statuses = dict(line.split() for line in done.stdout.strip().splitlines()[-3:])
    assert statuses["/healthz"] == "200"
    assert statuses["/readyz"] in ("200", "503")  # the database of this case may not exist
    assert statuses["/api/v1/campaigns"] == "301"  # everything else goes to HTTPS
