"""What staff type stays on the phone until it is saved: a reload (as after a server restart) brings it back."""

from __future__ import annotations

import re
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


def test_the_weekly_minutes_being_written_survive_a_reload_until_saved(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    log_in_home(page, 'manager', '王静')
    page.goto('/reports/minutes')
    page.get_by_role('button', name='召开本周例会').click()
    expect(page).to_have_url(re.compile(r'/reports/minutes/\d+$'))
    notes = page.get_by_label('会议意见').nth(1)
    notes.fill('统一说词：地铁 2028 年通车')
    page.wait_for_timeout(300)
    page.reload()  # what a crash and the page's own recovery do
    expect(page.get_by_label('会议意见').nth(1)).to_have_value('统一说词：地铁 2028 年通车')
    expect(page.get_by_text('已恢复上次未保存的内容')).to_be_visible()
    page.get_by_role('button', name='保存', exact=True).click()
    expect(page.get_by_text('已保存')).to_be_visible()
    page.wait_for_function('!Object.keys(localStorage).some(k => k.startsWith("ac-draft:minutes-"))')
    page.reload()
    expect(page.get_by_label('会议意见').nth(1)).to_have_value('统一说词：地铁 2028 年通车')  # saved, no draft needed


def test_an_edited_prefilled_morning_point_comes_back_but_never_over_newer_notes(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    log_in_home(page, 'manager', '王静')
    page.goto('/reports/morning')
    focus = page.locator('.q-card').filter(has_text='可比楼盘销售动态').locator('textarea')
    expect(focus).not_to_have_value('')  # pre-filled with the competitors' news
    drawn = focus.input_value()
    focus.fill(drawn + '\n再约陈先生周六看房')
    page.wait_for_timeout(300)
    page.reload()
    expect(focus).to_have_value(drawn + '\n再约陈先生周六看房')  # typed over what the server drew: it comes back
    expect(page.get_by_text('已恢复上次未保存的内容')).to_be_visible()
    other = new_context().new_page()  # the duty officer's phone, say, saves the notes meanwhile
    log_in_home(other, 'manager', '王静')
    other.goto('/reports/morning')
    theirs = other.locator('.q-card').filter(has_text='可比楼盘销售动态').locator('textarea')
    theirs.fill('以此为准')
    other.get_by_role('button', name='保存晨会记录').click()
    expect(other.get_by_text('已保存')).to_be_visible()
    page.reload()
    expect(focus).to_have_value('以此为准')  # the draft never goes over what was saved since
