"""Small numbers are hidden wherever figures leave the people who recorded them.

A count of one to four young people in a cell (a gender and an age band, say) could point at a
person, so it is shown as "<5". Zero stays zero: nobody is there to be recognised.
"""

from __future__ import annotations

SMALL_NUMBER = 5


def suppress(value: int) -> int | str:
    """`value`, or "<5" when it is small enough to point at a person."""
    if 0 < value < SMALL_NUMBER:
        return f"<{SMALL_NUMBER}"
    return value
