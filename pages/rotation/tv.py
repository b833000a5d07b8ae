"""The office TV (案场大屏): the live rotation board and a sign-in QR code that renews every few minutes."""

from __future__ import annotations

import asyncio
import json
import math
from zoneinfo import ZoneInfo

from fastapi import Request
from nicegui import APIRouter, background_tasks, run, ui

import config
import db
from components.board import COUNTS, board_view, count_values, minutes_since
from components.tv_call import install_tv_call
from components.urls import png_data_url, public_base_url
from models import Site, StaffState, utcnow
from services.core import events
from services.core.errors import NotFound
from services.core.i18n import current_language, t
from services.rotation import roster
from services.rotation.board import Board, site_board
from services.signin import display, qr

router = APIRouter()
CODE_CHECK_SECONDS = 60.0  # the code changes every TV_CODE_MINUTES; a revoked link goes dark within this too
SINCE_SECONDS = 30.0  # "N 分钟" on the board ages without any rotation change
ONE_COLUMN_UP_TO = 3  # more people than this go in two columns: 1080 px fit three rows above the bottom band
NEXT_SHOWN = 3  # the bottom band names who is up next, this many


@router.page('/tv/{token}')
async def tv_page(token: str, request: Request) -> None:
    """Public, opened with a display token: the board on the left, the QR code to sign in on the right."""
    ui.page_title(t('案场大屏'))
    ui.add_css(TV_CSS)
    ui.query('body').classes('ac-tv-body')
    try:
        site = await run.io_bound(_site, token)
    except NotFound as e:
        invalid_link(e.translated())
        return
    if site is None:  # the app is shutting down
        return
    tv = TvScreen(site, token, public_base_url(request))
    await tv.start()
    with ui.column().classes('ac-tv w-full no-wrap'):
        top_bar(site)
        with ui.row().classes('ac-tv-main w-full no-wrap'):
            with ui.column().classes('ac-tv-left no-wrap'):
                with ui.column().classes('ac-tv-board') as tv.area:
                    tv.board_panel()
                tv.band()
            code_card(tv)
    install_tv_call(site.id or 0)  # "请 李娜 接待 陈先生", large, and spoken where the TV has a Chinese voice
    events.rotation_changed.subscribe(tv.on_rotation)
    events.complaint_changed.subscribe(tv.on_rotation)  # the complaint counts (an escalation makes one overdue)
    ui.timer(CODE_CHECK_SECONDS, tv.check, immediate=False)
    ui.timer(SINCE_SECONDS, tv.band.refresh, immediate=False)  # "已等 N 分钟" ages without any rotation change


class TvScreen:
    """One TV: its site, the board it last read and the sign-in code it shows."""

    def __init__(self, site: Site, token: str, base_url: str) -> None:
        self.site, self.token, self.base_url = site, token, base_url
        self.board: Board | None = None
        self.code_url = ''
        self.code_image = ''
        self.qr: ui.image | None = None
        self.area: ui.column | None = None
        self._reading = self._stale = False
        self.loop = asyncio.get_running_loop()

    async def start(self) -> None:
        self.board = await run.io_bound(_board, self.site.id or 0)
        self.code_url = self._code_url()
        self.code_image = await run.io_bound(png_data_url, self.code_url) or ''

    @ui.refreshable_method
    def board_panel(self) -> None:
        if self.board is None or self.area is None:
            return
        people = len(self.board.rows)
        two = people > ONE_COLUMN_UP_TO
        self.area.classes(add='ac-tv-two' if two else '', remove='' if two else 'ac-tv-two')
        self.area.style(f'--ac-tv-rows: {math.ceil(people / 2) if two else max(people, 1)}')
        board_view(self.board, big=True)

    @ui.refreshable_method
    def band(self) -> None:
        """The bottom quarter: who is up next, the visitors waiting, the day's counts; all large."""
        if self.board is not None:
            bottom_band(self.board)

    def on_rotation(self, site_id: int) -> None:
        """Services emit from worker threads: hop to the event loop before touching the page."""
        if site_id == self.site.id:
            self.loop.call_soon_threadsafe(lambda: background_tasks.create(self.reload(), name='tv board'))

    async def reload(self) -> None:
        """Re-read the board; changes that arrive meanwhile cause one more read, not one each (an opening burst)."""
        if self._reading:
            self._stale = True
            return
        self._reading = True
        try:
            self._stale = True
            while self._stale:
                self._stale = False
                self.board = await run.io_bound(_board, self.site.id or 0)
                self.board_panel.refresh()
                self.band.refresh()
        finally:
            self._reading = False

    async def check(self) -> None:
        """Each minute: a revoked link goes dark, the code follows its window, a new day clears the board."""
        try:
            await run.io_bound(_site, self.token)
        except NotFound:
            ui.navigate.reload()
            return
        url = self._code_url()
        if url != self.code_url and self.qr is not None:
            self.code_url = url
            self.qr.set_source(await run.io_bound(png_data_url, url) or '')
        if self.board is not None and self.board.day != roster.local_day(self.site, utcnow()):
            await self.reload()

    def _code_url(self) -> str:
        return qr.signin_url(self.base_url, display.tv_token(self.site, secret=config.current().secret))


