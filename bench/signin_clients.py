"""The pieces of the sign-in benchmark: a server on a kept data folder, its staff, and the two kinds of phones.

Staff phones are protocol-level NiceGUI clients: the page's HTML over HTTP with the staff member's session
cookie, then python-socketio's AsyncClient on /_nicegui_ws/socket.io with the query the page's own script sends
(the implicit handshake). Visitors' phones POST the sign-in form the way the public page's script does.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import socketio

from .harness import ROOT, AppServer, child_env, free_port, launch_chromium

PASSWORD = 'anchang-bench-1'  # noqa: S105 - the benchmark's own throwaway accounts
ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
QUERY = re.compile(r"""['"]client_id['"]: ['"]([0-9a-f-]+)['"], ['"]next_message_id['"]: (\d+)""")
CUSTOMER = re.compile(r'(Q[a-z]+)(?:先生|女士)（')
ALPHABET = 'abcdefghijklmnopqrstuvwxyz'
GREET = '我来接待'  # the alert banner's button


class KeptServer(AppServer):
    """An AppServer on a data folder we prepared, which survives stop() and kill() (AppServer always makes a fresh
    one and removes it on stop)."""

    def __init__(self, data_dir: Path, **options: Any) -> None:
        super().__init__(['serve'], **options)
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir = data_dir

    def stop(self) -> None:
        """SIGTERM (SIGKILL if it lingers); the data folder stays."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL, as a power cut or the OOM killer would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Prepared:
    """A data folder with its sites, their salespeople checked in, and each site's entrance code of today."""

    data_dir: Path
    database_url: str
    site_ids: list[int]
    tokens: list[str]  # each site's, in the order of site_ids
    staff: list[tuple[int, str]]  # (id, username), spread over the sites in turn

    @property
    def site_id(self) -> int:
        return self.site_ids[0]

    def token(self, n: int) -> str:
        """The entrance code visitor n scans: the visitors are spread over the sites in turn."""
        return self.tokens[n % len(self.tokens)]


def prepare(
    data_dir: Path,
    salespeople: int,
    *,
    sites: int = 1,
    database_url: str = '',
    extra_env: dict[str, str] | None = None,
) -> Prepared:
    """main.py --no-serve (schema, first site), `sites - 1` more sites, then `salespeople` accounts spread over them
    and checked in, through the app's services; on `database_url` if given, else on SQLite in the data folder;
    `extra_env`: a group's settings (its secret)."""
    env = child_env(data_dir, free_port(), {'ANCHANG_DATABASE_URL': database_url} if database_url else None)
    env.update(extra_env or {})
    subprocess.run(
        [sys.executable, str(ROOT / 'main.py'), '--no-serve'], cwd=data_dir, env=env, check=True, capture_output=True
    )
    from sqlmodel import select

    import config
    import db
    from models import Role, Site, Staff
    from services.accounts import sites as site_service
    from services.core import security
    from services.rotation import reception
    from services.signin import display

    settings = config.load_settings(env, env_file=data_dir / '.env')
    db.init_engine(settings.database_url)
    password_hash = security.hash_password(PASSWORD)
    with db.session() as s:
        first = s.exec(select(Site)).first()
        assert first is not None and first.id is not None
        forms = [site_service.SiteForm(name=f'测试案场{n:02d}', code=f'B{n:02d}') for n in range(1, sites)]
        every = [first] + [site_service.create_site(s, actor=None, form=form) for form in forms]
        people = [
            Staff(
                name=f'顾问{n:03d}',
                username=f'bench{n:03d}',
                role=Role.SALESPERSON,
                site_id=every[n % sites].id,
                password_hash=password_hash,
                joined_on=date.today() - timedelta(days=400),
            )
            for n in range(salespeople)
        ]
        s.add_all(people)
        s.commit()
        for person in people:
            reception.check_in(s, actor=person)
        tokens = [display.tv_token(site, secret=settings.secret) for site in every]  # valid now, at any hour
        staff = [(p.id or 0, p.username or '') for p in people]
    return Prepared(data_dir, settings.database_url, [site.id or 0 for site in every], tokens, staff)


