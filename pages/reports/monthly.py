"""月度销售分析报告: the manager reads the draft, writes the written parts, files it and downloads Excel and PDF."""

from __future__ import annotations

from typing import Any

from nicegui import APIRouter, run, ui

import db
from components.actions import act
from components.frame import dialog_buttons, frame, page_dialog
from components.session import guard
from models import ReportFiling, Role, Staff, utcnow
from services import reports
from services.core.errors import DomainError
from services.core.i18n import t

router = APIRouter()
TEXTS = {'analysis': '本月销售分析', 'last_month_work': '上月工作总结', 'this_month_plan': '本月工作计划'}
TARGETS = {'calls': '来电', 'new': '新客来访', 'valid': '有效接待', 'deals': '成交套数', 'amount': '成交金额（万元）'}
XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


@router.page('/reports/monthly')
async def monthly_page(month: str = '', site: int = 0) -> None:
    me = guard(frozenset({Role.MANAGER, Role.ADMIN}))
    if me is None:
        return
    with frame('月度销售分析报告', me, active='/'):
        try:
            found = await run.io_bound(_read, me, month or None, site or None)
        except DomainError as e:
            ui.label(e.translated()).classes('text-red-700')
            return
        if found is None:  # the app is shutting down
            return
        current, versions = found
        month = current.built.month
        month_picker(month, site)
        status_card(current, versions)
        downloads(me, month, site or None, versions)
        if me.role == Role.MANAGER:
            parts_form(current)
        for section in current.built.sections:
            section_card(section)


def _read(me: Staff, month: str | None, site: int | None) -> tuple[reports.Draft, list[ReportFiling]]:
    with db.session() as s:
        current = reports.draft(s, actor=me, month=month, site_id=site)
        return current, reports.filings(s, actor=me, month=current.built.month, site_id=site)


def month_picker(month: str, site: int) -> None:
    suffix = f'&site={site}' if site else ''
    field = ui.input(t('报告月份'), value=month).props('outlined dense type=month').classes('w-full')
    field.on_value_change(lambda e: ui.navigate.to(f'/reports/monthly?month={e.value}{suffix}') if e.value else None)
    field.mark('report-month')


def status_card(current: reports.Draft, versions: list[ReportFiling]) -> None:
    report, month = current.report, current.built.month
    late = reports.is_late(current.site, report, utcnow())
    with ui.card().classes('w-full gap-1 p-3').mark('report-status'):
        ui.label(t('{site} · {month}', site=current.site.name, month=month)).classes('text-base font-semibold')
        ui.label(t('截止 {day}', day=reports.due_on(month).isoformat())).classes('ac-muted text-sm')
        if versions:
            last = versions[0]
            ui.label(
                t(
                    '已上报第 {n} 版 · {name} · {at}',
                    n=last.version,
                    name=last.data.get('signer', ''),
                    at=last.filed_at.strftime('%Y-%m-%d %H:%M'),
                )
            ).classes('text-green-800')
        elif late:
            ui.label(t('已逾期，尚未上报')).classes('text-red-700 font-semibold')
        else:
            ui.label(t('草稿：数字随记录实时更新，上报后按上报时保存')).classes('ac-muted text-sm')


def downloads(me: Staff, month: str, site: int | None, versions: list[ReportFiling]) -> None:
    with ui.row().classes('w-full gap-2'):
        ui.button(t('下载 Excel'), icon='table_view', on_click=lambda: send(me, month, site, None, 'xlsx')).props(
            'outline color=teal-8'
        ).mark('download-xlsx')
        ui.button(t('下载 PDF'), icon='picture_as_pdf', on_click=lambda: send(me, month, site, None, 'pdf')).props(
            'outline color=teal-8'
        ).mark('download-pdf')
    for v in versions:
        with ui.row().classes('w-full items-center gap-2 text-sm'):
            ui.label(t('第 {n} 版（{name}）', n=v.version, name=v.data.get('signer', '')))
            ui.link('Excel', '#').on('click', lambda v=v: send(me, month, site, v.id, 'xlsx'))
            ui.link('PDF', '#').on('click', lambda v=v: send(me, month, site, v.id, 'pdf'))


