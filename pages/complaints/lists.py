"""投诉: the open complaints by deadline (managers; the admin sees every site), by category and month, mine."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from nicegui import APIRouter, run, ui

import db
from components.actions import act
from components.complaint_widgets import complaint_row
from components.frame import dialog_buttons, frame, page_dialog
from components.session import guard
from models import Role, Site, Staff, utcnow
from services.complaints import deadlines as complaint_deadlines
from services.complaints import lists as complaint_lists
from services.complaints import rules
from services.complaints.lists import ComplaintRow
from services.core import events
from services.core.i18n import t

router = APIRouter()
TICK_SECONDS = 30.0  # the countdowns move on without any change


@router.page('/complaints')
async def complaints_page() -> None:
    me = guard()
    if me is None:
        return
    with frame('投诉', me, active='/complaints'):
        if me.site_id is not None:
            ui.button(t('登记投诉'), icon='add', on_click=lambda: ui.navigate.to('/complaints/new')).props(
                'unelevated color=red-8'
            ).classes('w-full ac-big-btn').mark('new-complaint')
        zone = _zone(me)
        manager = me.role in (Role.MANAGER, Role.ADMIN)
        lists = ui.refreshable(complaint_lists_view)
        await lists(me, zone)
        if manager and me.role == Role.MANAGER:
            deadlines_button(me)

        async def changed(site_id: int) -> None:
            if me.role == Role.ADMIN or site_id == me.site_id:
                await lists.refresh()

        events.complaint_changed.subscribe(changed)
        ui.timer(TICK_SECONDS, lists.refresh, immediate=False)


async def complaint_lists_view(me: Staff, zone: str) -> None:
    now, manager = utcnow(), me.role in (Role.MANAGER, Role.ADMIN)
    read = await run.io_bound(_read, me, now)
    if read is None:  # the app is shutting down
        return
    waiting, months, mine = read
    if manager:
        late = sum(r.clock.overdue for r in waiting)
        with ui.row().classes('w-full items-baseline justify-between'):
            ui.label(t('待处理 {n} 条', n=len(waiting))).classes('text-base font-semibold').mark('open-count')
            if late:
                ui.label(t('逾期 {n} 条', n=late)).classes('text-base font-bold text-red-700').mark('late-count')
        if not waiting:
            ui.label(t('没有待处理的投诉')).classes('ac-muted')
        for row in waiting:
            complaint_row(row, now, zone, show_site=me.role == Role.ADMIN)
    if months:
        month_table(months)
    if me.site_id is not None:
        my_list(mine, now, zone)


def _read(me: Staff, now: datetime) -> tuple[list[ComplaintRow], list[tuple[str, Counter[str]]], list[ComplaintRow]]:
    """The open ones (managers), the months (the site's manager) and mine (staff of a site), in one session."""
    with db.session() as s:
        manager = me.role in (Role.MANAGER, Role.ADMIN)
        waiting = complaint_lists.open_complaints(s, actor=me, now=now) if manager else []
        months = complaint_lists.by_month(s, actor=me, now=now) if me.role == Role.MANAGER else []
        mine = complaint_lists.taken_by_me(s, actor=me, now=now) if me.site_id is not None else []
    return waiting, months, mine


def my_list(rows: list[ComplaintRow], now: datetime, zone: str) -> None:
    ui.label(t('我登记的投诉')).classes('text-base font-semibold mt-2')
    if not rows:
        ui.label(t('还没有登记过投诉')).classes('ac-muted')
    for row in rows:
        complaint_row(row, now, zone)


def month_table(months: list[tuple[str, Counter[str]]]) -> None:
    """Counts by category (rows) and month (columns), the latest month first."""
    ui.label(t('按类别和月份')).classes('text-base font-semibold mt-2')
    columns = [{'name': 'category', 'label': t('类别'), 'field': 'category', 'align': 'left'}]
    columns += [{'name': m, 'label': m[2:], 'field': m} for m, _ in months]
    rows = [
        {'category': t(label), **{m: counts.get(key, 0) for m, counts in months}}
        for key, label in rules.CATEGORIES.items()
    ]
    rows.append({'category': t('合计'), **{m: sum(counts.values()) for m, counts in months}})
    ui.table(columns=columns, rows=rows, row_key='category').props('dense flat bordered').classes('w-full').mark(
        'by-month'
    )


def deadlines_button(me: Staff) -> None:
    ui.button(t('处理时限设置'), icon='timer', on_click=lambda: deadlines_dialog(me)).props('flat color=teal-8').mark(
        'deadlines'
    )


def deadlines_dialog(me: Staff) -> None:
    """Minutes to acknowledge and hours to resolve, per severity (the site's own)."""
    with db.session() as s:
        site = s.get(Site, me.site_id)
    settings = site.settings if site else {}
    fields: dict[str, tuple[ui.number, ui.number]] = {}
    with page_dialog() as dialog, ui.card().classes('w-full gap-2'):
        ui.label(t('处理时限设置')).classes('text-lg font-semibold')
        for severity, label in rules.SEVERITIES.items():
            acknowledge, resolve = rules.deadlines(settings, severity)
            ui.label(t(label)).classes('font-semibold')
            with ui.row().classes('w-full no-wrap gap-2'):
                fields[severity] = (
                    ui.number(t('受理（分钟）'), value=acknowledge.total_seconds() // 60, min=1, precision=0)
                    .props('outlined')
                    .classes('flex-1')
                    .mark(f'ack-{severity}'),
                    ui.number(t('解决（小时）'), value=resolve.total_seconds() / 3600, min=1, precision=1)
                    .props('outlined')
                    .classes('flex-1')
                    .mark(f'resolve-{severity}'),
                )

        async def save() -> None:
            table = {k: [int(a.value or 0), round(float(r.value or 0) * 60)] for k, (a, r) in fields.items()}
            if await act(lambda s, a: complaint_deadlines.set_deadlines(s, actor=a, table=table)):
                dialog.close()
                ui.notify(t('已保存'), type='positive')

        dialog_buttons(dialog, t('保存'), save).mark('save-deadlines')
    dialog.open()


def _zone(me: Staff) -> str:
    if me.site_id is None:
        return 'Asia/Shanghai'
    with db.session() as s:
        site = s.get(Site, me.site_id)
    return site.timezone if site else 'Asia/Shanghai'