def top_bar(site: Site) -> None:
    """The site's name and a clock that keeps the site's time (ticking in the browser, set by the server)."""
    now = utcnow()
    local = now.astimezone(ZoneInfo(site.timezone))
    with ui.row().classes('ac-tv-top w-full items-end justify-between no-wrap'):
        with ui.column().classes('gap-1 min-w-0'):
            ui.label(t('接待轮序')).classes('ac-tv-kicker')
            ui.label(site.name).classes('ac-tv-site truncate')
        with ui.column().classes('items-end gap-0'):
            ui.label(local.strftime('%H:%M')).classes('ac-tv-time')
            ui.label(local.date().isoformat()).classes('ac-tv-date')
    settings = {
        'offset_from': int(now.timestamp() * 1000),
        'zone': site.timezone,
        'locale': 'en-GB' if current_language() == 'en' else 'zh-CN',
    }
    ui.add_body_html(CLOCK_JS.replace('__SETTINGS__', json.dumps(settings)))


def bottom_band(board: Board) -> None:
    free = [r for r in board.rows if r.state == StaffState.AVAILABLE and not r.trainee]
    free.sort(key=lambda r: not r.up_next)  # the one who is up first, then the order of the board
    with ui.column().classes('ac-tv-band w-full no-wrap').mark('tv-band'):
        with ui.row().classes('w-full items-baseline no-wrap gap-6'):
            ui.label(t('下一位')).classes('ac-tv-band-kicker')
            names = '　'.join(r.name for r in free[:NEXT_SHOWN])
            ui.label(names or t('暂无空闲顾问')).classes('ac-tv-next truncate').mark('tv-next')
        if board.waiting:
            shown = '　'.join(
                t('{name}（{n} 人）· 已等 {since}', name=v.customer, n=v.party_size, since=minutes_since(v.arrived_at))
                for v in board.waiting[:2]
            )
            ui.label(t('等待接待 {n} 组', n=board.waiting_total) + '：' + shown).classes(
                'ac-tv-waiting truncate w-full'
            ).mark('board-waiting')
        with ui.row().classes('ac-tv-counts w-full').mark('board-counts'):
            for label, value in zip(map(t, COUNTS), count_values(board), strict=True):
                with ui.row().classes('items-baseline no-wrap gap-3'):
                    ui.label(label).classes('ac-tv-count-label')
                    ui.label(value).classes('ac-tv-count').mark(f'count-{label}')


def code_card(tv: TvScreen) -> None:
    with ui.column().classes('ac-tv-code items-center no-wrap'):
        ui.label(t('扫码登记')).classes('ac-tv-code-title')
        tv.qr = ui.image(tv.code_image).props('no-spinner no-transition fit=contain').classes('ac-tv-qr').mark('tv-qr')
        ui.label(t('用手机相机或微信扫一扫')).classes('ac-tv-code-hint')
        ui.label(t('二维码每 {n} 分钟更新', n=display.TV_CODE_MINUTES)).classes('ac-tv-code-note')


