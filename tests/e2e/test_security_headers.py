"""Finding 6 in the browser: the CSP lets every kind of page work (NiceGUI's pages, the visitor's form, the TV)
with no violation reported, and no other site may frame a page."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, expect

import config
from bench.harness import AppServer
from models import utcnow
from services import demo
from services.signin import qr

from .conftest import log_in_home

STAFF_PAGES = ['/', '/rotation', '/customers', '/entrance', '/duty', '/complaints', '/me']


class Violations:
    """CSP violations the page reported, from the console and from `securitypolicyviolation` events."""

    def __init__(self, page: Page) -> None:
        self.page, self.messages = page, []  # type: list[str]
        page.on('console', self.console)
        page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

    def console(self, message: ConsoleMessage) -> None:
        if 'Content Security Policy' in message.text or 'Refused to' in message.text:
            self.messages.append(message.text)

    def all(self) -> list[str]:
        return self.messages + list(self.page.evaluate('window.__csp || []'))


def test_staff_pages_work_under_the_policy(page: Page) -> None:
    seen = Violations(page)
    log_in_home(page, 'manager', '王静')
    for path in STAFF_PAGES:
        page.goto(path)
        expect(page.locator('footer').get_by_role('link').first).to_be_visible()
        assert seen.all() == [], (path, seen.all())
    page.locator('footer').get_by_role('link', name='客户').click()  # the websocket works: a tap navigates
    expect(page).to_have_url(re.compile(r'/customers$'))
    assert seen.all() == []


def test_the_visitor_form_works_under_the_policy(page: Page, server: AppServer) -> None:
    settings = config.load_settings({'ANCHANG_DATA_DIR': str(server.data_dir)}, env_file=server.data_dir / '.env')
    token = qr.rotating_token(settings.secret, demo.DEMO_SITE_CODE, utcnow())  # the TV's code: valid at any hour
    visitor = page
    seen = Violations(visitor)
    visitor.goto(f'/v/{token}')
    visitor.get_by_label('您的姓氏').fill('林')
    visitor.get_by_text('先生', exact=True).click()
    visitor.get_by_label('手机号').fill('13712345678')
    visitor.locator('input[name=consent]').check()
    visitor.get_by_role('button', name='提交登记').click()
    expect(visitor.get_by_text('登记成功')).to_be_visible()
    assert seen.all() == []


def test_no_page_may_be_framed(page: Page, server: AppServer) -> None:
    """frame-ancestors 'none' refuses even this site's own frame (a page of another site is refused the same way)."""
    page.goto('/offline.html')
    page.evaluate('document.body.innerHTML = \'<iframe id="f" src="/login" width=300 height=300></iframe>\'')
    page.wait_for_load_state('load')
    page.wait_for_timeout(2000)  # time enough for the login page to draw, had it been allowed
    expect(page.frame_locator('#f').get_by_text('员工登录')).to_have_count(0)
