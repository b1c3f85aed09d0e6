"""Small pieces of human wording shared by the assistant's words and skills: durations, counts
and name lists."""

from __future__ import annotations

from collections.abc import Sequence

NAMES_SHOWN = 5  # a message names at most this many things, then says "and N more"


def format_minutes(minutes: int) -> str:
    """A duration as people write it: "0min", "45min", "2h", "2h 5min", "1d 3h", "1d 10min".

    Negative durations are refused; callers say "overdue by …" themselves.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{value}{unit}" for value, unit in ((days, "d"), (hours, "h"), (mins, "min")) if value
    ]
    return " ".join(parts) or "0min"


def noun(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word alone, agreeing with `count`: "sample" or "samples"."""
    return singular if count == 1 else (plural_form or singular + "s")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and the word: "1 sample", "3 samples"."""
    return f"{count} {noun(count, singular, plural_form)}"


def name_list(names: Sequence[str], limit: int = NAMES_SHOWN, *, total: int | None = None) -> str:
    """ "A", "A and B", "A, B and C", "A, B, C, D, E and 3 more".

    `total` is how many things there are when `names` holds only the first of them, so a
    caller with 10,000 samples formats five names, not 10,000.
    """
    if not names:
        return ""
    shown = list(names[:limit])
    hidden = (len(names) if total is None else total) - len(shown)
    if hidden > 0:
        return ", ".join(shown) + f" and {hidden} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]