async def log_in_all(base_url: str, usernames: list[str], *, parallel: int = 4) -> dict[str, str]:
    """Each account's session cookie, from the login page driven over its own websocket (a fresh session each)."""
    cookies: dict[str, str] = {}
    gate = asyncio.Semaphore(parallel)  # the server hashes each password for ~0.1 s of CPU

    async def one(http: aiohttp.ClientSession, name: str) -> None:
        async with gate:
            for attempt in range(3):  # a busy machine now and then refuses a socket: the phone tries again
                try:
                    cookies[name] = await log_in(http, base_url, name)
                    return
                except (socketio.exceptions.ConnectionError, aiohttp.ClientError):
                    if attempt == 2:
                        raise
                    await asyncio.sleep(1)

    async with http_session() as http:
        await asyncio.gather(*(one(http, name) for name in usernames))
    return cookies


async def log_in(http: aiohttp.ClientSession, base_url: str, username: str) -> str:
    """Open /login, type the login and password, tap 登录 — the events the page's script sends — and wait until
    the page is told to go on (to 轮序 for a salesperson); the session cookie is then logged in."""
    page = await Page.open(http, base_url, '/login', cookie='')
    home = asyncio.Event()
    page.sio.on('open', lambda msg: home.set() if msg.get('path') != '/login' else None)  # home: 轮序 or 首页
    await page.connect(base_url)
    await page.send(page.element(label='手机号或用户名'), 'update:value', username)
    await page.send(page.element(label='密码'), 'update:value', PASSWORD)
    await page.send(page.element(label='登录', tag='q-btn'), 'click')
    try:
        await asyncio.wait_for(home.wait(), timeout=30)
    finally:
        await page.sio.disconnect()
    return page.cookie


async def log_in_all_with_chromium(base_url: str, usernames: list[str], *, parallel: int = 2) -> dict[str, str]:
    """The same with Chromium filling the form (about 1 s of a 2-core machine per account; --browser-login)."""
    from playwright.async_api import async_playwright

    cookies: dict[str, str] = {}
    queue = list(usernames)
    async with async_playwright() as p:
        browser = await launch_chromium(p)

        async def worker() -> None:
            # one context per worker, its cookies cleared between accounts: a fresh session, a warm cache;
            # no service worker, which otherwise now and then sends a navigation with the previous account's cookie
            context = await browser.new_context(service_workers='block')
            while queue:
                name = queue.pop()
                await context.clear_cookies()
                page = await context.new_page()
                await page.goto(f'{base_url}/login')
                await page.get_by_label('手机号或用户名').fill(name)
                await page.get_by_label('密码', exact=True).fill(PASSWORD)
                await page.get_by_role('button', name='登录', exact=True).click()
                await page.wait_for_url(lambda url: '/login' not in url, wait_until='commit', timeout=30_000)
                jar = await context.cookies(base_url)
                cookies[name] = '; '.join(f'{c["name"]}={c["value"]}' for c in jar)
                await page.close()
            await context.close()

        await asyncio.gather(*(worker() for _ in range(parallel)))
        await browser.close()
    return cookies


def http_session(**options: Any) -> aiohttp.ClientSession:
    """An HTTP client for many phones: no connection limit, no shared cookie jar (each phone sends its own)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar(), **options
    )


@dataclass
class Page:
    """A NiceGUI page as its script sees it: the elements it was built with, its client id, and its socket."""

    cookie: str
    client_id: str
    next_message_id: int
    elements: dict[str, Any]
    sio: socketio.AsyncClient

    @classmethod
    async def open(cls, http: aiohttp.ClientSession, base_url: str, path: str, *, cookie: str) -> Page:
        """GET the page as a browser would (keeping the session cookie it sets)."""
        headers = {'Cookie': cookie} if cookie else {}
        async with http.get(f'{base_url}{path}', headers=headers, allow_redirects=False) as r:
            html = await r.text()
            if r.status != 200:
                raise RuntimeError(f'GET {path}: {r.status} {r.headers.get("location", "")}')
            if 'session' in r.cookies:
                cookie = f'session={r.cookies["session"].value}'
            if 'anchang_route' in r.cookies:  # behind the group's nginx: its route keeps the socket on this process
                cookie = f'{cookie}; anchang_route={r.cookies["anchang_route"].value}'
        query, elements = QUERY.search(html), ELEMENTS.search(html)
        if query is None or elements is None:
            raise RuntimeError(f'GET {path}: no NiceGUI client in the page')
        sio = socketio.AsyncClient(reconnection=False, http_session=http, handle_sigint=False, request_timeout=30)
        return cls(cookie, query.group(1), int(query.group(2)), json.loads(elements.group(1)), sio)

    async def connect(self, base_url: str) -> None:
        """Connect the socket with the query the page's script sends (the implicit handshake)."""
        query = {
            'client_id': self.client_id,
            'next_message_id': self.next_message_id,
            'implicit_handshake': 'true',
            'document_id': uuid.uuid4().hex,
            'tab_id': uuid.uuid4().hex,
        }
        # engine.io moves a Cookie header into the HTTP session's jar (a dummy one here) and sends none: give it to the
        # websocket itself, or behind the group's nginx the route is lost and the socket reaches another process
        self.sio.eio.websocket_extra_options = {'headers': {'Cookie': self.cookie}}
        await self.sio.connect(
            f'{base_url}/?{urlencode(query)}',
            headers={'Cookie': self.cookie},
            transports=['websocket'],
            socketio_path='/_nicegui_ws/socket.io',
        )

    def element(self, *, label: str, tag: str = 'nicegui-input') -> str:
        """The id of the element with this tag and label."""
        return next(k for k, e in self.elements.items() if e.get('tag') == tag and e['props'].get('label') == label)

    async def send(self, element_id: str, event: str, *args: Any) -> None:
        """What the page's script emits when the user types into or taps an element."""
        listener = next(x for x in self.elements[element_id]['events'] if x['type'] == event)
        await self.sio.emit(
            'event',
            {
                'id': int(element_id),
                'client_id': self.client_id,
                'listener_id': listener['listener_id'],
                'args': [json.dumps(a) for a in args],
            },
        )


