"""The manager's rotation: the live board with overrides (order, skip, assign, undo, states) and the ledger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from nicegui import APIRouter, ui
from sqlmodel import Session

import db
from components import actions, owner_notice
from components.board import STATE_LABELS, board_view
from components.frame import dialog_buttons, frame, page_dialog
from components.session import guard
from models import Role, Staff, StaffState, TurnEntry
from pages.rotation.links import rotation_links
from services.accounts import sites
from services.accounts import staff as staff_service
from services.core import events
from services.core.i18n import t
from services.rotation import board, reception
from services.rotation import overrides as rotation_manage

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
def manage_page() -> None:
    me = guard(SITE_MANAGER)
    if me is None:
        return
    with frame('轮序管理', me, active='/rotation'):
        ui.button(
            t('撤销最近一次分配（2 分钟内）'), icon='undo', on_click=lambda: act(rotation_manage.undo_last)
        ).props('outline color=red-8').classes('w-full ac-big-btn').mark('undo')
        rotation_links()  # 公平性, 午餐轮休安排, 轮序规则
        owner_notice.install_owner_notice(me)  # alerts nobody answered
        live = ui.refreshable(overrides)  # this phone's own view
        live(me)
        log = ui.refreshable(ledger)
        log(me)
        events.rotation_changed.subscribe(
            lambda site_id: (live.refresh(), log.refresh()) if site_id == me.site_id else None
        )


def overrides(me: Staff) -> None:
    with db.session() as s:
        view = board.board(s, actor=me)
    for visit in view.waiting:
        with ui.card().classes('w-full bg-amber-100 gap-1').mark(f'waiting-{visit.visit_id}'):
            ui.label(t('{name}（{n} 人）等待接待', name=visit.customer, n=visit.party_size)).classes('font-semibold')
            people = {r.staff_id: r.name for r in view.rows if not r.trainee and r.state != StaffState.OFF}
            ui.select(
                people,
                label=t('指派给'),
                on_change=lambda e, v=visit.visit_id: act(rotation_manage.assign_to, visit_id=v, staff_id=e.value),
            ).props('outlined').classes('w-full').mark(f'assign-{visit.visit_id}')
    board_view(view)
    ui.label(t('调整顺序与状态')).classes('text-base font-semibold mt-2')
    order = [r.staff_id for r in view.rows if not r.trainee]
    for row in view.rows:
        if row.trainee:
            continue
        with ui.card().classes('w-full gap-1').mark(f'manage-{row.staff_id}'):
            with ui.row().classes('w-full items-center no-wrap gap-1'):
                ui.label(row.name).classes('font-semibold flex-1 truncate')
                ui.button(
                    icon='arrow_upward',
                    on_click=lambda i=row.staff_id: act(rotation_manage.reorder, staff_ids=_moved_up(order, i)),
                ).props('flat dense round').mark(f'up-{row.staff_id}')
                ui.button(
                    t('移到末位'),
                    on_click=lambda i=row.staff_id: ask_move_back(i),
                ).props('flat dense color=teal-8').mark(f'back-{row.staff_id}')
            ui.select(
                {
                    s: t(label)
                    for s, label in STATE_LABELS.items()
                    if s not in (StaffState.RECEIVING, StaffState.TOURING)
                },
                value=row.state if row.state not in (StaffState.RECEIVING, StaffState.TOURING) else None,
                label=t('状态'),
                on_change=lambda e, i=row.staff_id: act(_set_state, staff_id=i, state=e.value) if e.value else None,
            ).props('outlined dense')


def ledger(me: Staff) -> None:
    with db.session() as s:
        entries = rotation_manage.turn_ledger(s, actor=me)
        names = {p.id: p.name for p in staff_service.list_staff(s, actor=me)}
        tz = ZoneInfo(sites.get_site(s, actor=me, site_id=me.site_id or 0).timezone)
    with ui.expansion(t('今日轮次记录（{n} 条）', n=len(entries))).classes('w-full bg-white rounded').mark('ledger'):
        for entry in entries:
            ledger_line(entry, names, tz)


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
