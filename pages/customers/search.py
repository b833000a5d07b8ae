"""客户: find a customer by phone or surname; the manager transfers ownership and merges duplicates."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from nicegui import APIRouter, run, ui
from sqlmodel import Session

import db
from components.frame import dialog_buttons, field_error, frame, page_dialog
from components.session import current_staff, guard
from models import Role, Staff
from services.accounts import staff as staff_service
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t
from services.core.validation import normalise_phone
from services.customers import ownership
from services.customers import search as customers

router = APIRouter()


@router.page('/customers')
def customers_page(q: str = '') -> None:
    me = guard(customers.ON_SITE)
    if me is None:
        return
    with frame('客户', me, active='/customers'):
        search = (
            ui.input(t('手机号或姓氏'), value=q[:20])
            .props('outlined clearable type=search maxlength=20')
            .classes('w-full')
            .mark('customer-search')
        )
        results = ui.refreshable(result_list)
        ui.button(t('查找'), on_click=lambda: results.refresh(me, search.value or '')).props(
            'unelevated color=teal-8'
        ).classes('w-full')
        results(me, q[:20])
        search.on('keydown.enter', lambda: results.refresh(me, search.value or ''))
        search.on('clear', lambda: results.refresh(me, ''))


def result_list(me: Staff, query: str) -> None:
    with db.reading() as s:
        rows = customers.search(s, actor=me, query=query)
        colleagues = (
            {
                p.id: p.name
                for p in staff_service.list_staff(s, actor=me, active_only=True)
                if p.role == Role.SALESPERSON
            }
            if me.role == Role.MANAGER
            else {}
        )
    if not rows:
        ui.label(t('没有找到客户')).classes('ac-muted')
    for row in rows:
        with ui.card().classes('w-full gap-1 p-0').mark(f'customer-{row.id}'):
            with (
                ui.link(target=f'/customers/{row.id}')
                .classes('block w-full no-underline text-inherit p-4')
                .mark(f'open-customer-{row.id}')
            ):  # the whole card opens the customer, not only the name
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.label(f'{row.name} · {row.phone}').classes('text-base font-semibold truncate text-teal-900')
                    if row.owned_by_me:
                        ui.badge(t('我的客户'), color='teal-8')
                ui.label(ownership_line(row)).classes('ac-muted text-sm')
            if me.role == Role.MANAGER:
                with ui.row().classes('gap-2 px-4 pb-3'):
                    ui.button(t('转移归属'), on_click=lambda r=row: transfer_dialog(r, colleagues)).props(
                        'outline color=teal-8'
                    ).mark(f'transfer-{row.id}')
                    ui.button(t('合并重复'), on_click=lambda r=row: merge_dialog(r)).props('outline color=teal-8').mark(
                        f'merge-{row.id}'
                    )


def ownership_line(row: customers.CustomerRow) -> str:
    if row.owner is None:
        return t('公共客户池')
    until = row.protected_until.astimezone(ZoneInfo('Asia/Shanghai')) if row.protected_until else None
    return (
        t('归属 {name}，保护至 {day}', name=row.owner, day=f'{until:%m-%d}')
        if until
        else t('归属 {name}', name=row.owner)
    )


def transfer_dialog(row: customers.CustomerRow, colleagues: dict[int | None, str]) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('转移 {name} 的归属', name=row.name)).classes('text-lg font-semibold')
        to = ui.select({k: v for k, v in colleagues.items() if k}, label=t('新的归属人')).props('outlined')
        reason = ui.input(t('原因')).props('outlined maxlength=200')
        confirm_row(
            dialog,
            lambda actor, s: ownership.transfer(
                s, actor=actor, customer_id=row.id, new_owner_id=to.value or 0, reason=reason.value or ''
            ),
            reason,
        )
    dialog.open()


def merge_dialog(row: customers.CustomerRow) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('把另一条记录合并到 {name}', name=row.name)).classes('text-lg font-semibold')
        other = ui.input(t('另一条记录的手机号')).props('outlined type=tel maxlength=20')
        reason = ui.input(t('原因（如：同一家庭）')).props('outlined maxlength=200')

        def merge(actor: Staff, s: Session) -> None:
            duplicate = customers.find_by_phone(s, actor=actor, phone=normalise_phone(other.value or ''))
            ownership.merge(s, actor=actor, keep_id=row.id, merge_id=duplicate.id or 0, reason=reason.value or '')

        confirm_row(dialog, merge, reason)
    dialog.open()


def confirm_row(dialog: ui.dialog, action: Callable[[Staff, Session], object], reason: ui.input) -> None:
    async def confirm() -> None:
        actor = current_staff()
        if actor is None:
            ui.navigate.to('/login')
            return
        try:
            await run.io_bound(_run, action, actor)
        except ValidationError as e:
            field_error(reason, e.translated()) if e.field == 'reason' else ui.notify(e.translated(), type='negative')
            return
        except DomainError as e:
            ui.notify(e.translated(), type='negative')
            return
        dialog.close()
        ui.navigate.reload()

    dialog_buttons(dialog, t('确定'), confirm).mark('confirm')


def _run(action: Callable[[Staff, Session], object], actor: Staff) -> None:
    with db.session() as s:
        action(actor, s)
