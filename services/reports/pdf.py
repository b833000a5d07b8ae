"""Reports as PDF with the shipped Chinese font embedded as a subset: they read on a phone with no Chinese font."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .tables import Section, Table

FONT = Path(__file__).resolve().parents[2] / 'assets' / 'fonts' / 'NotoSansSC-Subset.ttf'
TEAL = (0, 105, 92)


class ReportPDF(FPDF):
    """A4 pages with the Chinese font, a running title and page numbers."""

    def __init__(self, running_title: str) -> None:
        super().__init__(format='A4')
        self.running_title = running_title
        self.add_font('noto', '', str(FONT))
        self.set_font('noto', size=10)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(running_title)
        self.set_creator('Anchang')

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font('noto', size=8)
            self.set_text_color(120)
            self.cell(0, 6, self.running_title, align='R', new_x='LMARGIN', new_y='NEXT')
            self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font('noto', size=8)
        self.set_text_color(120)
        self.cell(0, 6, f'{self.page_no()} / {{nb}}', align='C')
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font('noto', size=size)
        self.set_text_color(*TEAL)
        self.multi_cell(0, size * 0.6, text, new_x='LMARGIN', new_y='NEXT')
        self.set_text_color(0)
        self.set_font('noto', size=10)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font('noto', size=size)
        self.multi_cell(0, 5.5, text, new_x='LMARGIN', new_y='NEXT')
        self.ln(1)

    def lines(self, pairs: list[tuple[str, str]]) -> None:
        for label, value in pairs:
            self.set_font('noto', size=10)
            self.set_text_color(90)
            self.cell(32, 6, label)
            self.set_text_color(0)
            self.multi_cell(0, 6, value or '—', new_x='LMARGIN', new_y='NEXT')

    def table_of(self, table: Table) -> None:
        self.set_font('noto', size=10)
        self.cell(0, 7, table.title, new_x='LMARGIN', new_y='NEXT')
        if not table.rows:
            self.set_text_color(120)
            self.cell(0, 6, '本月无数据', new_x='LMARGIN', new_y='NEXT')
            self.set_text_color(0)
            self.ln(2)
            return
        size = 9 if len(table.columns) <= 5 else 7.5
        self.set_font('noto', size=size)
        widths = _widths(table)
        head = FontFace(emphasis=None, fill_color=(224, 242, 241))
        with self.table(col_widths=widths, headings_style=head, line_height=size * 0.55, text_align='LEFT') as t:
            for values in [table.columns, *table.rows]:
                row = t.row()
                for value in values:
                    row.cell(_text(value))
        self.ln(3)


def sections_pdf(title: str, cover: list[tuple[str, str]], sections: list[Section]) -> bytes:
    """A titled document: the cover lines, then each section's text and tables."""
    pdf = ReportPDF(title)
    pdf.add_page()
    pdf.heading(title, size=16)
    pdf.lines(cover)
    pdf.ln(3)
    for section in sections:
        if pdf.will_page_break(40):
            pdf.add_page()
        pdf.heading(section.title)
        if section.note:
            pdf.paragraph(section.note, size=8)
        if section.text:
            pdf.paragraph(section.text)
        for table in section.tables:
            pdf.table_of(table)
    return bytes(pdf.output())


def _widths(table: Table) -> tuple[int, ...]:
    texty = [any(isinstance(r[i], str) and len(r[i]) > 6 for r in table.rows) for i in range(len(table.columns))]
    return tuple(3 if i == 0 or texty[i] else 2 for i in range(len(table.columns)))


def _text(value: object) -> str:
    if isinstance(value, float):
        return f'{value:g}'
    return str(value)
