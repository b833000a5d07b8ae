"""A group on two processes: PostgreSQL, Redis, nginx with the repo's deploy/ config, and two app processes.

Phones go through nginx and are pinned to a process with nginx's own route cookie (Group.route_to), so the test
knows which process serves each phone. The tests run in order: the last one SIGKILLs a process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from sqlalchemy import text
from sqlmodel import func, select

import db
from bench.group_harness import SECRET, Group
from models import ComplaintStep, Role, Staff, utcnow
from services.accounts.sites import SiteForm, create_site
from services.complaints import intake as complaint_intake
from services.core import security
from services.signin import display, qr

from .conftest import PHONE, TIMEOUT_MS, log_in

PASSWORD = 'group-e2e-9'
WATCH_ALERT = """() => { window.__alertAt = 0; new MutationObserver(() => {
  const box = document.querySelector('.ac-alerts');
  if (!window.__alertAt && box && box.textContent.includes('请接待客户')) window.__alertAt = Date.now();
}).observe(document.body, {childList: true, subtree: true, characterData: true}); }"""
STAMP_SUBMIT = """() => document.getElementById('signin').addEventListener('submit',
  () => sessionStorage.setItem('sentAt', String(Date.now())), {capture: true})"""
A, B = 0, 1


@dataclass(frozen=True)
class GroupSite:
    entrance: str
    manager: str
    sales: list[tuple[str, str]]  # (login, name)


@pytest.fixture(scope='module')
def group() -> Iterator[Group]:
    url = os.environ.get('ANCHANG_TEST_DATABASE_URL') or 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres'
    with Group(2, database_url=url, env={'ANCHANG_SWEEP_SECONDS': '1'}) as g:
        db.init_engine(g.database_url)
        yield g
        db.get_engine().dispose()


@pytest.fixture(scope='module')
def site(group: Group) -> GroupSite:
    password_hash = security.hash_password(PASSWORD)
    people = [('grp_a', '周敏'), ('grp_b', '吴磊')]
    with db.session() as s:
        created = create_site(s, actor=None, form=SiteForm(name='江畔·云境', code='GRP1'))
        staff = [Staff(name=name, username=login, role=Role.SALESPERSON) for login, name in people]
        manager = Staff(name='孙经理', username='grp_m', role=Role.MANAGER)
        for person in [*staff, manager]:
            person.site_id, person.password_hash = created.id, password_hash
            person.joined_on = date.today() - timedelta(days=400)
            s.add(person)
        s.commit()
        entrance = created.code
    return GroupSite(entrance, 'grp_m', people)


@pytest.fixture(scope='module')
def phones(browser: Browser, group: Group, playwright: Playwright) -> Iterator[Callable[..., Page]]:
    """phone(process) — a phone-sized page behind nginx, kept on that process by its route cookie."""
    contexts: list[BrowserContext] = []
    agent = playwright.devices['Pixel 7']['user_agent']

    def make(process: int, **options: Any) -> Page:
        context = browser.new_context(base_url=group.base_url, user_agent=agent, **{**PHONE, **options})
        route = group.route_to(process)
        context.add_cookies([{'name': 'anchang_route', 'value': route, 'url': group.base_url}])
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope='module')
def on_b(phones: Callable[..., Page], site: GroupSite) -> list[Page]:
    """Both salespeople's phones, on process B, on 接待轮序 and checked in (the first is up first)."""
    pages = []
    for (login, _), place in zip(site.sales, ['下一位就是您，请留意入口', '您排第 2 位'], strict=True):
        page = phones(B)
        page.goto('/login?next=/rotation')
        log_in(page, login, PASSWORD)
        page.get_by_role('button', name='签到上岗').click()
        expect(page.get_by_text(place, exact=True)).to_be_visible()
        pages.append(page)
    return pages


@pytest.fixture(scope='module')
def manager_on_a(phones: Callable[..., Page], site: GroupSite) -> Page:
    page = phones(A)
    page.goto('/login?next=/rotation')
    log_in(page, site.manager, PASSWORD)
    expect(page.locator('.ac-live-board')).to_be_visible()
    return page


def sign_in(visitor: Page, site: GroupSite, *, surname: str, phone: str) -> None:
    visitor.goto(f'/v/{signin_code()}')
    visitor.locator('#surname').fill(surname)
    visitor.locator('label:has(input[name="title"][value="先生"])').click()
    visitor.locator('#phone').fill(phone)
    visitor.locator('input[name="consent"]').check()
    visitor.evaluate(STAMP_SUBMIT)
    visitor.get_by_role('button', name='提交登记').click()


