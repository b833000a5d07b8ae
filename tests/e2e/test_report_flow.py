"""At phone size (360 px): the demo manager opens on today's figures, writes and files last month's report, and
downloads it as Excel and PDF; the files open as a reader would open them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from .conftest import NARROW_PHONE, log_in_home, shot


def test_the_manager_files_last_month_and_downloads_both_files(new_context: Callable[..., BrowserContext]) -> None:
    page: Page = new_context(**NARROW_PHONE).new_page()
    log_in_home(page, 'manager', '王静')
    expect(page.get_by_text('今日看板')).to_be_visible()
    expect(page.locator('.nicegui-echart').first).to_be_visible()
    assert page.evaluate('document.documentElement.scrollWidth') <= 360  # nothing wider than the phone
    shot(page, 'report-home')
    page.goto('/reports/monthly')
    expect(page.get_by_text('经理填写')).to_be_visible()
    page.get_by_label('本月销售分析').fill('上月来访以周末为主，网络渠道贡献最大；三房成交占比最高。')
    page.get_by_role('button', name='上报').click()
    page.get_by_role('button', name='确认上报').click()
    expect(page.get_by_text(re.compile('已上报第 1 版'))).to_be_visible()
    shot(page, 'report-filed')
    with page.expect_download() as got:
        page.get_by_role('button', name='下载 Excel').click()
    xlsx = got.value
    assert xlsx.suggested_filename.endswith('.xlsx')
    data = Path(xlsx.path()).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.startswith('xl/charts/chart') for n in names)
    with page.expect_download() as got:
        page.get_by_role('button', name='下载 PDF').click()
    pdf = PdfReader(got.value.path())
    text = ''.join(p.extract_text() for p in pdf.pages)
    assert '月度销售分析报告' in text and '上月来访以周末为主' in text
