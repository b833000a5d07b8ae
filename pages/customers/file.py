"""/customers/{id}: one customer's file — owner, protection, grade, outcome — and the whole timeline."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.frame import frame, page_dialog
from components.record_form import follow_up_fields, grade_picker
from components.session import guard
from models import Role, Site, Staff
from services.core.errors import DomainError
from services.core.i18n import t
from services.customers import contacts, followups, outcomes, timeline

router = APIRouter()
OUTCOMES = {'deal': '已成交', 'lost': '未成交', '': '跟进中'}


@router.page('/customers/{customer_id}')
def customer_page(customer_id: int) -> None:
    me = guard(contacts.ON_SITE)
    if me is None:
        return
    with frame('客户资料', me, active='/customers'):
        try:
            with db.reading() as s:
                file = timeline.customer_file(s, actor=me, customer_id=customer_id)
                site = contacts.site_of(s, me)
        except DomainError as e:
            ui.label(e.translated()).classes('ac-muted')
            return
        header(me, file)
        actions(me, file, site)
        ui.label(t('时间线')).classes('text-base font-semibold mt-2')
        for item in file.items:
            timeline_item(item, file.timezone)


def header(me: Staff, file: timeline.CustomerFile) -> None:
    with ui.card().classes('w-full gap-1').mark('customer-header'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(file.name).classes('text-xl font-bold truncate')
            if file.grade:
                ui.badge(file.grade, color='teal-8').classes('text-lg px-3').mark('customer-grade')
        ui.label(file.phone).classes('text-base').mark('customer-phone')
        if file.grade_meaning:
            ui.label(t(file.grade_meaning)).classes('ac-muted text-sm')
        owner = t('归属 {name}', name=file.owner) if file.owner else t('公共客户池')
        until = file.protected_until.astimezone(ZoneInfo(file.timezone)) if file.protected_until else None
        guard_line = t('保护至 {day}', day=f'{until:%m-%d}') if file.protected and until else t('不在保护期')
        ui.label(f'{owner} · {guard_line}').classes('ac-muted text-sm')
        state = t(OUTCOMES.get(file.outcome, '跟进中')) + (f' · {file.outcome_detail}' if file.outcome_detail else '')
        ui.label(state + ('' if file.follow_up else ' · ' + t('不再追访'))).classes('text-sm').mark('customer-outcome')
        if file.next_follow_up:
            ui.label(t('下次追访 {day}', day=f'{file.next_follow_up:%m-%d}')).classes('text-sm text-teal-900')


def actions(me: Staff, file: timeline.CustomerFile, site: Site) -> None:
    mine = file.owned_by_me or me.role == Role.MANAGER
    with ui.row().classes('w-full gap-2'):
        if mine and file.next_follow_up_id:
            ui.button(t('记录追访'), icon='phone_in_talk', on_click=lambda: follow_up_dialog(site, file)).props(
                'unelevated color=teal-8'
            ).classes('flex-1 ac-big-btn').mark('log-follow-up')
        if mine and not file.outcome:
            ui.button(t('成交/未成交'), icon='handshake', on_click=lambda: outcome_dialog(site, file)).props(
                'outline color=teal-8'
            ).classes('flex-1 ac-big-btn').mark('outcome')
        ui.button(
            t('登记投诉'), icon='report', on_click=lambda: ui.navigate.to(f'/complaints/new?customer={file.id}')
        ).props('flat color=red-8').mark('customer-complaint')
        if me.role == Role.MANAGER:
            keep = not file.follow_up
            label = t('恢复追访') if keep else t('不再追访')
            ui.button(
                label,
                on_click=lambda: _do(lambda s, a: outcomes.keep_following(s, actor=a, customer_id=file.id, keep=keep)),
            ).props('flat color=grey-8').mark('keep-following')
            ui.button(t('个人信息'), on_click=lambda: ui.navigate.to(f'/customers/{file.id}/data')).props(
                'flat color=grey-8'
            ).mark('customer-data')


def timeline_item(item: timeline.TimelineItem, tz: str) -> None:
    at = item.at.astimezone(ZoneInfo(tz))
    with ui.row().classes('w-full no-wrap gap-2 items-start').mark(f'timeline-{item.kind}'):
        ui.label(f'{at:%m-%d %H:%M}').classes('ac-muted text-xs w-20 shrink-0 pt-1')
        with ui.column().classes('gap-0 min-w-0'):
            head = t(timeline.KIND_LABELS.get(item.kind, item.kind)) + (f' · {item.grade}' if item.grade else '')
            ui.label(head + (f' · {item.staff}' if item.staff else '')).classes('text-sm font-semibold')
            if item.summary:
                summary = visit_summary(item.summary) if item.kind == 'visit' else item.summary
                ui.label(summary).classes('text-sm break-all')


PARTY, INVALID, CUSTOMER_KINDS = '{n} 人', '无效接待：{reason}', ('老客户', '新客户')


def visit_summary(summary: str) -> str:
    """A visit's line (the service writes it in Chinese: '3 人 · 新客户 · 无效接待：问路') in the reader's language."""
    parts = []
    party = re.escape(PARTY).replace(r'\{n\}', r'(\d+)')
    invalid = INVALID.split('{')[0]
    for part in summary.split(' · '):
        if (size := re.fullmatch(party, part)) is not None:
            parts.append(t(PARTY, n=int(size.group(1))))
        elif part.startswith(invalid):
            parts.append(t(INVALID, reason=part.removeprefix(invalid)))
        else:
            parts.append(t(part) if part in CUSTOMER_KINDS else part)
    return ' · '.join(parts)


def follow_up_dialog(site: Site, file: timeline.CustomerFile) -> None:
    """追访 done: what was said, a new grade if it changed, the next date."""
    answer: dict = {'grade': '', 'next_follow_up_on': None, 'next_method': file.next_follow_up_method}
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('记录追访：{name}', name=file.name)).classes('text-lg font-semibold')
        result = ui.textarea(t('沟通内容')).props('outlined autogrow maxlength=500').mark('follow-up-result')
        grade_picker(site, file.grade or '', lambda g: answer.update(grade=g))
        follow_up_fields(site, None, file.next_follow_up_method, answer.__setitem__)

        async def save() -> None:
            if await act(
                lambda s, a: followups.log_done(
                    s,
                    actor=a,
                    follow_up_id=file.next_follow_up_id or 0,
                    result=result.value or '',
                    grade=answer['grade'] or None,
                    next_on=answer['next_follow_up_on'],
                    method=answer['next_method'],
                )
            ):
                dialog.close()
                ui.navigate.reload()

        ui.button(t('保存'), on_click=save).props('unelevated color=teal-8').classes('w-full ac-big-btn').mark(
            'follow-up-save'
        )
    dialog.open()


def outcome_dialog(site: Site, file: timeline.CustomerFile) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('成交')).classes('text-base font-semibold')
        unit = ui.input(t('房号')).props('outlined maxlength=30').mark('deal-unit')
        amount = ui.input(t('成交金额（万元）')).props('outlined type=number inputmode=decimal').mark('deal-amount')
        on = ui.input(t('成交日期'), value=date.today().isoformat()).props('outlined type=date')

        async def deal() -> None:
            day = date.fromisoformat(on.value) if on.value else date.today()
            if await act(
                lambda s, a: outcomes.deal(
                    s,
                    actor=a,
                    customer_id=file.id,
                    unit=unit.value or '',
                    amount_wan=amount.value or '',
                    on=day,
                    version=file.version,
                )
            ):
                dialog.close()
                ui.navigate.reload()

        ui.button(t('确认成交'), on_click=deal).props('unelevated color=teal-8').classes('w-full').mark('deal-save')
        ui.separator()
        ui.label(t('未成交原因')).classes('text-base font-semibold')
        with ui.row().classes('gap-1'):
            for reason in contacts.setting(site, 'no_deal_reasons'):
                ui.chip(t(reason), on_click=lambda r=reason: _lost(file, r, dialog)).props('clickable outline')
    dialog.open()


async def _lost(file: timeline.CustomerFile, reason: str, dialog: ui.dialog) -> None:
    if await act(lambda s, a: outcomes.no_deal(s, actor=a, customer_id=file.id, reason=reason, version=file.version)):
        dialog.close()
        ui.navigate.reload()


async def _do(action: Callable[..., object]) -> None:
    if await act(action):
        ui.navigate.reload()