@dataclass
class StaffPhone:
    """One logged-in salesperson's page, held open over NiceGUI's websocket; notes each visitor alert it gets and
    can tap its 我来接待 button."""

    staff_id: int
    cookie: str
    on_alert: Callable[[str, int, float], None]  # (customer surname, staff id, perf_counter)
    page: Page | None = None
    next_message_id: int = 0
    buttons: dict[str, str] = field(default_factory=dict)  # customer surname → their banner's 我来接待 button

    async def open(self, http: aiohttp.ClientSession, base_url: str, path: str) -> None:
        """GET the page with the session cookie, then connect its socket."""
        self.page = await Page.open(http, base_url, path, cookie=self.cookie)
        self.next_message_id = self.page.next_message_id
        self.page.sio.on('update', self._update)
        self.page.sio.on('*', self._other)
        await self.page.connect(base_url)

    async def ack(self) -> None:
        """What the browser sends every 3 s, so the server can drop the messages it kept for a reconnect."""
        if self.page is not None and self.page.sio.connected:
            await self.page.sio.emit('ack', {'client_id': self.page.client_id, 'next_message_id': self.next_message_id})

    async def greet(self, customer: str) -> bool:
        """Tap 我来接待 on this customer's alert banner, as the salesperson does; False if there is none."""
        button = self.buttons.pop(customer, None)
        if self.page is None or button is None or button not in self.page.elements:
            return False
        await self.page.send(button, 'click')
        return True

    async def finish(self, grade: str = 'C', timeout: float = 30.0) -> bool:
        """结束接待 on my visit's card, grade `grade` in the record dialog, 保存并结束接待 — the taps a salesperson
        makes, over this page's websocket — and wait until the dialog is gone; False if a step did not come."""
        if self.page is None:
            return False
        end = await self._wait_for(lambda: self._button('结束接待'), timeout)
        if end is None:
            return False
        await self.page.send(end, 'click')
        # the dialog this tap opens, not the one closed a reception ago (it lingers a while, closed): its elements
        # are made after the tap, so their ids are higher than the button's
        grades = await self._wait_for(lambda: self._grade_picker(after=int(end)), timeout)
        save = self._button('保存并结束接待', after=int(end))
        if grades is None or save is None:
            return False
        picker, index = grades
        labels = [str(o.get('label')) for o in self.page.elements[picker]['props']['options']]
        await self.page.send(picker, 'update:modelValue', labels.index(grade) if grade in labels else index)
        await self.page.send(save, 'click')
        elements = self.page.elements  # the visit's card goes once the reception has ended
        return await self._wait_for(lambda: end not in elements or None, timeout) is not None

    def _button(self, label: str, *, after: int = 0) -> str | None:
        """The newest button with this label (a redrawn card's, a dialog opened again), made after element `after`."""
        assert self.page is not None
        found = [
            int(element_id)
            for element_id, element in self.page.elements.items()
            if element.get('props', {}).get('label') == label
            and 'click' in {e['type'] for e in element['events']}
            and int(element_id) > after
        ]
        return str(max(found)) if found else None

    def _grade_picker(self, *, after: int = 0) -> tuple[str, int] | None:
        """The newest record dialog's grade toggle (options A B C D), made after element `after`, and the index
        of C."""
        assert self.page is not None
        found = [
            int(element_id)
            for element_id, element in self.page.elements.items()
            if [o.get('label') for o in element.get('props', {}).get('options') or [] if isinstance(o, dict)]
            == list('ABCD')
            and int(element_id) > after
        ]
        return (str(max(found)), 2) if found else None

    async def _wait_for(self, found: Callable[[], Any], timeout: float) -> Any:
        deadline = time.perf_counter() + timeout
        while (value := found()) is None:
            if time.perf_counter() > deadline or self.page is None or not self.page.sio.connected:
                return None
            await asyncio.sleep(0.05)
        return value

    async def close(self) -> None:
        if self.page is not None:
            await self.page.sio.disconnect()

    def _update(self, data: dict[str, Any]) -> None:
        now = time.perf_counter()
        self._count(data)
        if self.page is None:
            return
        elements = self.page.elements
        for element_id, element in data.items():
            if isinstance(element, dict):
                elements[element_id] = element
            elif element is None:
                elements.pop(element_id, None)
        for element_id, element in data.items():
            text = element.get('text') if isinstance(element, dict) else None
            if text and (found := CUSTOMER.match(text)):
                self.on_alert(found.group(1), self.staff_id, now)
                self._note_button(found.group(1), element_id)

    def _note_button(self, customer: str, label_id: str) -> None:
        """The 我来接待 button beside the label naming the customer (both children of the banner)."""
        assert self.page is not None
        key = int(label_id)
        for element in self.page.elements.values():
            if key in element.get('children', ()):
                for child in element['children']:
                    found = self.page.elements.get(str(child), {})
                    if found.get('tag') == 'q-btn' and found.get('props', {}).get('label') == GREET:
                        self.buttons[customer] = str(child)
                return

    def _other(self, _event: str, data: Any = None) -> None:
        self._count(data)

    def _count(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get('_id'), int):
            self.next_message_id = data['_id'] + 1


