"""Small moves on simulated phones that several page tests make."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from nicegui.testing import User

T = TypeVar('T')


def pick_grade(user: User, grade: str) -> None:
    """Tap a grade on the A/B/C/D toggle (the simulated user clicks radios, not toggles)."""
    for toggle in user.find(marker='grade').elements:
        toggle.set_value(grade)  # type: ignore[attr-defined]


async def until(read: Callable[[], T], *, tries: int = 100) -> T:
    """`read()` every 50 ms until it gives something true (what a page's task commits a moment after a tap), at
    most `tries` times; its last value."""
    value = read()
    for _ in range(tries - 1):
        if value:
            break
        await asyncio.sleep(0.05)
        value = read()
    return value
