"""/customers/{id}/data (个人信息): the manager exports a customer's data as a file, or anonymises it on request."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

import db
from components.frame import dialog_buttons, frame, page_dialog
from components.session import current_staff, guard
from models import Customer, Staff
from services import privacy
from services.core import authz
from services.core.errors import DomainError
from services.core.i18n import t

router = APIRouter()


@router.page('/customers/{customer_id}/data')
async def customer_data_page(customer_id: int) -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    with frame('个人信息', me, active='/customers'):
        try:
            customer = await run.io_bound(_customer, me, customer_id)
        except DomainError as e:
            ui.label(e.translated()).classes('ac-muted')
            return
        if customer is None:  # the app is shutting down
            return
        with ui.card().classes('w-full gap-2'):
            ui.label(f'{customer.surname}{t(customer.title)}').classes('text-xl font-bold').mark('privacy-name')
            if customer.anonymised_at:
                ui.label(t('已匿名处理：个人信息已删除，仅保留统计数据')).classes('text-sm text-teal-900')
            ui.label(t('客户可随时要求查询、导出、更正或删除其个人信息（《个人信息保护法》）')).classes(
                'ac-muted text-sm'
            )
            ui.button(t('导出个人信息'), icon='download', on_click=lambda: export(customer_id)).props(
                'unelevated color=teal-8'
            ).classes('w-full ac-big-btn').mark('privacy-export')
            if not customer.anonymised_at:
                ui.button(
                    t('删除个人信息（匿名处理）'), icon='person_remove', on_click=lambda: confirm(customer_id)
                ).props('outline color=red-8').classes('w-full ac-big-btn').mark('privacy-anonymise')


async def export(customer_id: int) -> None:
    """The customer's data as a JSON file (the export is audited)."""
    try:
        data = await run.io_bound(_export, _actor(), customer_id)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return
    if data is not None:
        ui.download.content(data, f'anchang-customer-{customer_id}.json', 'application/json')


def confirm(customer_id: int) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-sm gap-2'):
        ui.label(t('删除该客户的个人信息？')).classes('text-lg font-semibold')
        ui.label(t('姓名、手机号和备注将被永久删除，到访和成交等统计保留。此操作不能撤销。')).classes(
            'ac-muted text-sm'
        )
        reason = ui.input(t('原因'), placeholder=t('如：客户本人要求删除')).props('outlined maxlength=200')
        reason.classes('w-full').mark('privacy-reason')
        dialog_buttons(
            dialog, t('确认删除'), lambda: anonymise(customer_id, reason.value or '', dialog), color='red-8'
        ).mark('privacy-confirm')
    dialog.open()


async def anonymise(customer_id: int, reason: str, dialog: ui.dialog) -> None:
    try:
        await run.io_bound(_anonymise, _actor(), customer_id, reason)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return
    dialog.close()
    ui.notify(t('个人信息已删除'), type='positive')
    ui.navigate.reload()


def _actor() -> Staff:
    me = current_staff()
    if me is None:
        raise DomainError('登录已过期，请重新登录')
    return me


def _customer(actor: Staff, customer_id: int) -> Customer:
    with db.session() as s:
        return privacy.customer_for_manager(s, actor=actor, customer_id=customer_id)


def _export(actor: Staff, customer_id: int) -> bytes:
    with db.session() as s:
        return privacy.export_json(privacy.export_customer(s, actor=actor, customer_id=customer_id))


def _anonymise(actor: Staff, customer_id: int, reason: str) -> None:
    with db.session() as s:
        privacy.anonymise_customer(s, actor=actor, customer_id=customer_id, reason=reason)
