"""The manager's rotation: the live board with overrides (order, skip, assign, undo, states) and the ledger."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from nicegui import APIRouter, background_tasks, run, ui
from sqlmodel import Session

import db
from components import actions, live_board, owner_notice
from components.background import alive
from components.board import STATE_LABELS, counts, notices, row_view
from components.frame import dialog_buttons, frame, page_dialog
from components.session import guard
from models import Role, Staff, StaffState, TurnEntry
from pages.rotation.links import rotation_links
from services.accounts import sites
from services.accounts import staff as staff_service
from services.core import events
from services.core.i18n import t
from services.rotation import overrides as rotation_manage
from services.rotation import reception
from services.rotation.board import Board, BoardRow

router = APIRouter()
SITE_MANAGER = frozenset({Role.MANAGER})
TURN_LABELS = {
    'assigned': '轮到接待',
    'owner': '老客户归属人接待',
    'skipped_kept': '跳过（保留轮次）',
    'skipped_forfeited': '跳过（放弃轮次）',
    'made_up': '补接',
    'returned_invalid': '无效接待，归还轮次',
    'moved': '经理调整',
    'undone': '撤销分配',
    'on_behalf': '代接（不占轮次）',
    'taken_over': '归属人接手',
    'unanswered': '未响应，转给下一位',
    'held_out': '暂停接待',
    'rejoined': '重新上岗，排到末位',
}


REASON_LABELS = {str(state): label for state, label in STATE_LABELS.items()} | {
    'on_behalf': '代接',
    'held_out': '追访逾期',
    'take_over': '接手',
}
SILENT_REASONS = frozenset({'reorder', 'undo', 'manager', '未响应'})  # the entry's kind already says it


@router.page('/rotation/manage')
async def manage_page() -> None:
    me = guard(SITE_MANAGER)
    if me is None:
        return
    with frame('轮序管理', me, active='/rotation'):
        ui.button(
            t('撤销最近一次分配（2 分钟内）'), icon='undo', on_click=lambda: act(rotation_manage.undo_last)
        ).props('outline color=red-8').classes('w-full ac-big-btn').mark('undo')
        rotation_links()  # 公平性, 午餐轮休安排, 轮序规则
        owner_notice.install_owner_notice(me)  # alerts nobody answered
        page = ManagerView(me)
        seen = events.rotation_version(me.site_id or 0)
        data = await page.read()
        if data is None:  # the server is shutting down
            return
        page.live(me, data[0])
        page.log(data[1])
        events.rotation_changed.subscribe(page.changed)
        if events.rotation_version(me.site_id or 0) != seen:  # changed while this page was being read
            page.changed(me.site_id or 0)


class ManagerView:
    """This manager's board and ledger, redrawn together at most every live_board.COALESCE_S (trailing edge: a redraw
    always starts after the last change) from reads off the event loop: an opening-day burst of sign-ins is dozens of
    rotation changes a second, and a redraw for each would stall every phone on the one loop."""

    def __init__(self, me: Staff) -> None:
        self.me, self.client = me, ui.context.client
        self.live = ui.refreshable(overrides)
        self.log = ui.refreshable(ledger)
        self.scheduled, self.last, self.reads = False, 0.0, 0

    async def read(self) -> tuple[Board, Ledger] | None:
        site_board = await live_board.read(self.me.site_id or 0)
        entries = await run.io_bound(_ledger, self.me)
        return None if site_board is None or entries is None else (site_board, entries)

    def changed(self, site_id: int) -> None:
        if site_id == self.me.site_id and not self.scheduled:
            self.scheduled = True
            background_tasks.create(self.redraw(), name='manager rotation')

    async def redraw(self) -> None:
        await asyncio.sleep(max(0.0, self.last + live_board.COALESCE_S - time.monotonic()))
        self.scheduled, self.last = False, time.monotonic()  # a change from now on schedules the next redraw
        self.reads += 1
        number = self.reads
        data = await self.read()
        if data is None or number != self.reads or not alive(self.client):  # stopping, outdated, or the page is gone
            return
        with self.client:
            self.live.refresh(self.me, data[0])
            self.log.refresh(data[1])


@dataclass(frozen=True)
class Ledger:
    """Today's ledger with what its lines need: the names and the site's time zone."""

    entries: list[TurnEntry]
    names: dict[int | None, str]
    tz: ZoneInfo


def overrides(me: Staff, view: Board) -> None:
    """The board with the manager's controls on its rows: waiting visitors to assign, then each person's row with
    move up, 移到末位 and the state — one list, not the board and a second list repeating it."""
    people = {r.staff_id: r.name for r in view.rows if not r.trainee and r.state != StaffState.OFF}
    for visit in view.waiting:
        with ui.card().classes('w-full bg-amber-100 gap-1').mark(f'waiting-{visit.visit_id}'):
            ui.label(t('{name}（{n} 人）等待接待', name=visit.customer, n=visit.party_size)).classes('font-semibold')
            ui.select(
                people,
                label=t('指派给'),
                on_change=lambda e, v=visit.visit_id: act(rotation_manage.assign_to, visit_id=v, staff_id=e.value),
            ).props('outlined').classes('w-full').mark(f'assign-{visit.visit_id}')
    notices(view, big=False)
    ui.label(t('调整顺序与状态')).classes('text-base font-semibold')
    if not view.rows:
        ui.label(t('今天还没有人签到')).classes('ac-muted')
    order = [r.staff_id for r in view.rows if not r.trainee]
    number = 0
    for row in view.rows:
        counted = not row.trainee and row.state != StaffState.OFF
        number += 1 if counted else 0
        controls = None if row.trainee else (lambda r, o=order: row_controls(r, o))
        with ui.element('div').classes('w-full').mark(f'manage-{row.staff_id}'):
            row_view(row, number=number if counted else None, me=None, big=False, controls=controls)
    counts(view, big=False)


def row_controls(row: BoardRow, order: list[int]) -> None:
    """On a row of the manager's board: move up, to the back (with a reason), and the state."""
    with ui.row().classes('w-full items-center no-wrap gap-2'):
        ui.button(
            icon='arrow_upward', on_click=lambda: act(rotation_manage.reorder, staff_ids=_moved_up(order, row.staff_id))
        ).props(f'outline color=teal-8 aria-label="{t("前移一位")}"').mark(f'up-{row.staff_id}')
        ui.button(t('移到末位'), on_click=lambda: ask_move_back(row.staff_id)).props('outline color=teal-8').mark(
            f'back-{row.staff_id}'
        )
        ui.select(
            {s: t(label) for s, label in STATE_LABELS.items() if s not in (StaffState.RECEIVING, StaffState.TOURING)},
            value=row.state if row.state not in (StaffState.RECEIVING, StaffState.TOURING) else None,
            label=t('状态'),
            on_change=lambda e: act(_set_state, staff_id=row.staff_id, state=e.value) if e.value else None,
        ).props('outlined dense').classes('flex-1 min-w-0')


