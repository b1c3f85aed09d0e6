"""Half-up rounding, the way people round (12.5 → 13), never Python's banker's `round`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent_half_up(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percentage, rounded half up, in exact integer arithmetic.

    1 of 8 → 13, 3 of 8 → 38, 1 of 200 → 1. Refuses `whole <= 0` (there is no percentage of
    nothing; callers decide what an empty input means) and a negative `part`.
    """
    if whole <= 0:
        raise ValueError("whole must be positive")
    if part < 0:
        raise ValueError("part must not be negative")
    # floor(100 * part / whole + 1/2) == floor((200 * part + whole) / (2 * whole))
    return (200 * part + whole) // (2 * whole)


def half_up(value: float, places: int = 0) -> float:
    """`value` rounded half up to `places` decimals, reading the float as printed (2.675 → 2.68)."""
    exponent = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP))


def half_up_int(value: float) -> int:
    """`value` rounded half up to a whole number (0.5 → 1, 2.5 → 3, -0.5 → -1)."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
