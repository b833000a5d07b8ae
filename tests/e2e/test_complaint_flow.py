"""A salesperson records a complaint with a real photo; the manager's phone shows the alert; the manager takes it
to closed — on the demo server, at phone size."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import log_in_home, shot


def photo(folder: Path) -> Path:
    img = Image.new('RGB', (1600, 1200), (210, 200, 180))
    ImageDraw.Draw(img).polygon([(200, 300), (900, 420), (860, 460), (240, 340)], fill=(60, 50, 40))  # a crack
    buffer = io.BytesIO()
    img.save(buffer, 'JPEG', quality=90)
    path = folder / 'crack.jpg'
    path.write_bytes(buffer.getvalue())
    return path


def connected(page: Page) -> None:
    """The page's websocket is up: a tap or a typed value before that would not reach the server."""
    page.wait_for_function('() => window.did_handshake === true')


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role('option', name=option, exact=True).click()


def step(page: Page, button: str, text: str = '', score: str | None = None) -> None:
    page.get_by_role('button', name=button, exact=True).click()
    dialog = page.locator('.q-dialog').last
    if score is not None:
        dialog.get_by_role('button', name=score, exact=True).click()
    if text:
        dialog.locator('textarea').fill(text)
    dialog.get_by_role('button', name='确定').click()
    expect(page.locator('.q-dialog')).to_have_count(0)


def test_a_complaint_with_a_photo_reaches_the_manager_who_takes_it_to_closed(
    new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    boss = new_context().new_page()
    log_in_home(boss, 'manager', '王静')
    sales = new_context().new_page()
    log_in_home(sales, 'lina', '李娜')
    sales.goto('/home')  # a salesperson lands on 轮序; 投诉 is a shortcut on their 首页
    sales.get_by_role('link', name='投诉').click()
    expect(sales).to_have_url(re.compile(r'/complaints$'))
    connected(sales)
    sales.get_by_role('button', name='登记投诉').click()
    expect(sales).to_have_url(re.compile(r'/complaints/new$'))
    connected(sales)
    sales.get_by_label('姓氏', exact=True).fill('欧阳')
    sales.get_by_role('button', name='女士', exact=True).click()
    sales.get_by_label('手机号', exact=True).fill('139 7777 0001')
    choose(sales, '投诉渠道', '来电')
    choose(sales, '投诉类别', '产品质量')
    sales.get_by_role('button', name='严重', exact=True).click()
    sales.get_by_label('发生了什么').fill('样板间阳台墙面开裂，客户担心交付质量')
    sales.get_by_label('客户的诉求').fill('书面说明并保证交付时修好')
    sales.locator('input[type=file]').set_input_files(photo(tmp_path))
    expect(sales.locator('.q-img')).to_have_count(1, timeout=15_000)
    shot(sales, 'complaint-intake')
    sales.get_by_role('button', name='提交投诉').click()
    expect(sales.get_by_text('投诉详情', exact=True)).to_be_visible()
    expect(sales.get_by_text('样板间阳台墙面开裂，客户担心交付质量').first).to_be_visible()
    expect(sales.locator('.q-img')).to_have_count(1)

    bar = boss.locator('.ac-complaint-bar')  # one slim bar on the manager's home page, its count live, no reload
    expect(bar.get_by_text('3', exact=True)).to_be_visible()  # the demo's two and this one
    shot(boss, 'complaint-manager-alert')
    bar.click()
    expect(boss).to_have_url(re.compile(r'/complaints$'))
    boss.get_by_role('link').filter(has_text='欧阳女士').first.click()
    expect(boss).to_have_url(re.compile(r'/complaints/\d+$'))
    expect(boss.get_by_text('剩余', exact=False).first).to_be_visible()
    connected(boss)
    step(boss, '受理')
    expect(boss.get_by_text('已受理', exact=True).first).to_be_visible()
    expect(boss.get_by_text('欧阳女士 · 产品质量 · 严重')).to_have_count(0)  # acknowledged: the bar is gone
    step(boss, '开始处理', '约工程部周三现场查看')
    step(boss, '已解决', '工程部确认为样板间装饰层开裂，书面说明已发给客户')
    step(boss, '回访', '客户收到说明，表示理解', score='4')
    expect(boss.get_by_text('客户满意度 4/5')).to_be_visible()
    step(boss, '结案')
    expect(boss.get_by_text('已结案', exact=True).first).to_be_visible()
    expect(sales.get_by_text('已结案', exact=True).first).to_be_visible()  # the salesperson's page followed live
    shot(boss, 'complaint-closed')
