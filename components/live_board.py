"""The rotation board on staff phones, live: one read and one message per site and change, whatever the phones.

This is the one place the board reaches phones (the TV and the manager's page redraw their own, being few).

- **Coalesced reads.** A rotation change starts a read of the site's board unless one is already scheduled, at most
  every COALESCE_S (trailing edge: a read always starts after the last change, so the final state always shows),
  and no more than READS_PER_S for all the process's sites together.
  The visitor's answer and the assigned phone's alert do not wait for it: they go out as the change commits.
- **A delta, serialised once.** Each read is compared with the board sent before it: the rows that changed (and
  those gone), the order, who is in line and the day's figures make one message per site and language, emitted
  once to a socket.io room (`board:<site>:<language>`) that every phone showing the board joins on (re)connecting.
  python-socketio encodes a room's message once for all its sockets; NiceGUI's own updates would encode one per
  phone (each carries the phone's own message id), which with 200 phones and 50 changes a second was the whole
  event loop (bench.signin --page /rotation).
- **The phone draws.** board_rows.js keeps the board it was sent and applies each delta; board_place.js shows "您排第
  N 位" from the line in it. A delta names the version it follows: a phone that missed one (a socket that
  reconnected) asks, and only that phone gets the whole board, as its element's props. A phone that falls behind
  gets the newest board, never a backlog: deltas are at most one per COALESCE_S.
- **Other areas' figures** (overdue checklists, open complaints) are read with a board at most every FIGURES_S, and
  at once after a duty or complaint change: they do not move with the rotation, and were a fifth of each read.
- **The server does per phone only what is that phone's:** a phone whose own row changed reads its day again
  (pages/rotation/board.py); the rest of its board it never touches.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import background_tasks, core, run, ui
from sqlmodel import Session

import db
from components.board import COUNTS, STATE_COLORS, STATE_LABELS, WAITING_SHOWN, count_values, flags
from models import StaffState, utcnow
from services.core import events, i18n
from services.core.i18n import t
from services.rotation.board import Board, BoardRow, line, other_counts, site_board

COALESCE_S = 0.5
"""At most two board reads and deltas a second per site: at 50 sign-ins a second every delta is a socket write to each
of 200 phones (in the 0.25 s this was, board reads and those writes were a fifth of the burst's event loop, profiled);
what a salesperson must see at once — the alert, the visitor's answer — never waits for the board."""
READS_PER_S = 20.0
"""Board reads a second for all the sites whose phones this process serves, together: with many sites, each site's
board waits longer than COALESCE_S between reads (25 sites: 1.25 s). Each change of a site started its read after
COALESCE_S, so reads grew with the sites — 25 sites, 50 a second — and on PostgreSQL, where every statement costs
the app's process more than on SQLite (an assigned sign-in, timed alone: 6.7 against 3.4 ms), they took the CPU the
first visitors' alerts needed (bench.signin --clients 500 --sites 25). What must be seen at once never waits for a
board: the alert and the visitor's answer."""
FIGURES_S = 10.0
"""How old the other areas' figures on a live board may be (what changes them without an event is the clock: a
checklist falls overdue). bench.signin --clients 500 --sites 25, py-spy: they were 22 % of every board read."""
EVENT = 'ac_board'  # the socket.io event board_rows.js and board_place.js listen to
Mine = Callable[[Board], None]
_reads: dict[int, tuple[int, asyncio.Task[Board | None]]] = {}  # site id → (rotation version, its read): a cache
_sites: dict[int, LiveSite] = {}
_figures: dict[int, tuple[int, float, dict[str, int]]] = {}  # site id → (its figures' version, read at, figures)
_figures_version: dict[int, int] = {}  # site id → duty and complaint changes seen: a cache's key


class LiveSite:
    """One site's live board: the board its phones were last sent (and its version), the phones to tell when their
    own row changes, the languages its phones read, and whether a read for them is on its way."""

    def __init__(self, site_id: int, board: Board) -> None:
        self.site_id, self.board, self.version = site_id, board, 0
        self.mine: dict[int, list[Mine]] = {}  # staff id → their open pages
        self.languages: dict[str, int] = {}  # language → phones showing the board in it
        self.scheduled, self.last = False, 0.0
        self._full: dict[str, tuple[int, dict[str, Any], str]] = {}  # language → (version, the whole board, as JSON)

    def full(self, language: str) -> dict[str, Any]:
        """The whole board as of `version`, as the phones draw it: made once per version and language."""
        return self._made(language)[1]

    def full_text(self, language: str) -> str:
        """full() as JSON text: what a phone's element carries. As a dict in its props, NiceGUI would keep a deep
        observable copy of the 200 rows for every phone (bench.signin: 667 KB a phone) and encode it once each."""
        return self._made(language)[2]

    def _made(self, language: str) -> tuple[int, dict[str, Any], str]:
        made = self._full.get(language)
        if made is None or made[0] != self.version:
            with i18n.language(language):
                board = _message(self.board, self.board.rows, [], self.version)
            made = self._full[language] = (self.version, board, json.dumps(board, ensure_ascii=False))
        return made

    def advance(self, board: Board) -> tuple[dict[str, dict[str, Any]], set[int]]:
        """Move to `board`: the delta for each language phones read, and whose rows changed."""
        before = {row.staff_id: row for row in self.board.rows}
        changed = [row for row in board.rows if before.get(row.staff_id) != row]
        now = {row.staff_id for row in board.rows}
        gone = [staff_id for staff_id in before if staff_id not in now]
        base, self.board, self.version = self.version, board, self.version + 1
        deltas = {}
        for language, phones in self.languages.items():
            if phones:
                with i18n.language(language):
                    deltas[language] = _message(board, changed, gone, self.version, base=base)
        return deltas, {row.staff_id for row in changed} | set(gone)


def install() -> None:
    """Once per app: the one subscriber to rotation changes, which schedules one read per site for all its phones."""
    _sites.clear()
    _reads.clear()
    _figures.clear()
    events.rotation_changed.subscribe(_changed)
    events.duty_changed.subscribe(_figures_changed)
    events.complaint_changed.subscribe(_figures_changed)


def _figures_changed(site_id: int, *_: object) -> None:
    _figures_version[site_id] = _figures_version.get(site_id, 0) + 1


async def read(site_id: int) -> Board | None:
    """The site's board as of its latest rotation change, read off the event loop once for all who ask."""
    version = events.rotation_version(site_id)
    cached = _reads.get(site_id)
    if cached is None or cached[0] != version or (cached[1].done() and cached[1].exception() is not None):
        task = background_tasks.create(run.io_bound(_read, site_id), name=f'board {site_id}')
        cached = _reads[site_id] = (version, task)
    return await asyncio.shield(cached[1])


def site(site_id: int, board: Board) -> LiveSite:
    """The site's live board (started from `board`, a fresh read, if no phone showed it yet)."""
    if site_id not in _sites:
        _sites[site_id] = LiveSite(site_id, board)
    return _sites[site_id]


def follow_mine(site_id: int, staff_id: int, on_mine: Mine, *, seen: int) -> None:
    """`on_mine(board)` whenever this staff member's own row changes, until the page goes; `seen` is the rotation
    version of the board the page shows now (a change since then starts a read)."""
    live = _sites[site_id]
    pages = live.mine.setdefault(staff_id, [])
    pages.append(on_mine)
    ui.context.client.on_delete(lambda: pages.remove(on_mine))
    if events.rotation_version(site_id) != seen:
        _changed(site_id)


def _changed(site_id: int) -> None:
    live = _sites.get(site_id)
    if live is not None and (live.mine or any(live.languages.values())) and not live.scheduled:
        live.scheduled = True
        background_tasks.create(_push(live), name=f'live board {site_id}')


async def _push(live: LiveSite) -> None:
    await asyncio.sleep(max(0.0, live.last + interval() - time.monotonic()))
    live.scheduled, live.last = False, time.monotonic()  # a change from now on schedules the next read
    board = await read(live.site_id)
    if board is None or board is live.board:  # the server is shutting down, or nothing new
        return
    deltas, changed = live.advance(board)
    for language, delta in deltas.items():
        await core.sio.emit(EVENT, delta, room=_room(live.site_id, language))
    for staff_id in changed:
        for on_mine in list(live.mine.get(staff_id, ())):
            try:
                on_mine(board)
            except Exception as e:  # one phone's failure is its own
                core.app.handle_exception(e)


def interval() -> float:
    """How long a site's board waits after its last read before the next: COALESCE_S, or longer when many sites'
    phones share this process (READS_PER_S between them all)."""
    showing = sum(1 for live in _sites.values() if live.mine or any(live.languages.values()))
    return max(COALESCE_S, showing / READS_PER_S)


def _read(site_id: int) -> Board:
    now = utcnow()
    with db.session() as s:
        return site_board(s, site_id=site_id, now=now, extra=_other_figures(s, site_id, now))


def _other_figures(session: Session, site_id: int, now: datetime) -> dict[str, int]:
    version = _figures_version.get(site_id, 0)  # taken before the read: a change meanwhile makes it stale
    kept = _figures.get(site_id)
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] < FIGURES_S:
        return kept[2]
    figures = other_counts(session, site_id, now)
    _figures[site_id] = (version, time.monotonic(), figures)
    return figures


