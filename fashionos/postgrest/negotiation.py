"""The request headers PostgREST reads: `Prefer` (return, count, resolution, missing),
`Range`/`Range-Unit`, `Accept` (a list, `.single()`'s object, `nulls=stripped`) and the
schema headers (`Accept-Profile`/`Content-Profile`, `public` only). Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fashionos.postgrest.errors import (
    MSG_NOT_ACCEPTABLE,
    MSG_SCHEMA,
    MSG_SCHEMA_HINT,
    PostgrestError,
)

OBJECT_MEDIA = "application/vnd.pgrst.object+json"
ARRAY_MEDIA = "application/vnd.pgrst.array+json"
JSON_MEDIA = "application/json"
_RANGE = re.compile(r"^\s*(\d+)-(\d*)\s*$")
_RETURNS = frozenset({"minimal", "representation", "headers-only"})
_COUNTS = frozenset({"exact", "planned", "estimated"})
_RESOLUTIONS = frozenset({"merge-duplicates", "ignore-duplicates"})


@dataclass(frozen=True, slots=True)
class Preferences:
    """`Prefer`: what PostgREST applies of it (unknown or malformed preferences are
    ignored, as PostgREST's default lenient handling does)."""

    returning: str | None = None
    count: str | None = None
    resolution: str | None = None
    missing_default: bool = False

    def applied(self) -> str:
        """The `Preference-Applied` header's value (empty when none applies)."""
        parts = []
        if self.resolution:
            parts.append(f"resolution={self.resolution}")
        if self.missing_default:
            parts.append("missing=default")
        if self.returning:
            parts.append(f"return={self.returning}")
        if self.count:
            parts.append(f"count={self.count}")
        return ", ".join(parts)


def preferences_parse(header: str) -> Preferences:
    values: dict[str, str] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        values.setdefault(key.strip().lower(), value.strip().lower())
    returning = values.get("return")
    count = values.get("count")
    resolution = values.get("resolution")
    return Preferences(
        returning=returning if returning in _RETURNS else None,
        count=count if count in _COUNTS else None,
        resolution=resolution if resolution in _RESOLUTIONS else None,
        missing_default=values.get("missing") == "default",
    )


def range_parse(header: str | None) -> tuple[int, int | None] | None:
    """`Range: 0-9` as (first, last); `10-` as (10, None); anything else None (PostgREST
    ignores a malformed Range)."""
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else None
    return first, last


@dataclass(frozen=True, slots=True)
class Representation:
    """How to render rows: a list or one object, nulls kept or stripped."""

    single: bool = False
    strip_nulls: bool = False


def accept_parse(header: str | None) -> Representation:
    """The first acceptable media type of `Accept`; 406 PGRST107 when none is served."""
    if not header or not header.strip():
        return Representation()
    offered = []
    for raw in header.split(","):
        media, *params = [piece.strip() for piece in raw.split(";")]
        media = media.lower()
        offered.append(media)
        strip = any(param.replace(" ", "").lower() == "nulls=stripped" for param in params)
        if media == OBJECT_MEDIA:
            return Representation(single=True, strip_nulls=strip)
        if media in (ARRAY_MEDIA, JSON_MEDIA, "application/*", "*/*"):
            return Representation(strip_nulls=strip and media == ARRAY_MEDIA)
    raise PostgrestError(406, "PGRST107", MSG_NOT_ACCEPTABLE.format(types=", ".join(offered)))


def schema_check(profile: str | None) -> None:
    """Only the `public` schema is served (PGRST106 otherwise, as PostgREST answers for a
    schema it does not expose)."""
    if profile and profile.strip() != "public":
        raise PostgrestError(
            406, "PGRST106", MSG_SCHEMA.format(schema=profile.strip()), hint=MSG_SCHEMA_HINT
        )
