"""/reports: the manager's office (report, minutes, morning meeting, competitors); for the admin every site's report."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

import db
from components.frame import frame
from components.session import guard
from models import Role, Staff, utcnow
from services import reports
from services.core.i18n import t

router = APIRouter()
LINKS = [
    ('/reports/monthly', '月度销售分析报告', 'assessment'),
    ('/reports/minutes', '周例会纪要', 'groups'),
    ('/reports/morning', '晨会记录', 'wb_sunny'),
    ('/reports/competitors', '可比楼盘调查', 'location_city'),
]


@router.page('/reports')
async def office_page() -> None:
    me = guard(frozenset({Role.MANAGER, Role.ADMIN}))
    if me is None:
        return
    with frame('报表', me, active='/reports'):
        if me.role == Role.MANAGER:
            for path, label, icon in LINKS:
                link = ui.link(target=path).classes('no-underline w-full')
                with link, ui.card().classes('w-full p-3'), ui.row().classes('items-center gap-3 text-teal-800'):
                    ui.icon(icon, size='28px')
                    ui.label(t(label)).classes('text-base')
            return
        rows = await run.io_bound(_statuses, me) or []
        ui.label(t('各项目月报（每月 {n} 日前上报）', n=reports.DUE_DAY)).classes('text-base font-semibold')
        for r in sorted(rows, key=lambda r: (not r.late, r.filed_version > 0, r.site)):
            with ui.card().classes('w-full gap-0 p-3').mark(f'report-{r.site_id}'):
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.link(r.site, f'/reports/monthly?site={r.site_id}&month={r.month}').classes('text-base')
                    ui.label(r.month).classes('ac-muted text-sm')
                if r.filed_version:
                    when = r.filed_at.strftime('%m-%d %H:%M') if r.filed_at else ''
                    text = t('第 {n} 版 · {name} · {at}', n=r.filed_version, name=r.signer, at=when)
                    ui.label(text).classes('text-sm text-green-800')
                else:
                    ui.label(t('逾期未上报') if r.late else t('待上报')).classes(
                        'text-sm ' + ('text-red-700 font-semibold' if r.late else 'ac-muted')
                    )


def _statuses(me: Staff) -> list[reports.SiteStatus]:
    with db.session() as s:
        return reports.group_status(s, actor=me, now=utcnow())
