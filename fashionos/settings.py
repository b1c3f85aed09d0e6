"""Settings for FashionOS, read from the environment through django-environ.

With no variables at all the project runs on SQLite and the in-memory channel layer, so a new
user starts the server with one command. `.env.example` documents every variable.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from fashionos.environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent

# The key a fresh checkout runs with. It is public, so production refuses it (see below).
DEFAULT_SECRET_KEY = "insecure-development-key-change-me-in-production-0123456789"

env = Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, DEFAULT_SECRET_KEY),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CORS_ALLOWED_ORIGINS=(list, []),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, ""),
    DATABASE_POOL_MIN_SIZE=(int, 2),
    DATABASE_POOL_MAX_SIZE=(int, 10),
    DATABASE_CONNECT_TIMEOUT=(int, 5),
    REDIS_URL=(str, ""),
    CACHE_URL=(str, "locmemcache://"),
    JWT_SECRET=(str, ""),
    JWT_ACCESS_TOKEN_LIFETIME_SECONDS=(int, 3600),
    JWT_REFRESH_TOKEN_LIFETIME_DAYS=(int, 30),
    JWT_ISSUER=(str, "fashionos"),
    CHAT_THROTTLE_RATE=(str, "60/min"),
    ANALYZER_THROTTLE_RATE=(str, "60/min"),
    AUTH_THROTTLE_RATE=(str, "20/min"),
    ADMIN_LOGIN_THROTTLE_RATE=(str, "10/min"),
    ADMIN_LOGIN_ACCOUNT_THROTTLE_RATE=(str, "10/hour"),
    REALTIME_BROADCAST_THROTTLE_RATE=(str, "600/min"),
    SECURE_SSL_REDIRECT=(bool, False),
    NUM_PROXIES=(int, 0),
    LOG_LEVEL=(str, "INFO"),
    READYZ_TOKEN=(str, ""),
    INTENT_TRAIN_ON_LABELS=(bool, True),
    WARM_UP_AT_START=(bool, True),
    REST_MAX_ROWS=(int, 1000),
    REST_MAX_FILTERS=(int, 100),
    REST_MAX_IN_VALUES=(int, 500),
    REST_MAX_BODY_BYTES=(int, 2 * 1024 * 1024),
    REST_MAX_BODY_ROWS=(int, 1000),
    AUTH_SIGNUP_ENABLED=(bool, True),
    AUTH_EMAIL_CONFIRM=(bool, False),
    AUTH_SITE_URL=(str, "http://localhost:3000"),
    AUTH_REDIRECT_URLS=(list, []),
    AUTH_OTP_LIFETIME_SECONDS=(int, 3600),
    AUTH_EMAIL_MIN_INTERVAL_SECONDS=(int, 60),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "FashionOS <no-reply@localhost>"),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# An empty SECRET_KEY (as a copied .env.example leaves it) is no better than the public one.
SECRET_KEY = env("SECRET_KEY") or DEFAULT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the public development key. Set SECRET_KEY in the environment, "
        "or set DEBUG=true for local development."
    )

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
# Sent as X-Readyz-Token, it shows /readyz's per-check detail (fashionos/health.py).
READYZ_TOKEN = env("READYZ_TOKEN")
# Staff intent labels (the admin's review of chat turns) join the classifier's training data.
INTENT_TRAIN_ON_LABELS = env("INTENT_TRAIN_ON_LABELS")
# Server processes prepare their per-process state (the intent classifier's training) when
# they start, not on the first request that needs it (fashionos/startup.py).
WARM_UP_AT_START = env("WARM_UP_AT_START")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "fashionos.admin_config.FashionOSAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "channels",
    "fashionos.accounts",
    "fashionos.realtime",
    "logistics",
    "assistant",
    "analytics",
]

MIDDLEWARE = [
    "fashionos.request_log.RequestLogMiddleware",
    "fashionos.api.error_pages.ApiErrorPagesMiddleware",
    "fashionos.request_body.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "fashionos.static_files.StaticFilesMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fashionos.urls"
WSGI_APPLICATION = "fashionos.wsgi.application"
ASGI_APPLICATION = "fashionos.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fashionos" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if env("DATABASE_URL"):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env("DATABASE_POOL_MIN_SIZE"),
            "max_size": env("DATABASE_POOL_MAX_SIZE"),
            "timeout": env("DATABASE_CONNECT_TIMEOUT"),
        }
        DATABASES["default"]["OPTIONS"]["connect_timeout"] = env("DATABASE_CONNECT_TIMEOUT")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
# Under ASGI, how many HTTP requests run inside Django at once per process (each on a thread
# of its own; fashionos/asgi_http.py): as many as the pool has connections, so none waits
# for one while it holds a thread. More wait their turn on the event loop.
ASGI_HTTP_THREADS = env("DATABASE_POOL_MAX_SIZE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request bodies: the biggest legitimate JSON body is a batch of 1,000 analytics events or an
# inline list of 10,000 samples; uploads are bounded separately by ASSET_UPLOAD_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ASSET_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# Any request body: the largest legitimate one is an upload with its form fields. Refused on
# Content-Length before it is read, and reading stops here without one (request_body.py).
REQUEST_BODY_MAX_BYTES = ASSET_UPLOAD_MAX_BYTES + 256 * 1024
# /rest/v1 (fashionos/postgrest/): at most REST_MAX_ROWS rows a page (PostgREST's max-rows;
# a request without a bound gets that many, one asking for more is a 400), filters and in.()
# values per request, and bytes and rows per written body (413 beyond).
REST_MAX_ROWS = env("REST_MAX_ROWS")
REST_MAX_FILTERS = env("REST_MAX_FILTERS")
REST_MAX_IN_VALUES = env("REST_MAX_IN_VALUES")
REST_MAX_BODY_BYTES = env("REST_MAX_BODY_BYTES")
REST_MAX_BODY_ROWS = env("REST_MAX_BODY_ROWS")
# Measuring an uploaded image's sharpness and exposure decodes its pixels (JPEGs at reduced
# size): at most this much memory per image, else it is stored unmeasured (its size is read
# from the header). Bounds the work of one upload, API or admin.
ASSET_IMAGE_DECODE_MAX_BYTES = 32 * 1024 * 1024

# --- Channels -------------------------------------------------------------------------------
# Realtime fan-out (fashionos/realtime/hub.py) sends one message per change to its campaign's
# group; each server process has one member of the groups it needs (its hub), which writes to
# its own sockets. Redis pub/sub suits that: a change is one PUBLISH that Redis pushes once to
# each subscribed process, with no per-channel queue in Redis to overflow ("over capacity")
# and no group membership that expires under a long-lived hub (RedisChannelLayer drops
# members after group_expiry, 24 h by default). What pub/sub gives up, buffering while a
# process is disconnected, realtime does not use: a change is live or it is gone.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Redis pub/sub channels are server-wide, not per database: the database number of
    # REDIS_URL goes into the channel prefix, so two deployments (or a deployment and its
    # tests) sharing one Redis server on different databases never hear each other's changes.
    _redis_db = urlsplit(REDIS_URL).path.strip("/") or "0"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # Fail fast when Redis is unreachable; the publisher bounds each send
                        # and never fails a committed write.
                        "socket_connect_timeout": 2,
                        "socket_keepalive": True,
                        # Ping idle subscriber connections so a dead one is noticed and
                        # re-established (redis-py resubscribes on reconnect).
                        "health_check_interval": 15,
                    }
                ],
                "prefix": f"fashionos:{_redis_db}",
            },
        }
    }
else:
    # One process: its hub's channel gets one or two messages per change (not one per
    # subscriber), so this capacity is how many changes may wait while the hub is busy:
    # about eight minutes of the budget's 10 changes/s (20 messages/s) before any is dropped.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 10_000, "expiry": 60},
        }
    }

# --- Cache: throttle counters. Per process by default; CACHE_URL=redis://host:6379/1 shares
# them between processes (use a Redis database apart from the channel layer's). --------------
CACHES = {"default": env.cache_url("CACHE_URL")}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "fashionos.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bounded JSON and URL-encoded forms only: multipart (uploads) is taken by the asset
    # endpoints alone, with their own bound, so nowhere else can a file part reach the disk.
    "DEFAULT_PARSER_CLASSES": [
        "fashionos.api.parsers.BoundedJSONParser",
        "fashionos.api.parsers.BoundedFormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "fashionos.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "fashionos.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "chat": env("CHAT_THROTTLE_RATE"),
        "analyzer": env("ANALYZER_THROTTLE_RATE"),
        "auth": env("AUTH_THROTTLE_RATE"),
        # The admin's sign-in form (fashionos/accounts/login_throttle.py): attempts per
        # client address, and failed attempts per account from any address.
        "admin_login": env("ADMIN_LOGIN_THROTTLE_RATE"),
        "admin_login_account": env("ADMIN_LOGIN_ACCOUNT_THROTTLE_RATE"),
        # POST /realtime/v1/api/broadcast, per caller.
        "realtime_broadcast": env("REALTIME_BROADCAST_THROTTLE_RATE"),
    },
    "UNAUTHENTICATED_USER": None,
    # Throttles key anonymous callers by address. 0 trusts no X-Forwarded-For (a client could
    # forge it to dodge the sign-in throttle); behind N proxies that set it, use N.
    "NUM_PROXIES": env("NUM_PROXIES"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "FashionOS Assistant API",
    "DESCRIPTION": "Campaigns, samples, tasks, assets, the assistant and its analyzers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's Swagger UI and Redoc assets are served from this project's static files
    # (drf-spectacular-sidecar), never loaded from a CDN onto the API's own origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # ...and one name per component for generated clients (`ChatRequest`, not
    # `ChatRequestRequest`: fashionos/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fashionos.api.schema.single_name_components",
    ],
    # Several tables have a `status` (and kits appear under several names): one enum each.
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "logistics.models.Campaign.Status",
        "SampleStatusEnum": "logistics.models.SampleStatus",
        "TaskStatusEnum": "logistics.models.TaskStatus",
        "AssetStatusEnum": "logistics.models.AssetStatus",
        "AssetKindEnum": "logistics.models.AssetKind",
        "CampaignRoleEnum": "logistics.models.CampaignRole",
        "KitEnum": "fashionos.kits.KIT_CHOICES",
    },
}

# --- Accounts: sign-up, e-mail confirmation, recovery (GoTrue's account calls) ----------------
# Sign-up open and confirmed at once by default, so `make run` signs a new user straight in.
AUTH_SIGNUP_ENABLED = env("AUTH_SIGNUP_ENABLED")
AUTH_EMAIL_CONFIRM = env("AUTH_EMAIL_CONFIRM")
# Where the links in e-mails land once verified (GoTrue's SITE_URL), and the other addresses a
# client may ask for with `redirect_to` (prefixes; anything else falls back to the site URL).
AUTH_SITE_URL = env("AUTH_SITE_URL")
AUTH_REDIRECT_URLS = env("AUTH_REDIRECT_URLS")
AUTH_OTP_LIFETIME = timedelta(seconds=env("AUTH_OTP_LIFETIME_SECONDS"))
AUTH_EMAIL_MIN_INTERVAL = timedelta(seconds=env("AUTH_EMAIL_MIN_INTERVAL_SECONDS"))

# --- E-mail: printed to the console by default; EMAIL_URL=smtp+tls://user:password@host:587
# sends through SMTP (django-environ's e-mail URL). ---------------------------------------------
_email = env.email_url("EMAIL_URL")
if "EMAIL_FILE_PATH" in _email:
    # django-environ drops the leading "/" of filemail:///absolute/dir.
    _email["EMAIL_FILE_PATH"] = urlsplit(env("EMAIL_URL")).path
globals().update(_email)  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ...
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

# --- Tokens (Supabase-shaped JWTs) ----------------------------------------------------------
JWT = {
    # Tokens are signed with their own secret when one is set, else derived from SECRET_KEY.
    "SECRET": env("JWT_SECRET") or SECRET_KEY,
    "ALGORITHM": "HS256",
    "AUDIENCE": "authenticated",
    "ISSUER": env("JWT_ISSUER"),
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env("JWT_ACCESS_TOKEN_LIFETIME_SECONDS")),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env("JWT_REFRESH_TOKEN_LIFETIME_DAYS")),
}

# --- CORS: the headers supabase-js sends ----------------------------------------------------
CORS_ALLOWED_ORIGINS = env("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-profile",
    "authorization",
    "apikey",
    "content-profile",
    "content-type",
    "prefer",
    "range",
    "range-unit",
    "x-client-info",
    "x-csrftoken",
    "x-requested-with",
    "x-retry-count",
    "x-supabase-api-version",
    "x-request-id",
]
# What a browser's script may read: the chat says X-Conversation-Logged: false when a turn was
# answered but not logged, a 429 says when to retry, and /rest/v1 gives counts
# (Content-Range), applied preferences and the Location of an inserted row as PostgREST does.
CORS_EXPOSE_HEADERS = [
    "x-request-id",
    "content-range",
    "retry-after",
    "x-conversation-logged",
    "preference-applied",
    "location",
]

# --- Production hardening (effective when DEBUG is off) -------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # X-Forwarded-Proto is believed only from a proxy we were told about: with none in front,
    # any client could send it and pass for HTTPS.
    if env("NUM_PROXIES") > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    # Probes call the process directly over plain HTTP; a redirect would read as a failure.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0)
    # Only sent when SECURE_HSTS_SECONDS is set; turn off for a domain with HTTP-only subdomains.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# One line per HTTP request, written by fashionos.request_log (INFO, WARNING for a 4xx, ERROR
# for a 5xx), and nothing that repeats it: Django's own console handler (which prints every
# django.* record a second time under DEBUG), its "Not Found:"/"Bad Request:" echo of each
# error response (an uncaught exception's traceback is kept), and the servers' access lines
# (runserver's, uvicorn's; daphne's command line needs `-v 0`, gunicorn writes none unless
# asked).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "once_per_minute": {"()": "fashionos.log_throttle.RepeatedRecordFilter"},
        "exceptions_only": {"()": "fashionos.request_log.ExceptionsOnlyFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["exceptions_only"]},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.channels.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # While Redis or the database is away these would log every second or every probe.
        "channels_redis.pubsub": {"filters": ["once_per_minute"]},
        "fashionos.health": {"filters": ["once_per_minute"]},
    },
}
