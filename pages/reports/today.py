"""经理看板 on the manager's home: today's figures and charts, each tapping through to its list; live-ish."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from nicegui import run, ui

import db
from models import Staff, utcnow
from services import reports
from services.core import events
from services.core.i18n import t
from services.reports import dashboard

from . import charts

MIN_REDRAW_S = 5.0  # a busy site changes every few seconds: the manager's charts follow at most this often


async def manager_today(me: Staff) -> None:
    """Today's figures of the manager's site, redrawn when the site's rotation, duty or complaints change.

    The page is sent at once and the figures follow (a timer fires as the phone connects): the greeting and the
    shortcuts do not wait for the day's queries."""
    view = ui.refreshable(today_view)
    ready = {'now': False}
    await view(me, ready)
    ui.timer(0.01, lambda: (ready.update(now=True), view.refresh()), once=True)
    last = {'at': time.monotonic(), 'pending': False}

    def redraw_later() -> None:
        last['pending'] = False
        last['at'] = time.monotonic()
        view.refresh()

    def changed(site_id: int) -> None:
        if site_id != me.site_id or last['pending']:
            return
        wait = MIN_REDRAW_S - (time.monotonic() - last['at'])
        last['pending'] = True
        ui.timer(max(wait, 0.05), redraw_later, once=True)

    for event in (events.rotation_changed, events.duty_changed, events.complaint_changed):
        event.subscribe(changed)


async def today_view(me: Staff, ready: dict[str, bool]) -> None:
    if not ready['now']:
        ui.label(t('今日看板')).classes('text-lg font-semibold')
        ui.spinner(size='lg').classes('self-center')
        return
    figures = await run.io_bound(_read, me, utcnow())
    if figures is None:
        return
    with ui.row().classes('w-full items-baseline justify-between'):
        ui.label(t('今日看板')).classes('text-lg font-semibold')
        ui.label(t('更新于 {time}', time=datetime.now(ZoneInfo(figures.zone)).strftime('%H:%M'))).classes(
            'ac-muted text-sm'
        )
    report_card(figures)
    tiles(figures)
    chart_card(t('来访（按小时）'), charts.hours_chart(figures.hours), '/analysis', 'chart-hours')
    if figures.receptions:
        height = 40 + 28 * len(figures.receptions)
        chart_card(
            t('接待（按置业顾问）'),
            charts.people_chart(figures.receptions),
            '/rotation/manage',
            'chart-people',
            height=height,
        )
    greet_card(figures)
    if figures.channels:
        chart_card(t('来访渠道'), charts.share_chart(figures.channels), '/analysis', 'chart-channels')
    chart_card(t('今日评级'), charts.grades_chart(figures.grades), '/analysis', 'chart-grades', height=170)
    touring_card(figures)


def _read(me: Staff, now: datetime) -> dashboard.Today | None:
    with db.session() as s:
        return dashboard.today(s, actor=me, now=now)


def report_card(f: dashboard.Today) -> None:
    """Last month's report: due by the 5th, filed or not."""
    link = ui.link(target=f'/reports/monthly?month={f.report_month}').classes('no-underline text-inherit w-full')
    with link, ui.card().classes('w-full gap-0 p-3' + (' bg-red-50' if f.report_late else '')).mark('report-due'):
        ui.label(t('{month} 月度销售分析报告', month=f.report_month)).classes('text-base font-semibold')
        if f.report_filed:
            ui.label(t('第 {n} 版已上报', n=f.report_filed)).classes('text-sm text-green-800')
        else:
            state = (
                t('已逾期，尚未上报') if f.report_late else t('草稿已生成，请于 {n} 日前填写并上报', n=reports.DUE_DAY)
            )
            ui.label(state).classes('text-sm ' + ('text-red-700 font-semibold' if f.report_late else 'ac-muted'))