def invalid_link(message: str) -> None:
    """A plain page for an unknown or revoked link: no board, no code."""
    with ui.column().classes('ac-tv-invalid w-full items-center justify-center gap-6'):
        ui.icon('tv_off', size='120px')
        ui.label(message).classes('text-5xl font-semibold text-center')
        ui.label(t('请销售经理在“扫码登记”页面新建大屏链接')).classes('text-3xl text-center opacity-80')


def _site(token: str) -> Site:
    with db.session() as s:
        return display.site_for_display(s, token)


def _board(site_id: int) -> Board:
    with db.session() as s:
        return site_board(s, site_id=site_id, now=utcnow())


CLOCK_JS = """<script>(() => {
  const s = __SETTINGS__, offset = s.offset_from - Date.now();
  const time = {timeZone: s.zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23'};
  const date = {timeZone: s.zone, month: 'long', day: 'numeric', weekday: 'long'};
  const tick = () => {
    const now = new Date(Date.now() + offset);
    document.querySelectorAll('.ac-tv-time').forEach(e => { e.textContent = now.toLocaleTimeString(s.locale, time); });
    document.querySelectorAll('.ac-tv-date').forEach(e => { e.textContent = now.toLocaleDateString(s.locale, date); });
  };
  setInterval(tick, 1000);
})();</script>"""

TV_CSS = """
body.ac-tv-body { overflow: hidden;
  background: radial-gradient(circle at 15% 0%, #115e59 0%, #0b3b38 45%, #062523 100%); }
.ac-tv { height: 100vh; padding: 20px 40px 24px; gap: 16px; }
.ac-tv-top { color: #fff; border-bottom: 2px solid rgba(255,255,255,.15); padding-bottom: 12px; }
.ac-tv-kicker { font-size: 48px; line-height: 1.1; letter-spacing: .2em; color: #5eead4; font-weight: 600; }
.ac-tv-site { font-size: 64px; font-weight: 700; line-height: 1.1; }
.ac-tv-time { font-size: 96px; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
.ac-tv-date { font-size: 48px; line-height: 1.1; color: #ccfbf1; }
.ac-tv-main { flex: 1 1 auto; min-height: 0; gap: 40px; align-items: stretch; }
.ac-tv-left { flex: 2 1 0; min-width: 0; gap: 16px; }
.ac-tv-board { flex: 1 1 auto; min-height: 0; width: 100%; overflow: hidden; gap: 16px; }
.ac-tv-board .q-card { padding: 6px 16px; }
.ac-tv-board .q-badge { line-height: 1.15; }
.ac-tv-band { flex: 0 0 auto; min-height: 24vh; justify-content: center; gap: 4px; color: #fff;
  border-top: 2px solid rgba(255,255,255,.15); padding-top: 12px; }
.ac-tv-band-kicker { font-size: 48px; color: #5eead4; font-weight: 600; letter-spacing: .1em; flex: none; }
.ac-tv-next { font-size: 80px; font-weight: 800; line-height: 1.1; min-width: 0; }
.ac-tv-waiting { font-size: 48px; line-height: 1.2; color: #fde68a; font-weight: 600; }
.ac-tv-counts { column-gap: 40px; row-gap: 0; font-size: 48px; line-height: 1.2; color: #ccfbf1; }
.ac-tv-count { font-weight: 700; color: #fff; }
.ac-tv-board .q-card { border-radius: 16px; }
/* Reaches into board_view's markup until it offers columns: its column holds the rows (two columns, read down
   then across). */
.ac-tv-two > .nicegui-column { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr));
  grid-template-rows: repeat(var(--ac-tv-rows), auto); grid-auto-flow: column; }
.ac-tv-code { flex: 0 0 500px; background: #fff; border-radius: 24px; padding: 28px 24px; gap: 12px;
  box-shadow: 0 20px 50px rgba(0,0,0,.35); justify-content: center; text-align: center; }
.ac-tv-code-title { font-size: 64px; font-weight: 700; color: #0f766e; letter-spacing: .1em; line-height: 1.1; }
.ac-tv-qr { width: 420px; height: 420px; image-rendering: pixelated; }
.ac-tv-code-hint { font-size: 48px; line-height: 1.2; color: #0f172a; }
.ac-tv-code-note { font-size: 48px; line-height: 1.2; color: #64748b; }
.ac-tv-invalid { height: 100vh; color: #fff; padding: 40px; }
"""
