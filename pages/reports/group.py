"""The group admin's home: every site today side by side, and who is late with the monthly report or minutes."""

from __future__ import annotations

from nicegui import run, ui

import db
from models import Staff, utcnow
from services.core.i18n import t
from services.reports import group

from . import charts

CHART_SITES = 15  # the busiest sites on the chart; every site in the list below it


async def group_today(me: Staff) -> None:
    view = ui.refreshable(group_view)
    ready = {'now': False}
    await view(me, ready)
    ui.timer(0.01, lambda: (ready.update(now=True), view.refresh()), once=True)  # the page first, then the figures


async def group_view(me: Staff, ready: dict[str, bool]) -> None:
    if not ready['now']:
        ui.label(t('各项目今日')).classes('text-lg font-semibold')
        ui.spinner(size='lg').classes('self-center')
        return
    rows = await run.io_bound(_read, me)
    if rows is None:
        return
    late = [r for r in rows if (r.report and r.report.late) or r.minutes_overdue]
    ui.label(t('各项目今日')).classes('text-lg font-semibold')
    with ui.card().classes('w-full gap-1 p-3').mark('late-reports'):
        ui.label(t('报告逾期')).classes('text-base font-semibold')
        if not late:
            ui.label(t('没有逾期的月报或周例会纪要')).classes('ac-muted text-sm')
        for r in late:
            parts = []
            if r.report and r.report.late:
                parts.append(t('{month} 月报未上报', month=r.report.month))
            if r.minutes_overdue:
                parts.append(t('周例会纪要逾期 {n} 份', n=r.minutes_overdue))
            ui.label(f'{r.site}：' + '，'.join(parts)).classes('text-sm text-red-700')
    busiest = sorted(rows, key=lambda r: -r.visits)[:CHART_SITES]
    if busiest:
        with ui.card().classes('w-full gap-1 p-3').mark('group-chart'):
            ui.label(t('来访与成交')).classes('text-base font-semibold')
            options = charts.group_chart(
                [r.site for r in busiest], [r.visits for r in busiest], [r.deals_month for r in busiest]
            )
            ui.echart(options).classes('w-full').style(f'height: {60 + 34 * len(busiest)}px')
    ui.link(t('各项目月报'), '/reports').classes('text-base')
    for r in rows:
        site_row(r)


def site_row(r: group.SiteRow) -> None:
    with ui.card().classes('w-full gap-0 p-3').mark(f'site-{r.site_id}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(r.site).classes('text-base font-semibold truncate')
            if r.report:
                state = (
                    t('第 {n} 版已上报', n=r.report.filed_version)
                    if r.report.filed_version
                    else t('逾期未上报')
                    if r.report.late
                    else t('待上报')
                )
                ui.label(t('{month} 月报：', month=r.report.month) + state).classes(
                    'text-sm ' + ('text-red-700' if r.report.late else 'ac-muted')
                )
        ui.label(t('来访 {v} · 接待 {r} · 本月成交 {d}', v=r.visits, r=r.received, d=r.deals_month)).classes('text-sm')
        ui.label(
            t(
                '追访逾期 {f} · 投诉 {c}（逾期 {o}）· 检查逾期 {k}',
                f=r.followups_overdue,
                c=r.complaints_open,
                o=r.complaints_overdue,
                k=r.checklists_overdue,
            )
        ).classes('text-sm ac-muted')


def _read(me: Staff) -> list[group.SiteRow] | None:
    with db.session() as s:
        return group.group_today(s, actor=me, now=utcnow())
