"""The sign-in session behind a token, cached per process and revoked across processes at once.

Every authenticated request needs the token's session (open) and its user (active). Reading
them from the database costs a query and its compilation on every request; this module keeps
what that query returned in the process, keyed by (session, user), and checks it against the
user's *auth version*: a random value in Redis (`REDIS_URL`) that every change to the user's
sign-in state replaces. One Redis GET per request then stands for the query, and a change made
by any process ends every process's cached copy on its next request:

- signing out, a refresh token used twice, an admin revoking sessions, a user saved (password
  changed, deactivated, made staff) or deleted, a session saved or deleted all call
  `auth_state_changed(user_id)` (the services and the admin explicitly; saves and deletes of
  `User` and `AuthSession` through the receivers below), which replaces the version at once
  and again once the transaction commits: a request that read the old version and then the
  not-yet-committed row cannot keep it past the commit;
- the version is read *before* the row, so an entry is only ever stored under a version that
  was current when its row was read; a missing version (Redis flushed) is a version too, and
  any later change replaces it with a new random one, never with an old value;
- without Redis (no `REDIS_URL`), or when Redis does not answer, nothing is cached: every
  request reads the database, as before. A process-local cache alone could not be revoked
  from another process.

A write that bypasses the services and the model's save (a raw `UPDATE` of `revoked_at`) must
call `auth_state_changed` itself.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import transaction

from fashionos.accounts.models import User

logger = logging.getLogger(__name__)

KEY_PREFIX = "fashionos:auth-version:"
# Bounds of the process-local cache: entries are dropped after this long whatever the version
# says, and the whole cache is emptied when it holds this many.
ENTRY_SECONDS = 300
MAX_ENTRIES = 10_000
# After Redis fails to answer, the cache is bypassed (database reads) this long before Redis
# is tried again, so an outage costs one timeout, not one per request.
REDIS_TIMEOUT_SECONDS = 0.5
REDIS_RETRY_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class _Entry:
    version: bytes | None
    db: str
    field_names: tuple[str, ...]
    values: tuple
    stored_at: float


_entries: dict[tuple[uuid.UUID, uuid.UUID], _Entry] = {}
_client_lock = threading.Lock()
_client: redis.Redis | None = None
_client_url = ""
_redis_down_until = 0.0


def _redis() -> redis.Redis | None:
    """The Redis client for REDIS_URL (one per process, thread-safe), or None without Redis or
    while it is considered down."""
    global _client, _client_url
    url = settings.REDIS_URL
    if not url or time.monotonic() < _redis_down_until:
        return None
    if _client is None or _client_url != url:
        with _client_lock:
            _client = redis.Redis.from_url(
                url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            _client_url = url
    return _client


def _redis_failed(exc: Exception) -> None:
    global _redis_down_until
    _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
    logger.warning("auth version store unavailable, reading sessions from the database: %s", exc)


def _version_key(user_id) -> str:
    return f"{KEY_PREFIX}{user_id}"


def _version_replace(user_id) -> None:
    client = _redis()
    if client is None:
        return
    try:
        client.set(_version_key(user_id), secrets.token_bytes(12))
    except redis.RedisError as exc:
        # Nothing cached can be trusted while a revocation may have been missed.
        _entries.clear()
        _redis_failed(exc)


def auth_state_changed(user_id) -> None:
    """End every process's cached sign-in state of `user_id`: now, and again once the current
    transaction commits (at once outside a transaction)."""
    _entries_of_user_drop(user_id)
    _version_replace(user_id)
    transaction.on_commit(lambda: _version_replace(user_id))


def _entries_of_user_drop(user_id) -> None:
    # list() copies the keys in one step: other threads may add entries meanwhile.
    for key in [key for key in list(_entries) if str(key[1]) == str(user_id)]:
        _entries.pop(key, None)


def session_user_cached(
    *, session_id: uuid.UUID, user_id: uuid.UUID, load: Callable[[], User | None]
) -> User | None:
    """The user `load()` returns for this (session, user), from the process cache when the
    user's auth version is unchanged since it was stored. `load()` reads the database and
    returns the user (a fresh instance) or None; None is never cached. Each call returns its
    own `User` instance, so no request sees another's changes to it."""
    client = _redis()
    if client is None:
        return load()
    try:
        version = client.get(_version_key(user_id))
    except redis.RedisError as exc:
        _redis_failed(exc)
        return load()
    key = (session_id, user_id)
    entry = _entries.get(key)
    now = time.monotonic()
    if entry is not None and entry.version == version and now - entry.stored_at < ENTRY_SECONDS:
        return _user_build(entry)
    user = load()
    if user is None:
        _entries.pop(key, None)
        return None
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    field_names = tuple(field.attname for field in user._meta.concrete_fields)
    values = tuple(getattr(user, name) for name in field_names)
    _entries[key] = _Entry(version, user._state.db, field_names, values, now)
    return user


def _user_build(entry: _Entry) -> User:
    return User.from_db(entry.db, entry.field_names, entry.values)


def cache_clear() -> None:
    """Forget every cached session of this process (tests)."""
    _entries.clear()


# --- Receivers (connected in AccountsConfig.ready()) --------------------------------------------


def user_saved_or_deleted(sender, instance, **kwargs) -> None:
    auth_state_changed(instance.pk)


def session_saved_or_deleted(sender, instance, **kwargs) -> None:
    auth_state_changed(instance.user_id)
