"""The report's files as a reader opens them: Excel with a sheet per section and native charts, PDF in Chinese."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from pypdf import PdfReader
from sqlmodel import Session

from services import reports
from tests.services.reports.month_helpers import MONTH, october

CJK = re.compile(r'[\u4e00-\u9fff]')


@pytest.fixture
def files(session: Session) -> tuple[reports.Report, bytes, bytes]:
    month = october(session)
    report = reports.build(session, month.site, MONTH, texts={'analysis': '本月来访平稳，网络渠道效果最好。'})
    xlsx, pdf = reports.exports(report, None)
    return report, xlsx, pdf


def test_excel_has_a_sheet_per_section_values_not_formulas_and_a_chart_per_table(files: tuple) -> None:
    report, xlsx, _ = files
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ['封面', *[s.title for s in report.sections]]
    summary = book['概况']
    cells = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert '本月来访平稳，网络渠道效果最好。' in cells and '新客来访' in cells
    assert not any(isinstance(v, str) and v.startswith('=') for v in cells)  # values, never formulas
    tables_with_data = sum(1 for s in report.sections for t in s.tables if t.rows)
    parts = zipfile.ZipFile(io.BytesIO(xlsx)).namelist()
    charts = [p for p in parts if re.fullmatch(r'xl/charts/chart\d+\.xml', p)]
    assert len(charts) == tables_with_data
    assert len(book['来访分析']._charts) == sum(1 for t in report.sections[2].tables if t.rows)


def test_every_text_cell_of_the_excel_is_chinese(files: tuple) -> None:
    _, xlsx, _ = files
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    for sheet in book:
        first_column = [row[0].value for row in sheet.iter_rows() if row[0].value not in (None, '')]
        assert all(CJK.search(str(v)) or re.fullmatch(r'[\d:.\- ㎡]+', str(v)) for v in first_column), sheet.title


def test_the_pdf_reads_in_chinese_and_embeds_a_subset_font(files: tuple) -> None:
    _, _, pdf = files
    reader = PdfReader(io.BytesIO(pdf))
    content = ''.join(p.extract_text() for p in reader.pages).replace(' ', '')
    for words in ('月度销售分析报告', '来访分析', '转化漏斗', '本月来访平稳', '江南府', '服务态度'):
        assert words in content
    fonts = [f.get_object() for p in reader.pages for f in p['/Resources']['/Font'].values()]
    assert fonts and all(f['/BaseFont'].split('+')[0].isupper() and '+' in f['/BaseFont'] for f in fonts)  # subset
    descriptors = [f['/DescendantFonts'][0].get_object()['/FontDescriptor'].get_object() for f in fonts]
    assert all('/FontFile3' in d or '/FontFile2' in d for d in descriptors)  # embedded
    assert len(pdf) < 400_000