def _room(site_id: int, language: str) -> str:
    return f'board:{site_id}:{language}'


class BoardRows(ui.element, component='board_rows.js'):
    """The site's board on this phone — the day's figures, notices, waiting visitors and the rows — drawn by the
    phone from the board it was sent and the deltas of its site's room (board_rows.js). As server elements, 200
    rows on 200 phones were 8.8 MB of server memory per phone and a rebuild on every phone for each change."""

    def __init__(self, live: LiveSite, *, me: int | None) -> None:
        super().__init__()
        self.live, self.language = live, i18n.current_language()
        self._props['me'] = me
        self._props['texts'] = {
            'just_now': t('刚刚'),
            'minutes': t('{n} 分钟'),
            'hours': t('{h} 小时 {m} 分'),
            'me': t('我'),
            'counts': [t(label) for label in COUNTS],
            'empty': t('今天还没有人签到'),
        }
        self.version = live.version
        self._props['board'] = live.full_text(self.language)
        self.on('stale', self._resend)
        client = ui.context.client
        live.languages[self.language] = live.languages.get(self.language, 0) + 1
        client.on_connect(self._join)
        client.on_delete(self._leave)

    async def _join(self) -> None:
        """Into the site's room, with every socket of this page (a reconnect brings a new one); then the whole board
        if it moved on since this phone last had it."""
        client = self.client
        for sid, _ in list(core.sio.manager.get_participants('/', client.id)):
            await core.sio.enter_room(sid, _room(self.live.site_id, self.language))
        if self.version != self.live.version:
            self._resend()

    def _resend(self) -> None:
        self.version = self.live.version
        self._props['board'] = self.live.full_text(self.language)
        self.update()

    def _leave(self) -> None:
        self.live.languages[self.language] -= 1

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What the phone shows, for the page tests' should_see."""
        board = self.live.full(self.language)
        head = board['head']
        texts = [*head['counts'], head['overdue'] or '']
        if waiting := head['waiting']:
            texts += [waiting['title'], waiting['more'] or '']
            texts += [text.replace('{since}', '') for text, _ in waiting['lines']]
        texts += [text for row in board['rows'] for text in (row['name'], row['state'], row['receptions'])]
        return texts + [flag[0] for row in board['rows'] for flag in row['flags']]


