"""The rotation board: today's order, who is up, each person's state, waiting visitors and the day's counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from nicegui import ui

from models import StaffState, utcnow
from services.core.i18n import t
from services.rotation.board import Board, BoardRow

STATE_LABELS = {
    StaffState.AVAILABLE: '空闲',
    StaffState.RECEIVING: '接待中',
    StaffState.TOURING: '带看中',
    StaffState.BREAK: '午餐轮休',
    StaffState.MEETING: '会议',
    StaffState.AWAY: '外出办事',
    StaffState.OFF: '已下班',
}
STATE_COLORS = {
    StaffState.AVAILABLE: 'green-7',
    StaffState.RECEIVING: 'orange-8',
    StaffState.TOURING: 'blue-7',
    StaffState.BREAK: 'grey-6',
    StaffState.MEETING: 'purple-6',
    StaffState.AWAY: 'red-6',
    StaffState.OFF: 'grey-5',
}


def minutes_since(at: datetime, now: datetime | None = None) -> str:
    """'刚刚' or 'N 分钟' (or hours) since a moment."""
    minutes = int(((now or utcnow()) - at).total_seconds() // 60)
    if minutes < 1:
        return t('刚刚')
    return t('{n} 分钟', n=minutes) if minutes < 60 else t('{h} 小时 {m} 分', h=minutes // 60, m=minutes % 60)


def board_view(board: Board, *, me: int | None = None, big: bool = False) -> None:
    """The whole board; `big`: the TV's, read from five metres, every text at least 48 px (the TV shows the counts,
    who is up next and the waiting visitors in its bottom band: pages/rotation/tv.py)."""
    if not big:
        counts(board, big=big)
    notices(board, big=big)
    if board.waiting and not big:
        waiting(board, big=big)
    with ui.column().classes('w-full gap-2' if not big else 'w-full gap-4'):
        if not board.rows:
            ui.label(t('今天还没有人签到')).classes('ac-muted text-5xl' if big else 'ac-muted')
        number = 0
        for row in board.rows:
            number += 0 if row.trainee or row.state == StaffState.OFF else 1
            row_view(row, number=None if row.trainee or row.state == StaffState.OFF else number, me=me, big=big)


COUNTS = ('今日到访', '新客', '老客', '接待中', '带看中', '迎客用时（分）')


def count_values(board: Board) -> list[str]:
    """The day's figures, in the order of COUNTS."""
    greet = f'{board.greet_median_s / 60:.1f}' if board.greet_median_s is not None else '–'
    figures = (board.visits, board.new_visits, board.returning_visits, board.receiving, board.touring)
    return [*map(str, figures), greet]


def counts(board: Board, *, big: bool) -> list[ui.label]:
    """The day's figures as cards; returns their value labels (a live board changes their text in place)."""
    values = []
    with ui.grid(columns=6 if big else 3).classes('w-full gap-2').mark('board-counts'):
        for label, value in zip(map(t, COUNTS), count_values(board), strict=True):
            with ui.card().classes('items-center gap-0 py-2 ' + ('py-6' if big else '')):
                values.append(
                    ui.label(value).classes('font-bold ' + ('text-6xl' if big else 'text-2xl')).mark(f'count-{label}')
                )
                ui.label(label).classes('ac-muted ' + ('text-2xl' if big else 'text-xs'))
    return values


def notices(board: Board, *, big: bool) -> None:
    """Overdue duty checks, and on the TV the open complaints (there, one line for both)."""
    if big:
        tv_notices(board)
        return
    if board.overdue_checklists:
        ui.label(t('值班检查逾期 {n} 项', n=board.overdue_checklists)).classes(
            'w-full rounded bg-red-100 text-red-900 font-semibold p-2 ' + ('text-3xl' if big else 'text-sm')
        ).mark('count-overdue-checklists')


def tv_notices(board: Board) -> None:
    """The TV's one line: overdue checks and open complaints (a phone's page has its own complaint bar)."""
    if not board.overdue_checklists and not board.open_complaints:
        return
    late = board.overdue_checklists or board.overdue_complaints
    colour = 'bg-red-700 text-white' if late else 'bg-orange-100 text-orange-900'
    with ui.row().classes(f'w-full rounded font-semibold px-4 py-1 text-5xl no-wrap gap-8 {colour}'):
        if board.overdue_checklists:
            ui.label(t('值班检查逾期 {n} 项', n=board.overdue_checklists)).mark('count-overdue-checklists')
        if board.open_complaints:
            text = t('投诉待处理 {n} 条', n=board.open_complaints)
            if board.overdue_complaints:
                text += ' · ' + t('逾期 {n} 条', n=board.overdue_complaints)
            ui.label(text).mark('count-complaints')


