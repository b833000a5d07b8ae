"""One demo server and one Chromium for the whole run; a fresh phone-sized browser context per test.

Run on their own: `.venv/bin/python -m pytest tests/e2e` (a sync Playwright session breaks async
`user` tests that run after it in the same process). Set ANCHANG_E2E_SHOTS=<dir> to keep screenshots.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Frame,
    Page,
    Playwright,
    Request,
    WebSocket,
    expect,
    sync_playwright,
)

from bench.harness import AppServer, launch_chromium

DEMO_PASSWORD = 'anchang-demo'
TIMEOUT_MS = 20_000
"""Playwright's wait for anything. It was 10 s: on the 2-core machine, with two browsers and their servers, a
navigation after a tap (log in, a link, 召开本周例会) now and then took longer (CI's last run, twice; one run in eight
here); the cause is not found. A failure shows the pages' requests, console and what they did in the 10 s after
(pytest_runtest_makereport), and the end of the servers' output: the next one can be read, not guessed."""
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
SERVER_LINES = 40  # of each app server's output, shown with a failure
_browser_log: list[str] = []  # what the pages of the running test did: shown with its failure
_pages: list[Page] = []  # the running test's pages
ASKED = ('document', 'xhr', 'fetch', 'image', 'other')  # the requests logged
AFTER_FAILURE_MS = 10_000  # how long a failed test's pages are watched on: a late answer, or none at all


def _watch(context: BrowserContext) -> None:
    """Log the console, page errors and main-frame navigations of every page of `context`."""

    def note(line: str) -> None:
        _browser_log.append(f'{time.strftime("%H:%M:%S")}.{int(time.time() * 1000) % 1000:03d} {line}')

    def on_page(page: Page) -> None:
        tag = f'page {id(page) % 10_000:04d}'
        _pages.append(page)

        def console(message: ConsoleMessage) -> None:
            if message.type != 'verbose':  # Chromium's advice ("Password field is not contained in a form")
                note(f'{tag} console.{message.type}: {message.text}')

        def navigated(frame: Frame) -> None:
            if frame.parent_frame is None:
                note(f'{tag} at {frame.url}')

        def socket(ws: WebSocket) -> None:
            note(f'{tag} websocket opened')
            ws.on('close', lambda _: note(f'{tag} websocket closed'))

        page.on('console', console)
        page.on('pageerror', lambda error: note(f'{tag} error: {error}'))
        page.on('framenavigated', navigated)
        page.on('websocket', socket)

    def asked(request: Request) -> bool:  # the app's pages, photos, events and uploads, not NiceGUI's own files
        return request.resource_type in ASKED and '/_nicegui/3' not in request.url

    def sent(request: Request) -> None:
        if asked(request):
            note(f'{request.method} {request.url} ({request.resource_type})')

    def finished(request: Request) -> None:
        if asked(request):
            note(f'done {request.url}')

    def failed(request: Request) -> None:
        if asked(request):
            note(f'failed {request.url}: {request.failure}')

    context.on('request', sent)
    context.on('requestfinished', finished)
    context.on('requestfailed', failed)
    context.on('page', on_page)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """A failed browser test shows what its pages logged and the end of each app server's output: a flake in CI can
    then be read, not guessed."""
    outcome = yield
    report = outcome.get_result()
    if report.when == 'setup':
        _browser_log.clear()
        _pages.clear()
    if not report.failed:
        return
    if report.when == 'call' and (open_pages := [page for page in _pages if not page.is_closed()]):
        _browser_log.append(f'-- the test failed; its pages watched {AFTER_FAILURE_MS} ms more --')
        open_pages[-1].wait_for_timeout(AFTER_FAILURE_MS)  # lets the events of that time arrive
        _browser_log.extend(f'page {id(page) % 10_000:04d} is at {page.url}' for page in open_pages)
    report.sections.append(('browser', '\n'.join(_browser_log[-200:]) or '(nothing logged)'))
    funcargs = getattr(item, 'funcargs', {})
    servers = [v for v in funcargs.values() if isinstance(v, AppServer)]
    servers += [app for v in funcargs.values() for app in getattr(v, 'apps', []) if isinstance(app, AppServer)]
    for server in servers:
        tail = server.output.splitlines()[-SERVER_LINES:]
        report.sections.append((f'server {server.base_url}', '\n'.join(tail) or '(no output)'))


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
    open_context = chromium.new_context

    def new_context(**options: Any) -> BrowserContext:  # every test's contexts are watched (_watch)
        context = open_context(**options)
        _watch(context)
        return context

    chromium.new_context = new_context
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