def surname(n: int) -> str:
    """A unique surname for visitor n (letters only, as the form allows): Qa, Qb, … Qba, …"""
    letters = ''
    while True:
        n, digit = divmod(n, 26)
        letters = ALPHABET[digit] + letters
        if n == 0:
            return 'Q' + letters


@dataclass
class Submitted:
    """What one visitor's phone saw."""

    n: int
    key: str
    sent: float
    answered: float = 0.0
    status: int = 0
    ok: bool = False
    result_url: str = ''
    error: str = ''


def visitor_form(n: int, key: str, *, run: int = 0) -> tuple[dict[str, str], dict[str, str]]:
    """Visitor n's filled-in form (its own surname and phone number) and the headers its page's script sends from
    its own address; `run` keeps the phone numbers of several runs on one database apart."""
    form = {
        'request_key': key,
        'surname': surname(n),
        'title': '先生' if n % 2 else '女士',
        'phone': f'1{3 + run % 7}{n:09d}',
        'party_size': str(1 + n % 3),
        'first_visit': '1',
        'channel': '网络',
        'consent': '1',
    }
    return form, {'Accept': 'application/json', 'X-Forwarded-For': f'10.{run % 256}.{n // 256 % 256}.{n % 256}'}


async def sign_in(
    http: aiohttp.ClientSession,
    base_url: str,
    token: str,
    n: int,
    *,
    key: str = '',
    run: int = 0,
    headers: dict[str, str] | None = None,
) -> Submitted:
    """Visitor n's phone posts the form (a retry sends the same request key); `headers`: more of them (a route)."""
    key = key or uuid.uuid4().hex
    form, headers = visitor_form(n, key, run=run)[0], {**visitor_form(n, key, run=run)[1], **(headers or {})}
    done = Submitted(n, key, time.perf_counter())
    try:
        async with http.post(f'{base_url}/v/{token}', data=form, headers=headers) as r:
            done.status = r.status
            body = await r.text()
        done.answered = time.perf_counter()
        answer = json.loads(body)
        done.ok, done.result_url = bool(answer.get('ok')), str(answer.get('result_url', ''))
        if not done.ok:
            done.error = f'{answer.get("field")}: {answer.get("message")}'
    except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError, OSError) as e:
        done.answered, done.error = time.perf_counter(), f'{type(e).__name__}: {e}'
    return done