WAITING_SHOWN = 5
"""Waiting visitors named on a board, the longest-waiting first; the rest are counted (a crowd would fill the
screen, and every phone would redraw hundreds of lines with each new arrival)."""


def waiting(board: Board, *, big: bool) -> None:
    with ui.card().classes('w-full bg-amber-100 gap-1').mark('board-waiting'):
        ui.label(t('等待接待 {n} 组', n=board.waiting_total)).classes(
            'font-semibold text-amber-900 ' + ('text-4xl' if big else 'text-base')
        )
        if board.waiting_total > WAITING_SHOWN:
            more = board.waiting_total - WAITING_SHOWN
            ui.label(t('等得最久的 {shown} 组，另有 {n} 组', shown=WAITING_SHOWN, n=more)).classes(
                'text-amber-900 ' + ('text-2xl' if big else 'text-xs')
            )
        for visit in board.waiting[:WAITING_SHOWN]:
            ui.label(
                t(
                    '{name}（{n} 人）· 已等 {since}',
                    name=visit.customer,
                    n=visit.party_size,
                    since=minutes_since(visit.arrived_at),
                )
            ).classes('text-3xl' if big else 'text-sm')


def row_view(
    row: BoardRow,
    *,
    number: int | None,
    me: int | None,
    big: bool,
    controls: Callable[[BoardRow], None] | None = None,
) -> None:
    """One salesperson: place, name, state and since when, today's receptions, and flags; `controls`: what a
    manager can do to this row, drawn on the row itself."""
    highlight = ' ring-4 ring-green-600' if row.up_next else ''
    mine = ' ac-me' if row.staff_id == me else ''
    with ui.card().classes('w-full gap-2' + highlight + mine).mark(f'board-row-{row.staff_id}'):
        row_line(row, number=number, big=big)
        if controls is not None:
            controls(row)


def row_line(row: BoardRow, *, number: int | None, big: bool) -> None:
    if big:
        tv_row_line(row, number=number)
        return
    with ui.row().classes('w-full items-center no-wrap gap-3'):
        ui.label(str(number) if number else '·').classes('font-bold text-center text-xl w-8')
        with ui.column().classes('gap-0 min-w-0 flex-1'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.label(row.name).classes('font-semibold truncate text-lg')
                for flag, color in flags(row):
                    ui.badge(flag, color=color)
            ui.label(t('今日接待 {n}', n=row.receptions)).classes('ac-muted text-xs')
        with ui.column().classes('items-end gap-0'):
            ui.badge(t(STATE_LABELS[StaffState(row.state)]), color=STATE_COLORS[StaffState(row.state)]).classes(
                'text-sm px-2 py-1'
            ).mark(f'state-{row.staff_id}')
            ui.label(minutes_since(row.since)).classes('ac-muted text-xs')


def tv_row_line(row: BoardRow, *, number: int | None) -> None:
    """The TV's row, every text 48 px or more: place, name and state; below, today's receptions and the flags."""
    with ui.row().classes('w-full items-center no-wrap gap-4'):
        ui.label(str(number) if number else '·').classes('font-bold text-center text-5xl w-12')
        with ui.column().classes('gap-1 min-w-0 flex-1'):
            with ui.row().classes('w-full items-center no-wrap gap-3'):
                ui.label(row.name).classes('font-semibold truncate text-5xl leading-tight flex-1 min-w-0')
                ui.badge(t(STATE_LABELS[StaffState(row.state)]), color=STATE_COLORS[StaffState(row.state)]).classes(
                    'text-5xl px-4 py-1'
                ).mark(f'state-{row.staff_id}')
            with ui.row().classes('items-center gap-3 no-wrap overflow-hidden'):
                ui.label(t('今日接待 {n}', n=row.receptions)).classes('ac-muted text-5xl whitespace-nowrap')
                for flag, color in flags(row):
                    ui.badge(flag, color=color).classes('text-5xl px-3')


def flags(row: BoardRow) -> list[tuple[str, str]]:
    found = []
    if row.up_next:
        found.append((t('下一位'), 'green-8'))
    if row.kept_turns:
        found.append((t('补接'), 'amber-8'))
    if row.trainee:
        found.append((t('带教中'), 'grey-7'))
    if row.lunch_until:
        found.append((t('午餐至 {at}', at=row.lunch_until), 'grey-7'))
    return found
