"""Settings of the bare DRF app the HTTP benchmark measures as its floor (bench/bare/app.py).

As little as DRF needs: no middleware, no authentication, no permissions, no throttles, the
JSON renderer alone; the same database as the project, through the same connection pool, so
the floor differs from the project only in what the project does per request.
"""

import environ

env = environ.Env(
    DATABASE_POOL_MIN_SIZE=(int, 2),
    DATABASE_POOL_MAX_SIZE=(int, 8),
    DATABASE_CONNECT_TIMEOUT=(int, 5),
)

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.bare.app"
INSTALLED_APPS = ["rest_framework"]
MIDDLEWARE: list[str] = []
USE_TZ = True

DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["OPTIONS"] = {
    "pool": {
        "min_size": env("DATABASE_POOL_MIN_SIZE"),
        "max_size": env("DATABASE_POOL_MAX_SIZE"),
        "timeout": env("DATABASE_CONNECT_TIMEOUT"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