def test_a_login_made_through_one_process_works_on_the_other(
    group: Group, phones: Callable[..., Page], site: GroupSite
) -> None:
    page = phones(A)
    page.goto('/login')
    log_in(page, site.sales[0][0], PASSWORD)
    expect(page.get_by_text(f'{site.sales[0][1]}，您好')).to_be_visible()
    page.goto(f'{group.apps[B].base_url}/')  # the same browser (its cookies), straight to process B
    expect(page.get_by_text(f'{site.sales[0][1]}，您好')).to_be_visible()
    assert '/login' not in page.url


def test_the_phone_on_b_is_alerted_for_a_sign_in_a_handled_and_the_board_on_a_follows(
    phones: Callable[..., Page], site: GroupSite, on_b: list[Page], manager_on_a: Page
) -> None:
    first, _ = on_b
    first.evaluate(WATCH_ALERT)
    visitor = phones(A)
    sign_in(visitor, site, surname='王', phone='13912345678')
    expect(visitor.get_by_text(f'请稍候，您的置业顾问 {site.sales[0][1]} 马上为您服务')).to_be_visible()
    alert = first.locator('.ac-alerts')
    expect(alert.get_by_text('王先生（1 人）')).to_be_visible()
    latency = first.evaluate('window.__alertAt') - int(visitor.evaluate("sessionStorage.getItem('sentAt')"))
    print(f'\nsign-in on A → alert on a phone on B: {latency} ms')
    assert 0 < latency < 1000

    first.locator('.ac-alerts').get_by_role('button', name='我来接待').click()  # on B
    expect(first.get_by_text('正在接待：王先生')).to_be_visible()
    board = manager_on_a.locator('.ac-live-board')  # on A: B's change shows without a reload
    expect(board.locator('.q-card', has_text=site.sales[0][1]).get_by_text('接待中')).to_be_visible()
    expect(board.locator('.q-card', has_text=site.sales[0][1])).to_contain_text('今日接待 1')


def test_the_complaint_sweep_escalates_once(group: Group, site: GroupSite) -> None:
    with db.session() as s:
        manager = s.exec(select(Staff).where(Staff.username == site.manager)).one()
        form = complaint_intake.ComplaintForm(
            channel='来电',
            category='attitude',
            severity='urgent',
            what_happened='等了很久没人接待',
            surname='钱',
            title='女士',
            phone='13700001111',
        )
        complaint = complaint_intake.file(s, actor=manager, form=form)
        s.execute(
            text('UPDATE complaint SET acknowledge_due_at = :t WHERE id = :id'),
            {'t': complaint.created_at - timedelta(hours=1), 'id': complaint.id},
        )
        s.commit()
    time.sleep(4)  # both processes look every second
    with db.session() as s:
        steps = s.exec(
            select(func.count()).where(ComplaintStep.complaint_id == complaint.id, ComplaintStep.action == 'escalate')
        ).one()
    assert steps == 1
    holders = [i for i in (A, B) if 'complaint_sweep' in group.health(i)['jobs']]  # type: ignore[operator]
    assert len(holders) == 1  # one process sweeps, the other leaves it


def test_a_process_killed_leaves_the_other_serving_and_its_phones_come_back(
    group: Group, phones: Callable[..., Page], site: GroupSite, on_b: list[Page], manager_on_a: Page
) -> None:
    _, second = on_b
    group.kill(B)
    assert group.health(A)['ok']
    visitor = phones(A)
    sign_in(visitor, site, surname='赵', phone='13912340000')  # while B is gone: the second salesperson is up
    expect(visitor.get_by_text(f'请稍候，您的置业顾问 {site.sales[1][1]} 马上为您服务')).to_be_visible()
    board = manager_on_a.locator('.ac-live-board')
    expect(board.locator('.q-card', has_text=site.sales[1][1]).get_by_text('接待中')).to_be_visible()
    # B's phones reconnect through nginx to A, which draws their page again, as things are now
    expect(second.locator('.ac-alerts').get_by_text('赵先生（1 人）')).to_be_visible(timeout=30_000)
    expect(second.locator('.ac-live-board').locator('.q-card', has_text=site.sales[0][1])).to_contain_text('接待中')


def signin_code() -> str:
    """The TV's rotating code, made now: the poster's code works only in the site's opening hours (issue 16)."""
    return qr.rotating_token(SECRET, 'GRP1', utcnow(), display.TV_CODE_MINUTES)
