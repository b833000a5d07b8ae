"""The rotation board on staff phones, live: one shared read per site at most every COALESCE_S, pushed to each phone.

On an opening-day burst the rotation changes dozens of times a second; redrawing every phone's whole board each time
would be thousands of rebuilt elements a second on the one event loop. A change starts a read unless one is already
scheduled (trailing edge: a read always starts after the last change, so the final state always shows). Each board
is turned once into what the phones need (the rows as one JSON text, each person's row and place); a phone then
changes a few texts and sends that text on, and its browser draws the rows (board_rows.js).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, core, run, ui

import db
from components.board import (
    STATE_COLORS,
    STATE_LABELS,
    WAITING_SHOWN,
    count_values,
    counts,
    flags,
    notices,
    waiting,
)
from models import StaffState, utcnow
from services.core import events, i18n
from services.core.i18n import t
from services.rotation.board import Board, BoardRow, line, site_board

COALESCE_S = 0.25
Push = Callable[[Board], None]
_reads: dict[int, tuple[int, asyncio.Task[Board | None]]] = {}  # site id → (version, its read): a cache
_sites: dict[int, _Site] = {}
_rows: dict[tuple[int, str], tuple[Board, list[dict[str, Any]], str]] = {}  # (site, language) → newest board's rows
_indexes: dict[int, tuple[Board, dict[int | None, BoardRow], dict[int | None, int]]] = {}  # site → its newest board's


class _Site:
    """The phones showing one site's board, and whether a read for them is on its way."""

    def __init__(self, site_id: int) -> None:
        self.site_id, self.phones, self.scheduled, self.last = site_id, list[Push](), False, 0.0


def install() -> None:
    """Once per app: the one subscriber to rotation changes, which schedules one read per site for all its phones."""
    _sites.clear()
    events.rotation_changed.subscribe(_changed)


def follow(site_id: int, push: Push, *, seen: int) -> None:
    """This phone gets each new board of the site, at most every COALESCE_S, until the phone goes; `seen` is the
    rotation version of the board it shows now (a change since then sends it a newer one)."""
    site = _sites.setdefault(site_id, _Site(site_id))
    site.phones.append(push)
    ui.context.client.on_delete(lambda: site.phones.remove(push))
    if events.rotation_version(site_id) != seen:
        _changed(site_id)


async def read(site_id: int) -> Board | None:
    """The site's board as of its latest rotation change, read off the event loop once for all phones."""
    version = events.rotation_version(site_id)
    cached = _reads.get(site_id)
    if cached is None or cached[0] != version or (cached[1].done() and cached[1].exception() is not None):
        task = background_tasks.create(run.io_bound(_read, site_id), name=f'board {site_id}')
        cached = _reads[site_id] = (version, task)
    return await asyncio.shield(cached[1])


def _changed(site_id: int) -> None:
    site = _sites.get(site_id)
    if site is not None and site.phones and not site.scheduled:
        site.scheduled = True
        background_tasks.create(_push(site), name=f'live board {site_id}')


async def _push(site: _Site) -> None:
    await asyncio.sleep(max(0.0, site.last + COALESCE_S - time.monotonic()))
    site.scheduled, site.last = False, time.monotonic()  # a change from now on schedules the next read
    board = await read(site.site_id)
    if board is None:  # the server is shutting down
        return
    for push in list(site.phones):
        try:
            push(board)
        except Exception as e:  # one phone's failure is its own
            core.app.handle_exception(e)


def _read(site_id: int) -> Board:
    with db.session() as s:
        return site_board(s, site_id=site_id, now=utcnow())


class LiveBoard:
    """A phone's board, changed in place: the figures' texts, the notices and waiting visitors only when they
    change, and the rows as one BoardRows element, which the phone draws."""

    def __init__(self, board: Board, *, me: int | None) -> None:
        self.board = board
        self.figures = counts(board, big=False)
        self.notes = ui.refreshable(_notes)
        self.notes(board)
        self.notes_key = _notes_key(board)
        self.rows = BoardRows(board, me=me)

    def show(self, board: Board) -> None:
        self.board = board
        for label, value in zip(self.figures, count_values(board), strict=True):
            if label.text != value:
                label.set_text(value)
        if (key := _notes_key(board)) != self.notes_key:
            self.notes.refresh(board)
            self.notes_key = key
        self.rows.show(board)

    def tick(self) -> None:
        """The clock moved: the waiting visitors' "waited N minutes" (the phone moves the rows' own times)."""
        if self.board.waiting:
            self.notes.refresh(self.board)


class BoardRows(ui.element, component='board_rows.js'):
    """The board's rows, drawn in the browser from one list (board_rows.js). As elements, 200 rows on 200 phones
    were 8.8 MB of server memory per phone and a rebuild on every phone for each change (bench.signin --page
    /rotation: 1.3 sign-ins/s); as a list, a change is one message per phone. The list goes as one JSON text made
    once per board: as a list in the props, NiceGUI and socket.io would walk its 200 rows again for every phone."""

    def __init__(self, board: Board, *, me: int | None) -> None:
        super().__init__()
        self._props['me'] = me
        self._props['texts'] = {
            'just_now': t('刚刚'),
            'minutes': t('{n} 分钟'),
            'hours': t('{h} 小时 {m} 分'),
            'me': t('我'),
        }
        self.shown, self._props['rows'] = rows_of(board)
        self._props['clock'] = time.time() * 1000  # the phone corrects its own clock by this

    def show(self, board: Board) -> None:
        rows, text = rows_of(board)
        if rows is not self.shown:
            self.shown, self._props['rows'], self._props['clock'] = rows, text, time.time() * 1000
            self.update()

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What the phone shows of each row, for the page tests' should_see."""
        return [text for row in self.shown for text in (row['name'], row['state'], row['receptions'])] + [
            flag[0] for row in self.shown for flag in row['flags']
        ]


def rows_of(board: Board) -> tuple[list[dict[str, Any]], str]:
    """The board's rows as the phone draws them, in the current language, and as JSON; made once per board and
    language."""
    key = (board.site_id, i18n.current_language())
    made = _rows.get(key)
    if made is None or made[0] is not board:
        rows = [_row(row) for row in board.rows]
        made = _rows[key] = (board, rows, json.dumps(rows, ensure_ascii=False, separators=(',', ':')))
    return made[1], made[2]


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


def place_in(board: Board, staff_id: int | None) -> int | None:
    """My place in line on this board (1: up next)."""
    return _index(board)[1].get(staff_id)


def row_in(board: Board, staff_id: int | None) -> BoardRow | None:
    """My row on this board."""
    return _index(board)[0].get(staff_id)


def _index(board: Board) -> tuple[dict[int | None, BoardRow], dict[int | None, int]]:
    """Each row and each place in line by staff id: worked out once per board, not once per phone."""
    made = _indexes.get(board.site_id)
    if made is None or made[0] is not board:
        rows: dict[int | None, BoardRow] = {r.staff_id: r for r in board.rows}
        places: dict[int | None, int] = {staff_id: n for n, staff_id in enumerate(line(board.rows), start=1)}
        made = _indexes[board.site_id] = (board, rows, places)
    return made[1], made[2]


def _notes(board: Board) -> None:
    notices(board, big=False)
    if board.waiting:
        waiting(board, big=False)
    if not board.rows:
        ui.label(t('今天还没有人签到')).classes('ac-muted')


def _notes_key(board: Board) -> tuple[object, ...]:
    return board.overdue_checklists, tuple(board.waiting[:WAITING_SHOWN]), len(board.waiting), not board.rows
