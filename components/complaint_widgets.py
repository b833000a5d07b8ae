"""How a complaint looks on a phone: its status, severity, the countdown to its deadline, a row in a list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from nicegui import ui

import db
from models import ComplaintStatus, Role, Severity, Staff, utcnow
from services.complaints import lists as complaint_lists
from services.complaints import rules
from services.complaints.lists import ComplaintRow
from services.core.i18n import t

STATUS_COLOURS: dict[str, str] = {
    ComplaintStatus.NEW: 'red-7',
    ComplaintStatus.ACKNOWLEDGED: 'orange-8',
    ComplaintStatus.HANDLING: 'amber-9',
    ComplaintStatus.RESOLVED: 'teal-7',
    ComplaintStatus.FOLLOWED_UP: 'blue-7',
    ComplaintStatus.CLOSED: 'grey-7',
}
SEVERITY_COLOURS: dict[str, str] = {Severity.NORMAL: 'grey-7', Severity.SERIOUS: 'orange-9', Severity.URGENT: 'red-9'}


def status_badge(status: str) -> None:
    ui.badge(t(rules.STATUSES[status]), color=STATUS_COLOURS.get(status, 'grey-7')).classes('text-sm px-2 py-1').mark(
        'complaint-status'
    )


def severity_badge(severity: str) -> None:
    ui.badge(t(rules.SEVERITIES[severity]), color=SEVERITY_COLOURS.get(severity, 'grey-7')).props('outline').classes(
        'text-sm px-2 py-1'
    )


def countdown_text(clock: rules.Clock, now: datetime) -> str:
    """剩余 1 小时 20 分受理 / 受理已超时 35 分 / '' when nothing is due."""
    if clock.due_at is None:
        return ''
    late, hours, minutes = rules.countdown(clock.due_at, now)
    span = t('{h} 小时 {m} 分', h=hours, m=minutes) if hours else t('{m} 分', m=minutes)
    if clock.what == 'acknowledge':
        return t('受理已超时 {span}', span=span) if late else t('剩余 {span}受理', span=span)
    return t('解决已超时 {span}', span=span) if late else t('剩余 {span}解决', span=span)


def countdown(clock: rules.Clock, now: datetime) -> ui.label:
    text = countdown_text(clock, now)
    colour = 'text-red-700 font-bold' if clock.overdue else 'text-orange-800'
    return ui.label(text).classes(f'text-sm {colour}').mark('countdown')


def complaint_row(row: ComplaintRow, now: datetime, zone: str, *, show_site: bool = False) -> None:
    """One complaint in a list; overdue ones in red."""
    colour = ' border-l-4 border-red-600 bg-red-50' if row.clock.overdue else ''
    local = row.created_at.astimezone(ZoneInfo(zone))
    with (
        ui.link(target=f'/complaints/{row.id}').classes('w-full no-underline text-black'),
        ui.card().classes('w-full gap-1' + colour).mark(f'complaint-{row.id}'),
    ):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(row.customer).classes('text-base font-semibold truncate')
            status_badge(row.status)
        with ui.row().classes('w-full items-center gap-2'):
            severity_badge(row.severity)
            ui.label(t(rules.CATEGORIES[row.category])).classes('text-sm')
            if row.against:
                ui.label(t('涉及 {name}', name=row.against)).classes('text-sm text-red-800')
        details = [f'{local:%m-%d %H:%M}', t('{name} 登记', name=row.taken_by)] + ([row.site] if show_site else [])
        ui.label(' · '.join(details)).classes('ac-muted text-sm')
        if row.clock.due_at is not None:
            countdown(row.clock, now)
        if row.escalated:
            ui.label(t('已上报集团')).classes('text-sm text-red-800 font-semibold')


def complaint_home_card(me: Staff) -> None:
    """On a manager's home page: the site's complaints waiting for an answer, red when one is overdue."""
    if me.role != Role.MANAGER or me.site_id is None:
        return
    with db.session() as s:
        waiting, late = complaint_lists.counts(s, site_id=me.site_id, now=utcnow())
    if not waiting:
        return
    with (
        ui.link(target='/complaints').classes('no-underline w-full'),
        ui.card()
        .classes('w-full gap-0 text-white ' + ('bg-red-700' if late else 'bg-orange-700'))
        .mark('complaints-home'),
    ):
        ui.label(t('投诉待处理 {n} 条', n=waiting)).classes('text-lg font-semibold')
        if late:
            ui.label(t('逾期 {n} 条', n=late)).classes('text-base')
