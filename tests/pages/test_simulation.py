"""The page tests' two-phone simulation (tests/conftest.py): a page's navigation and notices reach the phone that page
is open on, whichever phone the test or the server touched last."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User


async def test_a_pages_navigation_and_notice_reach_its_own_phone_not_the_one_touched_last(
    user: User, create_user: Callable[[], User]
) -> None:
    other = create_user()
    page = await user.open('/login')
    await other.open('/login')
    assert other.back_history == ['/login']  # the other phone is touched last
    with page:
        ui.notify('已保存')
        ui.navigate.to('/login')
    assert user.notify.messages == ['已保存'] and other.notify.messages == []
    for _ in range(50):
        if len(user.back_history) == 2:
            break
        await asyncio.sleep(0.1)
    assert user.back_history == ['/login', '/login'] and other.back_history == ['/login']