class PlaceLine(ui.element, component='board_place.js'):
    """My place in line ("您排第 N 位", "下一位就是您"), which the phone works out from each delta's line: every
    visitor assigned moves everybody's place, and a server update per phone for it would be one per phone."""

    def __init__(self, live: LiveSite, *, me: int | None) -> None:
        super().__init__()
        self.live, self.me = live, me
        self._props['me'] = me
        self._props['line'] = line(live.board.rows)
        self._props['v'] = live.version
        self._props['texts'] = {'first': t('下一位就是您，请留意入口'), 'nth': t('您排第 {n} 位', n='{n}')}
        self.mark('my-place')

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What the phone shows now, for the page tests' should_see."""
        ids = line(self.live.board.rows)
        if self.me not in ids:
            return []
        place = ids.index(self.me) + 1
        texts = self._props['texts']
        return [texts['first'] if place == 1 else texts['nth'].replace('{n}', str(place))]


def _message(
    board: Board, rows: list[BoardRow], gone: list[int], version: int, *, base: int | None = None
) -> dict[str, Any]:
    """What the phones get: `rows` of the board (all of them, or those changed since version `base`), the order, the
    line and the head, in the current language."""
    return {
        'v': version,
        'base': base,  # None: the whole board
        'clock': time.time() * 1000,  # the server's time: a phone's clock may be off
        'rows': [_row(row) for row in rows],
        'gone': gone,
        'order': [row.staff_id for row in board.rows],
        'line': line(board.rows),
        'head': _head(board),
    }


def _row(row: BoardRow) -> dict[str, Any]:
    state = StaffState(row.state)
    return {
        'id': row.staff_id,
        'name': row.name,
        'state': t(STATE_LABELS[state]),
        'color': STATE_COLORS[state],
        'since': row.since.timestamp() * 1000,
        'receptions': t('今日接待 {n}', n=row.receptions),
        'flags': flags(row),
        'up_next': row.up_next,
        'counted': not row.trainee and state != StaffState.OFF,
    }


def _head(board: Board) -> dict[str, Any]:
    """The figures, the overdue checklists and the waiting visitors (their "已等" filled in by the phone's clock)."""
    waiting = None
    if board.waiting:
        more = board.waiting_total - WAITING_SHOWN
        waiting = {
            'title': t('等待接待 {n} 组', n=board.waiting_total),
            'more': t('等得最久的 {shown} 组，另有 {n} 组', shown=WAITING_SHOWN, n=more) if more > 0 else None,
            'lines': [
                [
                    t('{name}（{n} 人）· 已等 {since}', name=v.customer, n=v.party_size, since='{since}'),
                    v.arrived_at.timestamp() * 1000,
                ]
                for v in board.waiting[:WAITING_SHOWN]
            ],
        }
    overdue = t('值班检查逾期 {n} 项', n=board.overdue_checklists) if board.overdue_checklists else None
    return {'counts': count_values(board), 'overdue': overdue, 'waiting': waiting, 'empty': not board.rows}
