import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings

from fashionos.log_throttle import RepeatedRecordFilter
from fashionos.testing.factories import UserFactory
from fashionos.testing.skip_summary import pytest_terminal_summary  # noqa: F401  (the hook)
from logistics.tests.people import Cast, cast_create


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    """Tests run with DEBUG off, where the settings pick whitenoise's manifest storage: without
    a `collectstatic` run every admin page would fail on its first `{% static %}`. A fast
    password hasher keeps the many sign-ins of the suite cheap."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        STORAGES=storages,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_log_throttle():
    """Repeated log records pass once a minute (fashionos/log_throttle.py): start every test
    as a fresh process would, so a case that expects a warning is not silenced by another."""
    for name in settings.LOGGING.get("loggers", {}):
        for log_filter in logging.getLogger(name).filters:
            if isinstance(log_filter, RepeatedRecordFilter):
                log_filter.reset()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The throttles count requests in the cache: start every test with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db) -> Cast:
    """A campaign with owner, editor and viewer; an outsider with a campaign of their own; a
    staff admin. `cast.client(role)` gives an authenticated API client for any role."""
    return cast_create()


@pytest.fixture
def staff_client(db) -> Client:
    """A browser signed in to the back office as a superuser."""
    client = Client()
    client.force_login(UserFactory(email="staff@example.com", is_staff=True, is_superuser=True))
    return client