def tiles(f: dashboard.Today) -> None:
    with ui.grid(columns=2).classes('w-full gap-2'):
        tile(
            t('今日来访'),
            f'{f.new + f.returning}',
            t('新客 {n} · 老客 {r}', n=f.new, r=f.returning),
            '/analysis',
            'tile-visits',
        )
        tile(t('带看中'), f'{len(f.touring)}', t('等待 {n} 组', n=f.waiting), '/rotation/manage', 'tile-touring')
        tile(
            t('追访'),
            t('今日 {n}', n=f.followups_due),
            t('逾期 {n}', n=f.followups_overdue),
            '/followups',
            'tile-followups',
            alarm=f.followups_overdue > 0,
        )
        tile(
            t('值班检查'),
            f'{f.checklists_done}/{f.checklists_total}',
            t('逾期 {n}', n=f.checklists_overdue),
            '/duty/manage',
            'tile-checklists',
            alarm=f.checklists_overdue > 0,
        )
        tile(
            t('投诉'),
            t('待处理 {n}', n=f.complaints_open),
            t('逾期 {n}', n=f.complaints_overdue),
            '/complaints',
            'tile-complaints',
            alarm=f.complaints_overdue > 0,
        )
        tile(t('无效接待'), f'{f.invalid}', t('不计入来访'), '/rotation/manage', 'tile-invalid')


def tile(label: str, value: str, sub: str, target: str, marker: str, *, alarm: bool = False) -> None:
    with (
        ui.link(target=target).classes('no-underline text-inherit').mark(marker),
        ui.card().classes('w-full gap-0 p-3'),
    ):
        ui.label(label).classes('ac-muted text-sm')
        ui.label(value).classes('text-2xl font-semibold text-teal-800')
        ui.label(sub).classes('text-sm ' + ('text-red-700 font-semibold' if alarm else 'ac-muted'))


def chart_card(title: str, options: dict, target: str, marker: str, *, height: int = 210) -> None:
    with ui.card().classes('w-full gap-1 p-3').mark(marker):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(title).classes('text-base font-semibold')
            ui.link(t('查看列表'), target).classes('text-sm')
        chart = ui.echart(options, on_point_click=lambda: ui.navigate.to(target)).classes('w-full')
        chart.style(f'height: {height}px')


def greet_card(f: dashboard.Today) -> None:
    link = ui.link(target='/rotation/manage').classes('no-underline text-inherit w-full').mark('tile-greet')
    with link, ui.card().classes('w-full gap-0 p-3'):
        ui.label(t('迎客用时（扫码到接待）')).classes('ac-muted text-sm')
        if f.greet_median_s is None:
            ui.label(t('今天还没有接待')).classes('text-base')
            return
        ui.label(t('中位 {time}', time=_duration(f.greet_median_s))).classes('text-xl font-semibold text-teal-800')
        if f.greet_slowest:
            seconds, who = f.greet_slowest
            ui.label(t('最慢 {time} · {name}', time=_duration(seconds), name=who)).classes('text-sm ac-muted')


def touring_card(f: dashboard.Today) -> None:
    with ui.card().classes('w-full gap-1 p-3').mark('touring'):
        ui.label(t('外出带看')).classes('text-base font-semibold')
        if not f.touring:
            ui.label(t('现在没有人外出带看')).classes('ac-muted text-sm')
        for row in f.touring:
            since = row.since.astimezone(ZoneInfo(f.zone)).strftime('%H:%M')
            minutes = int((utcnow() - row.since).total_seconds() // 60)
            ui.label(
                t(
                    '{name} 带 {customer} · {since} 起 {n} 分钟',
                    name=row.name,
                    customer=row.customer,
                    since=since,
                    n=minutes,
                )
            ).classes('text-sm')


def _duration(seconds: int) -> str:
    return t('{m}分{s}秒', m=seconds // 60, s=seconds % 60) if seconds >= 60 else t('{s}秒', s=seconds)
