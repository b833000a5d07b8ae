"""One demo server and one Chromium for the whole run; a fresh phone-sized browser context per test.

Run on their own: `.venv/bin/python -m pytest tests/e2e` (a sync Playwright session breaks async
`user` tests that run after it in the same process). Set ANCHANG_E2E_SHOTS=<dir> to keep screenshots.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from bench.harness import AppServer, launch_chromium

DEMO_PASSWORD = 'anchang-demo'
TIMEOUT_MS = 10_000
PHONE: dict[str, Any] = {
    'viewport': {'width': 390, 'height': 844},
    'device_scale_factor': 3,
    'is_mobile': True,
    'has_touch': True,
    'locale': 'zh-CN',
    'timezone_id': 'Asia/Shanghai',
    'service_workers': 'allow',
}
NARROW_PHONE = {**PHONE, 'viewport': {'width': 360, 'height': 740}}
SHOTS = os.environ.get('ANCHANG_E2E_SHOTS', '')


@pytest.fixture(autouse=True)
def app_environment() -> None:
    """Replaces tests/conftest.py's fixture of this name: the app runs in a subprocess with its own data folder."""


@pytest.fixture(scope='session')
def server() -> Iterator[AppServer]:
    """The app with the demo site loaded (three months of history: give it time), on a free port, for the run."""
    with AppServer(['demo'], timeout=120.0) as app:
        yield app


@pytest.fixture(scope='session')
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope='session')
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright)
    expect.set_options(timeout=TIMEOUT_MS)
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser: Browser, server: AppServer, playwright: Playwright) -> Iterator[Callable[..., BrowserContext]]:
    """Makes fresh browser contexts (phone-sized unless told otherwise); all closed after the test."""
    contexts: list[BrowserContext] = []
    user_agent = playwright.devices['Pixel 7']['user_agent']

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=server.base_url, user_agent=user_agent, **{**PHONE, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh phone-sized context: no cookies, no service worker yet."""
    return new_context().new_page()


def log_in(page: Page, login: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and send the login form on the current page (opening /login first if needed)."""
    if '/login' not in page.url:
        page.goto('/login')
    page.get_by_label('手机号或用户名').fill(login)
    page.get_by_label('密码', exact=True).fill(password)
    page.get_by_role('button', name='登录', exact=True).click()


def log_in_home(page: Page, login: str, name: str) -> None:
    """Log in and wait for the greeting of `name` on the landing page (首页; 轮序 for a salesperson)."""
    log_in(page, login)
    expect(page).to_have_url(re.compile(r'/(rotation)?$'))
    expect(page.get_by_text(f'{name}，您好')).to_be_visible()


def nav_labels(page: Page) -> list[str]:
    """The entries of the bottom navigation bar, in order."""
    nav = page.locator('footer').get_by_role('link')
    expect(nav.first).to_be_visible()
    return [link.get_attribute('aria-label') or '' for link in nav.all()]


def shot(page: Page, name: str) -> None:
    """Save a screenshot when ANCHANG_E2E_SHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f'{name}.png'), full_page=True)
