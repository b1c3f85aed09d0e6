"""The insight cache (assistant_insights), DESIGN.md section 8.

The key is a SHA-256 digest of the analysis type, the algorithm version and the WHOLE
canonical input (the original keyed on the first 50 characters of the input, so two different
sample lists could share an answer). For a campaign, the input includes the campaign's
`revision`, which every write to its samples, tasks or assets bumps: a change makes the old
entries unreachable. Entries expire after an hour; a hit increments `cache_hit_count` in the
database (atomic under concurrent requests); a miss upserts, so concurrent misses never
duplicate an entry. An answer larger than INSIGHT_MAX_BYTES (as JSON) is returned but not
stored: a row only the purge command removes must not be megabytes an inline request chose.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from assistant.models import Insight

INSIGHT_TTL = timedelta(hours=1)
# The largest answer stored. A campaign's full analysis of 2,000 assets is about 1 MB; an
# inline request of 2,000 assets x 200 channels stored 5.4 MB before this bound.
INSIGHT_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CacheResult:
    data: dict[str, Any]
    cached: bool


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "hex") and not isinstance(value, bytes | bytearray):
        return str(value)  # UUIDs
    raise TypeError(f"cannot make a cache key from {type(value).__name__}")


def insight_key(*, insight_type: str, version: str, payload: Any) -> str:
    """The cache key: a digest of the type, the algorithm version and the whole input,
    serialised canonically (sorted keys, no whitespace)."""
    canonical = json.dumps(
        {"type": insight_type, "version": version, "input": payload},
        sort_keys=True,
        separators=(",", ":"),
        default=_default,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hit_sql() -> str:
    table = connection.ops.quote_name(Insight._meta.db_table)
    names = ("user", "insight_type", "context_id", "expires_at", "cache_hit_count", "data")
    column = {
        name: connection.ops.quote_name(Insight._meta.get_field(name).column) for name in names
    }
    return (
        f"UPDATE {table} SET {column['cache_hit_count']} = {column['cache_hit_count']} + 1 "
        f"WHERE {column['user']} = %s AND {column['insight_type']} = %s "
        f"AND {column['context_id']} = %s AND {column['expires_at']} > %s "
        f"RETURNING {column['data']}"
    )


def insight_lookup(*, user, insight_type: str, context_id: str) -> dict[str, Any] | None:
    """A live entry's data, counting the hit; None on a miss or an expired entry. One
    statement: the increment returns the entry it counted (`UPDATE ... RETURNING`)."""
    field = Insight._meta.get_field
    params = [
        field("user").get_db_prep_value(user.pk, connection),
        insight_type,
        context_id,
        field("expires_at").get_db_prep_value(timezone.now(), connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_hit_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    return field("data").from_db_value(row[0], None, connection)


def insight_store(*, user, insight_type: str, context_id: str, data: dict[str, Any]) -> None:
    """Insert or replace the entry for this key (one upsert statement)."""
    now = timezone.now()
    Insight.objects.bulk_create(
        [
            Insight(
                user=user,
                insight_type=insight_type,
                context_id=context_id,
                data=data,
                calculated_at=now,
                expires_at=now + INSIGHT_TTL,
                cache_hit_count=0,
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "insight_type", "context_id"],
        update_fields=["data", "calculated_at", "expires_at", "cache_hit_count"],
    )


def insight_cached(
    *,
    user,
    insight_type: str,
    version: str,
    payload: Any,
    compute: Callable[[], dict[str, Any]],
) -> CacheResult:
    """Answer from the cache or compute and store. Callers without a user row (the service
    role) are computed every time: the table's user column cannot be empty."""
    if getattr(user, "pk", None) is None:
        return CacheResult(compute(), cached=False)
    key = insight_key(insight_type=insight_type, version=version, payload=payload)
    hit = insight_lookup(user=user, insight_type=insight_type, context_id=key)
    if hit is not None:
        return CacheResult(hit, cached=True)
    data = compute()
    if insight_size(data) <= INSIGHT_MAX_BYTES:
        insight_store(user=user, insight_type=insight_type, context_id=key, data=data)
    return CacheResult(data, cached=False)


def insight_size(data: dict[str, Any]) -> int:
    """The size of an answer as stored (compact JSON, UTF-8), in bytes."""
    return len(json.dumps(data, separators=(",", ":"), default=_default).encode())


def insights_purge(*, now: datetime | None = None, batch_size: int = 5000) -> int:
    """Delete expired entries in batches; return how many were deleted."""
    now = now or timezone.now()
    deleted = 0
    while True:
        ids = list(
            Insight.objects.filter(expires_at__lte=now).values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        deleted += Insight.objects.filter(id__in=ids).delete()[0]