def ledger(data: Ledger) -> None:
    title = t('今日轮次记录（{n} 条）', n=len(data.entries))
    with ui.expansion(title).classes('w-full bg-white rounded').mark('ledger'):
        for entry in data.entries:
            ledger_line(entry, data.names, data.tz)


def _ledger(me: Staff) -> Ledger:
    with db.session() as s:
        entries = rotation_manage.turn_ledger(s, actor=me)
        names = {p.id: p.name for p in staff_service.list_staff(s, actor=me)}
        tz = ZoneInfo(sites.get_site(s, actor=me, site_id=me.site_id or 0).timezone)
    return Ledger(entries, names, tz)


def ledger_line(entry: TurnEntry, names: dict[int | None, str], tz: ZoneInfo) -> None:
    ui.label(ledger_text(entry, names, tz)).classes('text-sm py-1 border-b border-gray-100 w-full')


def ledger_text(entry: TurnEntry, names: dict[int | None, str], tz: ZoneInfo) -> str:
    """One ledger line as the manager reads it: time, who, what, why — codes in words, never raw."""
    at = entry.at.astimezone(tz)
    who = names.get(entry.staff_id, '')
    by = t('（经理 {name}）', name=names.get(entry.actor_id, '')) if entry.actor_id else ''
    why = ' · '.join(p for p in (reason_text(entry.reason), counted(entry)) if p)
    return f'{at:%H:%M:%S} {who} · {t(TURN_LABELS.get(entry.kind, "轮次变动"))}{f" · {why}" if why else ""}{by}'


def counted(entry: TurnEntry) -> str:
    """A kept place or a hold-out is one line per absence: how many went past, and whether it is made up."""
    if entry.kind not in ('skipped_kept', 'held_out'):
        return ''
    past = t('期间跳过 {n} 组', n=entry.skipped)
    if entry.kind == 'held_out':
        return past
    return f'{t("保留位置")}，{past}（{t("已补接") if entry.closed_at else t("待补接")}）'


def reason_text(reason: str | None) -> str:
    """A ledger reason: a code the services write (a state, 代接) in words; a person's own words as they wrote them."""
    if not reason or reason in SILENT_REASONS:
        return ''
    return t(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


def reason_dialog(then: Callable[[str], Awaitable[None]]) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('请填写原因')).classes('text-lg font-semibold')
        reason = ui.input(t('原因')).props('outlined maxlength=200')

        async def confirm() -> None:
            await then(reason.value or '')
            dialog.close()

        dialog_buttons(dialog, t('确定'), confirm).mark('confirm-reason')
    dialog.open()


def _moved_up(order: list[int], staff_id: int) -> list[int]:
    i = order.index(staff_id)
    return order if i == 0 else [*order[: i - 1], staff_id, order[i - 1], *order[i + 1 :]]


def ask_move_back(staff_id: int) -> None:
    async def move(why: str) -> None:
        await act(rotation_manage.move_to_back, staff_id=staff_id, reason=why)

    reason_dialog(move)


def _set_state(session: Session, *, actor: Staff, staff_id: int, state: str) -> None:
    reception.set_state(session, actor=actor, staff_id=staff_id, state=state)


async def act(action: Callable[..., object], **kwargs: object) -> None:
    """Run an override as the logged-in manager; a refused one shows its reason."""
    await actions.act(lambda session, actor: action(session, actor=actor, **kwargs))
