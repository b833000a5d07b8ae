"""A visitor scans the entrance code and the rotation answers: alert, 我来接待, the TV, 无效接待, a returning visitor.

Runs on a server of its own without the demo (the demo morning fills the roster); each test makes a fresh site,
two salespeople, a manager and the TV link through the app's services, directly in the server's database.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from sqlmodel import func, select

import config
import db
from bench.harness import AppServer
from models import Role, Staff, Visit
from services.accounts.sites import SiteForm, create_site
from services.core import security
from services.signin import display

from .conftest import NARROW_PHONE, PHONE, TIMEOUT_MS, log_in, shot

PASSWORD = 'rotation-e2e-9'
TV = {'viewport': {'width': 1920, 'height': 1080}, 'locale': 'zh-CN', 'timezone_id': 'Asia/Shanghai'}
_numbers = itertools.count(1)
# Stamps the moment the alert banner appears on a phone (the latency's end), in the browser's own clock.
WATCH_ALERT = """() => { window.__alertAt = 0; new MutationObserver(() => {
  const box = document.querySelector('.ac-alerts');
  if (!window.__alertAt && box && box.textContent.includes('请接待客户')) window.__alertAt = Date.now();
}).observe(document.body, {childList: true, subtree: true, characterData: true}); }"""
STAMP_SUBMIT = """() => document.getElementById('signin').addEventListener('submit',
  () => sessionStorage.setItem('sentAt', String(Date.now())), {capture: true})"""


@dataclass(frozen=True)
class FreshSite:
    id: int
    entrance: str  # the token the poster at the door carries
    tv: str  # the display token of the office TV
    first: tuple[str, str]  # (username, name): checks in first, so is up first
    second: tuple[str, str]


@pytest.fixture(scope='module')
def clean() -> Iterator[AppServer]:
    """The app without the demo."""
    with AppServer(args=[]) as app:
        yield app


@pytest.fixture(scope='module')
def settings(clean: AppServer) -> Iterator[config.Settings]:
    """The server's settings; this process opens its database to set up each test's site."""
    found = config.load_settings({'ANCHANG_DATA_DIR': str(clean.data_dir)}, env_file=clean.data_dir / '.env')
    db.init_engine(found.database_url)
    yield found
    db.get_engine().dispose()


@pytest.fixture
def site(settings: config.Settings) -> FreshSite:
    n = next(_numbers)
    password_hash = security.hash_password(PASSWORD)
    people = [(f'flow{n}a', '周敏'), (f'flow{n}b', '吴磊')]
    with db.session() as s:
        created = create_site(s, actor=None, form=SiteForm(name=f'江畔·云境 {n}', code=f'FLOW{n}'))
        staff = [Staff(name=name, username=login, role=Role.SALESPERSON) for login, name in people]
        manager = Staff(name='孙经理', username=f'flow{n}m', role=Role.MANAGER)
        for person in [*staff, manager]:
            person.site_id, person.password_hash = created.id, password_hash
            person.joined_on = date.today() - timedelta(days=400)  # not in the first month: in the rotation
            s.add(person)
        s.commit()
        tv = display.create_display_token(s, actor=manager, label='大屏')
        entrance = display.tv_token(created, secret=settings.secret)  # valid now, at any hour
    return FreshSite(created.id or 0, entrance, tv, people[0], people[1])


@pytest.fixture
def open_context(browser: Browser, clean: AppServer, playwright: Playwright) -> Iterator[Callable[..., BrowserContext]]:
    """Phone-sized contexts on our own server (the conftest's `new_context` is tied to the demo server)."""
    contexts: list[BrowserContext] = []
    agent = playwright.devices['Pixel 7']['user_agent']

    def make(*, tv: bool = False, **options: Any) -> BrowserContext:
        if tv:  # the office TV: a big screen, no touch
            context = browser.new_context(base_url=clean.base_url, **TV)
        else:
            context = browser.new_context(base_url=clean.base_url, user_agent=agent, **{**PHONE, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def on_duty(open_context: Callable[..., BrowserContext], login: str, place: str) -> Page:
    """A salesperson's phone: logged in, on 接待轮序, checked in with 签到上岗."""
    page = open_context().new_page()
    page.goto('/login?next=/rotation')
    log_in(page, login, PASSWORD)
    page.get_by_role('button', name='签到上岗').click()
    expect(page.get_by_text(place, exact=True)).to_be_visible()
    return page


def sign_in(visitor: Page, fresh: FreshSite, *, surname: str = '王', phone: str = '13912345678') -> None:
    """Open the entrance link and fill in the form; the caller taps 提交登记."""
    visitor.goto(f'/v/{fresh.entrance}')
    visitor.locator('#surname').fill(surname)
    visitor.locator('label:has(input[name="title"][value="先生"])').click()
    visitor.locator('#phone').fill(phone)
    visitor.locator('input[name="consent"]').check()


def submit(visitor: Page) -> None:
    visitor.get_by_role('button', name='提交登记').click()


def count(page: Page, label: str) -> Locator:
    """A figure of the board's counts (on a phone or the TV)."""
    card = page.locator('.q-card').filter(has=page.get_by_text(label, exact=True))
    return card.locator('.font-bold')  # the figure; the label under it is muted


def take(phone: Page) -> None:
    """Tap 我来接待 and wait until the page has redrawn after it (the greeting time shows): a tap on the visit card
    before that redraw would land on an element about to be replaced."""
    phone.locator('.ac-alerts').get_by_role('button', name='我来接待').click()
    expect(phone.locator('.ac-alerts').get_by_text('请接待客户')).to_have_count(0)
    expect(count(phone, '迎客用时（分）')).not_to_have_text('–')


def tv_count(tv: Page, label: str) -> Locator:
    """A figure of the TV's counts, in its bottom band."""
    return tv.locator('.ac-tv-counts > div').filter(has=tv.get_by_text(label, exact=True)).locator('.ac-tv-count')


SMALL_TEXT = """() => [...document.querySelectorAll('body *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
    && e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && parseFloat(getComputedStyle(e).fontSize) < 48).map(e => e.textContent.trim().slice(0, 20))"""


def tv_row(tv: Page, name: str) -> Locator:
    return tv.locator('.q-card').filter(has=tv.get_by_text(name, exact=True))


UP_NEXT, SECOND = '下一位就是您，请留意入口', '您排第 2 位'


def test_visitor_signs_in_and_the_one_who_is_up_is_alerted(
    site: FreshSite, open_context: Callable[..., BrowserContext]
) -> None:
    (_, first), (_, second) = site.first, site.second
    tv = open_context(tv=True).new_page()
    tv.goto(f'/tv/{site.tv}')
    expect(tv.get_by_text('今天还没有人签到')).to_be_visible()
    tv.evaluate('window.__sameDocument = true')
    phone_a = on_duty(open_context, site.first[0], UP_NEXT)
    phone_b = on_duty(open_context, site.second[0], SECOND)
    expect(tv_row(tv, first).locator('.q-badge', has_text='空闲')).to_be_visible()
    expect(tv_count(tv, '今日到访')).to_have_text('0')
    expect(tv.locator('.ac-tv-next')).to_contain_text(first)  # the bottom band: who is up next
    assert tv.evaluate(SMALL_TEXT) == []  # every text on the 1080p board at least 48 px tall

    phone_a.evaluate(WATCH_ALERT)
    visitor = open_context().new_page()
    sign_in(visitor, site)
    visitor.evaluate(STAMP_SUBMIT)
    submit(visitor)
    alert = phone_a.locator('.ac-alerts')
    expect(alert.get_by_text('请接待客户')).to_be_visible()
    expect(alert.get_by_text('王先生（1 人）')).to_be_visible()
    expect(alert.get_by_text('新客户')).to_be_visible()
    expect(visitor.get_by_text(f'请稍候，您的置业顾问 {first} 马上为您服务')).to_be_visible()
    latency = phone_a.evaluate('window.__alertAt') - int(visitor.evaluate("sessionStorage.getItem('sentAt')"))
    print(f'\nsign-in → alert on the phone: {latency} ms')
    assert 0 < latency < 3000
    shot(phone_a, 'flow-alert-phone')
    shot(visitor, 'flow-visitor-result')

    expect(tv_count(tv, '今日到访')).to_have_text('1')  # the TV follows without a reload
    expect(tv_row(tv, first).locator('.q-badge', has_text='接待中')).to_be_visible()
    expect(tv_row(tv, second).locator('.q-badge', has_text='下一位')).to_be_visible()
    assert tv.evaluate('window.__sameDocument') is True
    shot(tv, 'flow-tv-receiving')

    expect(phone_b.get_by_text(UP_NEXT)).to_be_visible()  # B's page has heard of the visit by now ...
    expect(phone_b.locator('.ac-alerts').get_by_text('请接待客户')).to_have_count(0)  # ... and got no alert
    board_b = phone_b.locator('.ac-live-board')  # drawn by B's browser from the rows the server sent
    expect(board_b.locator('.q-card').first).to_contain_text(second)  # B first in line, A gone to the back
    expect(board_b.locator('.q-card', has_text=second).get_by_text('下一位')).to_be_visible()
    expect(board_b.locator('.q-card', has_text=first).get_by_text('接待中')).to_be_visible()
    expect(board_b.locator('.q-card', has_text=first)).to_contain_text('今日接待 1')

    take(phone_a)
    expect(phone_a.get_by_text('正在接待：王先生')).to_be_visible()
    expect(phone_a.get_by_role('button', name='结束接待')).to_be_visible()
    expect(tv_count(tv, '迎客用时（分）')).not_to_have_text('–')
    shot(phone_a, 'flow-receiving-phone')


def test_invalid_reception_gives_the_turn_back(site: FreshSite, open_context: Callable[..., BrowserContext]) -> None:
    phone_a = on_duty(open_context, site.first[0], UP_NEXT)
    phone_b = on_duty(open_context, site.second[0], SECOND)
    visitor = open_context().new_page()
    sign_in(visitor, site, surname='快递', phone='13700000001')
    submit(visitor)
    take(phone_a)
    expect(phone_a.get_by_text('正在接待：快递先生')).to_be_visible()
    expect(phone_b.get_by_text(UP_NEXT)).to_be_visible()

    phone_a.get_by_role('button', name='无效接待').click()
    phone_a.get_by_text('问路', exact=True).click()
    expect(phone_a.get_by_label('原因')).to_have_value('问路')
    phone_a.get_by_role('button', name='确认无效').click()
    expect(phone_a.get_by_text(UP_NEXT)).to_be_visible()  # the turn came back: up again, ahead of B
    expect(phone_b.get_by_text(SECOND)).to_be_visible()
    shot(phone_a, 'flow-invalid-returned')


def test_visitor_page_fits_360px_and_a_double_tap_makes_one_visit(
    site: FreshSite, open_context: Callable[..., BrowserContext]
) -> None:
    visitor = open_context(**NARROW_PHONE).new_page()
    sign_in(visitor, site, surname='欧阳', phone='13600000002')
    assert visitor.evaluate('document.documentElement.scrollWidth') <= 360
    shot(visitor, 'flow-visitor-360')
    form = visitor.evaluate("new URLSearchParams(new FormData(document.getElementById('signin'))).toString()")
    visitor.get_by_role('button', name='提交登记').dblclick()
    expect(visitor.get_by_text('欧阳先生，登记成功')).to_be_visible()
    assert visitor.evaluate('document.documentElement.scrollWidth') <= 360
    # The answer was lost and the phone sends the same form again: still the same visit.
    again = visitor.request.post(
        f'/v/{site.entrance}',
        data=form,
        headers={'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json'},
    )
    assert again.ok and again.json()['result_url'] in visitor.url
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Visit).where(Visit.site_id == site.id)).one() == 1


def test_returning_visitor_goes_to_the_same_salesperson(
    site: FreshSite, open_context: Callable[..., BrowserContext]
) -> None:
    first = site.first[1]
    phone_a = on_duty(open_context, site.first[0], UP_NEXT)
    phone_b = on_duty(open_context, site.second[0], SECOND)
    visitor = open_context().new_page()
    sign_in(visitor, site, surname='李', phone='13500000003')
    submit(visitor)
    alert = phone_a.locator('.ac-alerts')
    expect(alert.get_by_text('新客户')).to_be_visible()
    take(phone_a)
    phone_a.get_by_role('button', name='结束接待').click()
    phone_a.get_by_role('button', name='C', exact=True).click()  # the reception record: the grade is all it needs
    phone_a.get_by_role('button', name='保存并结束接待').click()
    expect(phone_a.get_by_text(SECOND)).to_be_visible()  # A went to the back of the order ...
    expect(phone_b.get_by_text(UP_NEXT)).to_be_visible()  # ... so B would take a new visitor

    sign_in(visitor, site, surname='李', phone='13500000003')  # the same phone, later the same day
    started = time.perf_counter()
    submit(visitor)
    expect(alert.get_by_text('李先生（1 人）')).to_be_visible()
    expect(alert.get_by_text('老客户')).to_be_visible()
    print(f'\nreturning visitor → owner alerted in {(time.perf_counter() - started) * 1000:.0f} ms')
    expect(visitor.get_by_text(f'请稍候，您的置业顾问 {first} 马上为您服务')).to_be_visible()
    expect(count(phone_b, '今日到访')).to_have_text('2')  # B's page has heard of the visit ...
    expect(phone_b.get_by_text(UP_NEXT)).to_be_visible()  # ... B keeps the turn: the owner took their own customer
    expect(phone_b.locator('.ac-alerts').get_by_text('请接待客户')).to_have_count(0)
    shot(phone_a, 'flow-returning-alert')
