"""The rotation board on staff phones, live: one shared read per site at most every COALESCE_S, pushed to each phone,
which redraws only the rows that changed.

On an opening-day burst the rotation changes dozens of times a second; redrawing every phone's whole board each time
would be thousands of rebuilt elements a second on the one event loop. A change starts a read unless one is already
scheduled (trailing edge: a read always starts after the last change, so the final state always shows).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from nicegui import background_tasks, core, run, ui

import db
from components.board import counts, minutes_since, row_view, waiting
from models import StaffState, utcnow
from services import events, rotation
from services.board import Board, BoardRow, site_board
from services.i18n import t

COALESCE_S = 0.25
Push = Callable[[Board], None]
_reads: dict[int, tuple[int, asyncio.Task[Board | None]]] = {}  # site id → (version, its read): a cache
_sites: dict[int, _Site] = {}


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
    """A phone's board, updated in place: changed rows are redrawn, moved rows moved, the rest left alone."""

    def __init__(self, board: Board, *, me: int | None) -> None:
        self.me, self.board = me, board
        self.top = ui.refreshable(_top)
        self.top(board)
        self.top_key = _top_key(board)
        self.column = ui.column().classes('w-full gap-2 ac-live-board')
        self.rows: dict[int, tuple[BoardRow, ui.card, ui.label]] = {}
        self.show(board)

    def show(self, board: Board) -> None:
        self.board = board
        if (key := _top_key(board)) != self.top_key:
            self.top.refresh(board)
            self.top_key = key
        for gone in set(self.rows) - {row.staff_id for row in board.rows}:
            self.rows.pop(gone)[1].delete()
        for row in board.rows:
            drawn = self.rows.get(row.staff_id)
            if drawn is None or drawn[0] != row:
                if drawn is not None:
                    drawn[1].delete()
                with self.column:
                    counted = not row.trainee and row.state != StaffState.OFF
                    card, since = row_view(row, number=None, me=self.me, big=False, counted=counted)
                self.rows[row.staff_id] = (row, card, since)
        order = [self.rows[row.staff_id][1] for row in board.rows]
        if self.column.default_slot.children != order:
            self.column.default_slot.children[:] = order
            self.column.update()

    def tick(self) -> None:
        """The clock moved: only the "since" labels whose text changed."""
        now = utcnow()
        if self.board.waiting:  # "waited N minutes"
            self.top.refresh(self.board)
        for row, _, since in self.rows.values():
            if (text := minutes_since(row.since, now)) != since.text:
                since.set_text(text)


def place_in(board: Board, staff_id: int | None) -> int | None:
    """My place in line on this board (1: up next), by the rule services.board.my_day reads it with."""
    line = [r for r in board.rows if not r.trainee and r.state != StaffState.OFF]
    line = [r for r in line if r.state == StaffState.AVAILABLE or (r.state in rotation.KEEPS_TURN and r.kept_turns)]
    ids = [r.staff_id for r in line]
    return ids.index(staff_id) + 1 if staff_id in ids else None


def _top(board: Board) -> None:
    counts(board, big=False)
    if board.waiting:
        waiting(board, big=False)
    if not board.rows:
        ui.label(t('今天还没有人签到')).classes('ac-muted')


def _top_key(board: Board) -> tuple[object, ...]:
    return (
        board.visits,
        board.new_visits,
        board.returning_visits,
        board.receiving,
        board.touring,
        board.greet_median_s,
        board.overdue_checklists,
        tuple(board.waiting),
        not board.rows,
    )
