"""The report as an Excel workbook: a cover, then one sheet per section, each table with its native chart.

Values are written, never formulas: WPS and LibreOffice previews show 0 for a formula with no cached result.
"""

from __future__ import annotations

import io
import re
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .monthly import Report
from .tables import Section, Table, numeric_columns

CHART_HEIGHT_ROWS = 16


def workbook(report: Report, *, cover: list[tuple[str, str]]) -> bytes:
    """The whole report as .xlsx bytes; `cover` is the label/value lines of the first sheet."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {'in_memory': True, 'strings_to_formulas': False, 'strings_to_urls': False})
    styles = _styles(book)
    sheet = book.add_worksheet('封面')
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 70)
    sheet.write(0, 0, '{site} 月度销售分析报告'.format_map({'site': report.site_name}), styles['title'])
    for n, (label, value) in enumerate(cover, start=2):
        sheet.write(n, 0, label, styles['head'])
        sheet.write(n, 1, value, styles['wrap'])
    used = {'封面'}
    for section in report.sections:
        _section(book, _sheet_name(section.title, used), section, styles)
    book.close()
    return out.getvalue()


def _section(book: Workbook, name: str, section: Section, styles: dict[str, Any]) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 8, 13)
    sheet.write(0, 0, section.title, styles['title'])
    row = 2
    if section.note:
        sheet.write(1, 0, section.note, styles['muted'])
    if section.text:
        sheet.merge_range(row, 0, row, 8, section.text, styles['wrap'])
        sheet.set_row(row, 15 * max(2, section.text.count('\n') + 2 + len(section.text) // 60))
        row += 2
    if not section.tables and not section.text:
        sheet.write(row, 0, '（未填写）', styles['muted'])
    for table in section.tables:
        row = _table(book, sheet, name, table, row, styles) + 2


def _table(book: Workbook, sheet: Worksheet, name: str, table: Table, row: int, styles: dict[str, Any]) -> int:
    """Writes the table at `row` and its chart beside it; returns the first free row below both."""
    sheet.write(row, 0, table.title, styles['subtitle'])
    for c, column in enumerate(table.columns):
        sheet.write(row + 1, c, column, styles['head'])
    for r, values in enumerate(table.rows, start=row + 2):
        for c, value in enumerate(values):
            sheet.write(r, c, value, styles['cell'])
    if not table.rows:
        sheet.write(row + 2, 0, '本月无数据', styles['muted'])
        return row + 3
    last = row + 1 + len(table.rows)
    series = numeric_columns(table)
    if table.chart and series:
        chart = book.add_chart({'type': table.chart})
        for c in series[:1] if table.chart == 'pie' else series:
            chart.add_series(
                {
                    'name': [name, row + 1, c],
                    'categories': [name, row + 2, 0, last, 0],
                    'values': [name, row + 2, c, last, c],
                    'data_labels': {'value': True},
                }
            )
        chart.set_title({'name': table.title, 'name_font': {'size': 11}})
        chart.set_legend({'position': 'bottom'} if len(series) > 1 or table.chart == 'pie' else {'none': True})
        chart.set_size({'width': 520, 'height': 300})
        sheet.insert_chart(row, len(table.columns) + 1, chart)
        return max(last, row + CHART_HEIGHT_ROWS)
    return last


def _styles(book: Workbook) -> dict[str, Any]:
    font = {'font_name': 'Microsoft YaHei', 'font_size': 10}
    return {
        'title': book.add_format({**font, 'bold': True, 'font_size': 14}),
        'subtitle': book.add_format({**font, 'bold': True, 'font_size': 11}),
        'head': book.add_format({**font, 'bold': True, 'bg_color': '#E0F2F1', 'border': 1}),
        'cell': book.add_format({**font, 'border': 1}),
        'wrap': book.add_format({**font, 'text_wrap': True, 'valign': 'top'}),
        'muted': book.add_format({**font, 'font_color': '#777777'}),
    }


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r'[\[\]:*?/\\]', '', title)[:28] or '表'
    base, n = name, 2
    while name in used:
        name, n = f'{base}{n}', n + 1
    used.add(name)
    return name
