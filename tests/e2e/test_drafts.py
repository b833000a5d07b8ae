"""What staff type stays on the phone until it is saved: a reload (as after a server restart) brings it back."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from .conftest import log_in_home


def test_a_half_typed_complaint_survives_a_reload(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    log_in_home(page, 'lina', '李娜')
    page.goto('/complaints/new')
    what = page.get_by_label('发生了什么')
    what.fill('客户反映样板间空调不制冷')
    page.wait_for_timeout(300)
    page.reload()  # what a crash and the page's own recovery do
    expect(page.get_by_label('发生了什么')).to_have_value('客户反映样板间空调不制冷')
    expect(page.get_by_text('已恢复上次未保存的内容')).to_be_visible()
    assert page.evaluate('Object.keys(localStorage).some(k => k.startsWith("ac-draft:complaint-"))')