async def send(me: Staff, month: str, site: int | None, filing_id: int | None, kind: str) -> None:
    """Builds the file off the event loop and hands it to the phone."""
    try:
        files = await run.io_bound(_files, me, month, site, filing_id)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return
    if files is None:
        return
    stem, xlsx, pdf = files
    if kind == 'xlsx':
        ui.download.content(xlsx, f'{stem}.xlsx', XLSX)
    else:
        ui.download.content(pdf, f'{stem}.pdf', 'application/pdf')


def _files(me: Staff, month: str, site: int | None, filing_id: int | None) -> tuple[str, bytes, bytes]:
    with db.session() as s:
        if filing_id:
            filing, built = reports.filed(s, actor=me, filing_id=filing_id)
            stem = reports.file_stem(built.site_name, month, filing.version)
        else:
            filing, built = None, reports.draft(s, actor=me, month=month, site_id=site).built
            stem = reports.file_stem(built.site_name, month, None)
        return (stem, *reports.exports(built, filing))


def parts_form(current: reports.Draft) -> None:
    """The written parts, channel spend and targets; then 上报."""
    report, month = current.report, current.built.month
    channels = _channels(current.built)
    with ui.card().classes('w-full gap-2 p-3').mark('report-parts'):
        ui.label(t('经理填写')).classes('text-base font-semibold')
        texts = {}
        for key, label in TEXTS.items():
            texts[key] = ui.textarea(t(label), value=report.texts.get(key, '')).props('outlined autogrow')
            texts[key].mark(f'text-{key}')
        ui.label(t('目标')).classes('text-sm font-semibold')
        targets = {k: _number_input(t(v), report.targets.get(k)) for k, v in TARGETS.items()}
        ui.label(t('渠道费用（元）')).classes('text-sm font-semibold')
        spend = {ch: _number_input(ch, report.spend.get(ch)) for ch in channels}

        async def save() -> bool:
            return await act(
                lambda s, a: reports.save_parts(
                    s,
                    actor=a,
                    month=month,
                    texts={k: v.value or '' for k, v in texts.items()},
                    spend={k: v.value for k, v in spend.items() if v.value not in (None, '')},
                    targets={k: v.value for k, v in targets.items() if v.value not in (None, '')},
                )
            )

        async def saved() -> None:
            if await save():
                ui.notify(t('已保存'), type='positive')

        async def file_it() -> None:
            dialog.close()
            if await save() and await act(lambda s, a: reports.file(s, actor=a, month=month)):
                ui.notify(t('已上报'), type='positive')
                ui.navigate.to(f'/reports/monthly?month={month}')

        dialog = page_dialog()
        with dialog, ui.card().classes('w-full'):
            ui.label(t('上报后本版按现在的数字和文字保存，之后修改需再次上报（新版本）。')).classes('text-base')
            dialog_buttons(dialog, t('确认上报'), file_it).mark('confirm-file')
        with ui.row().classes('w-full gap-2'):
            ui.button(t('保存'), on_click=saved).props('outline color=teal-8').mark('save-report')
            ui.button(t('上报'), icon='send', on_click=dialog.open).props('unelevated color=teal-8').mark('file-report')


def _number_input(label: str, value: Any) -> ui.number:
    return ui.number(label, value=value, min=0).props('outlined dense').classes('w-full')


def _channels(built: reports.Report) -> list[str]:
    section = next(s for s in built.sections if s.key == 'channel_cost')
    return [r[0] for r in section.tables[0].rows]


def section_card(section: reports.Section) -> None:
    with ui.expansion(t(section.title)).classes('w-full bg-white').mark(f'section-{section.key}'):
        if section.note:
            ui.label(t(section.note)).classes('ac-muted text-sm')
        if section.text:
            ui.label(section.text).classes('text-sm whitespace-pre-wrap')
        for table in section.tables:
            ui.label(t(table.title)).classes('text-sm font-semibold mt-2')
            if not table.rows:
                ui.label(t('本月无数据')).classes('ac-muted text-sm')
                continue
            columns = [
                {'name': str(i), 'label': t(c), 'field': str(i), 'align': 'left'} for i, c in enumerate(table.columns)
            ]
            rows = [{str(i): v for i, v in enumerate(r)} for r in table.rows]
            ui.table(columns=columns, rows=rows).props('dense flat wrap-cells').classes('w-full text-sm')
