"""Logging in and out as each role, the bottom navigation, and the layout at phone width."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import NARROW_PHONE, log_in, log_in_home, nav_labels, shot

ROLES = [  # login, name shown, bottom navigation
    pytest.param('demoadmin', '集团演示管理员', ['首页', '投诉', '员工', '项目', '我的'], id='admin'),
    pytest.param('13800000001', '王静', ['首页', '轮序', '客户', '员工', '我的'], id='manager-by-phone'),
    pytest.param('manager', '王静', ['首页', '轮序', '客户', '员工', '我的'], id='manager'),
    pytest.param('lina', '李娜', ['首页', '轮序', '客户', '追访', '我的'], id='salesperson'),
]


@pytest.mark.parametrize(('login', 'name', 'nav'), ROLES)
def test_each_role_logs_in_and_sees_its_navigation(page: Page, login: str, name: str, nav: list[str]) -> None:
    log_in_home(page, login, name)
    assert nav_labels(page) == nav
    shot(page, f'home-{login}')


def test_wrong_password_is_refused_and_stays_on_login(page: Page) -> None:
    log_in(page, 'manager', 'not-the-password')
    expect(page.get_by_text('账号或密码错误')).to_be_visible()
    expect(page).to_have_url(re.compile(r'/login'))
    page.goto('/')
    expect(page).to_have_url(re.compile(r'/login\?next=(%2F|/)$'))


def test_logout_returns_to_login_and_staff_pages_then_redirect(page: Page) -> None:
    log_in_home(page, 'lina', '李娜')
    page.locator('footer').get_by_role('link', name='我的').click()
    expect(page).to_have_url(re.compile(r'/me$'))
    shot(page, 'me-lina')
    page.get_by_role('button', name='退出登录').click()
    expect(page).to_have_url(re.compile(r'/login$'))
    page.goto('/me')
    expect(page).to_have_url(re.compile(r'/login\?next=(%2F|/)me$'))
    expect(page.get_by_role('button', name='登录', exact=True)).to_be_visible()


def test_login_returns_to_the_page_asked_for(page: Page) -> None:
    page.goto('/staff')
    expect(page).to_have_url(re.compile(r'/login\?next=(%2F|/)staff$'))
    log_in(page, 'manager')
    expect(page).to_have_url(re.compile(r'/staff$'))
    expect(page.get_by_text('李娜').first).to_be_visible()
    shot(page, 'staff-manager')


def test_salesperson_cannot_open_the_staff_page(page: Page) -> None:
    log_in_home(page, 'zhangwei', '张伟')
    page.goto('/staff')
    expect(page.get_by_text('您的角色无权打开此页面')).to_be_visible()
    expect(page.get_by_text('13800000011')).to_have_count(0)


@pytest.mark.parametrize('path', ['/', '/staff', '/me'])
def test_no_sideways_scroll_at_360px_after_login(new_context: Callable[..., BrowserContext], path: str) -> None:
    page = new_context(**NARROW_PHONE).new_page()
    log_in_home(page, 'manager', '王静')
    page.goto(path)
    expect(page.locator('footer')).to_be_visible()
    assert scroll_width(page) <= 360
    shot(page, 'narrow-' + (path.strip('/') or 'home'))


def test_no_sideways_scroll_at_360px_on_login(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(**NARROW_PHONE).new_page()
    page.goto('/login')
    expect(page.get_by_role('button', name='登录', exact=True)).to_be_visible()
    assert scroll_width(page) <= 360
    shot(page, 'narrow-login')


def scroll_width(page: Page) -> int:
    """How wide the document is; more than the viewport means the page scrolls sideways."""
    return int(page.evaluate('document.documentElement.scrollWidth'))
