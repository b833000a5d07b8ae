"""A visitor is received and toured on a phone: the board shows 带看中 while out, the tour ends with a grade, and the
follow-up it set appears under 追访. Uses the rotation flow's server and fresh site for each test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import BrowserContext, expect
from sqlmodel import col, select

import db
from models import ReceptionRecord

from . import test_rotation_flow as flow
from .conftest import NARROW_PHONE, shot
from .test_rotation_flow import PASSWORD, UP_NEXT, FreshSite, log_in, on_duty, sign_in, submit, take, tv_row

clean, settings, site, open_context = flow.clean, flow.settings, flow.site, flow.open_context  # the flow's fixtures


def test_receive_tour_the_route_end_with_a_grade_and_the_follow_up_is_mine(
    site: FreshSite, open_context: Callable[..., BrowserContext]
) -> None:
    first = site.first[1]
    phone = on_duty(open_context, site.first[0], UP_NEXT)
    tv = open_context(tv=True).new_page()
    tv.goto(f'/tv/{site.tv}')
    visitor = open_context().new_page()
    sign_in(visitor, site, surname='周', phone='13812340000')
    submit(visitor)
    take(phone)
    phone.get_by_role('button', name='开始带看').click()
    expect(phone.get_by_text('出发前检查')).to_be_visible()
    phone.get_by_text('车辆', exact=True).click()
    phone.get_by_role('button', name='出发带看').click()
    expect(phone.get_by_text('周先生 · 带看中')).to_be_visible()
    expect(tv_row(tv, first).locator('.q-badge', has_text='带看中')).to_be_visible()  # the manager sees who is out
    shot(phone, 'tour-first-stop')
    for stop in ('区域模型与户型模型', '样板房'):
        card = phone.locator('.q-card').filter(has=phone.get_by_text(stop, exact=True))
        card.get_by_role('button', name='到达').click()
        expect(card.get_by_label('喜欢的房号')).to_be_visible()  # the stop is open: its talking points and notes
    card.get_by_label('喜欢的房号').fill('3-1201')
    phone.get_by_text('价格高', exact=True).click()
    phone.get_by_role('button', name='记下').click()
    expect(phone.get_by_text('已记录')).to_be_visible()
    shot(phone, 'tour-stop')
    phone.get_by_role('button', name='结束带看').click()
    phone.get_by_role('button', name='确认结束').click()
    expect(phone.get_by_text('请选择意向等级 A/B/C/D').first).to_be_visible()  # refused without a grade
    phone.get_by_role('button', name='A', exact=True).click()
    due = date.today() + timedelta(days=1)
    phone.get_by_label('下次追访').fill(due.isoformat())
    shot(phone, 'tour-end')
    phone.get_by_role('button', name='确认结束').click()
    expect(phone.get_by_text('正在接待：周先生')).to_be_visible()
    expect(tv_row(tv, first).locator('.q-badge', has_text='接待中')).to_be_visible()
    phone.goto('/followups')
    expect(phone.get_by_text('周先生 · A')).to_be_visible()
    shot(phone, 'tour-followups')


def test_the_record_form_ends_the_reception_at_360px(
    site: FreshSite, open_context: Callable[..., BrowserContext]
) -> None:
    phone = open_context(**NARROW_PHONE).new_page()
    phone.goto('/login?next=/rotation')
    log_in(phone, site.first[0], PASSWORD)
    phone.get_by_role('button', name='签到上岗').click()
    expect(phone.get_by_text(UP_NEXT, exact=True)).to_be_visible()
    visitor = open_context().new_page()
    sign_in(visitor, site, surname='钱', phone='13812340001')
    submit(visitor)
    take(phone)
    phone.get_by_role('button', name='结束接待').click()
    expect(phone.get_by_text('客户信息资料表')).to_be_visible()
    assert phone.evaluate('document.documentElement.scrollWidth') <= 360
    phone.get_by_label('姓名').fill('<b>钱</b>')
    phone.get_by_role('button', name='B', exact=True).click()
    phone.get_by_text('价格高', exact=True).click()
    shot(phone, 'record-form')
    phone.get_by_role('button', name='保存并结束接待').click()
    expect(phone.get_by_text(UP_NEXT, exact=True)).to_be_visible()
    with db.session() as s:  # the chip tapped on the phone (chip_group.js) is in the record
        record = s.exec(select(ReceptionRecord).order_by(col(ReceptionRecord.id).desc())).first()
    assert record is not None and record.objections == ['价格高'] and record.grade == 'B'
    phone.goto('/customers')
    expect(phone.get_by_text('<b>钱</b>先生', exact=False)).to_be_visible()  # kept as text, not markup
    phone.get_by_text('<b>钱</b>先生', exact=False).click()
    expect(phone.get_by_text('时间线')).to_be_visible()
    shot(phone, 'customer-page')


def test_the_records_details_typed_before_a_reload_come_back_when_opened_again(
    site: FreshSite, open_context: Callable[..., BrowserContext]
) -> None:
    """更多资料 is drawn when opened (components/record_form.py): what was typed into it, and above it, is kept on
    the phone (drafts.js) through a reload and put back as each part is drawn again."""
    phone = on_duty(open_context, site.first[0], UP_NEXT)
    visitor = open_context().new_page()
    sign_in(visitor, site, surname='孙', phone='13812340002')
    submit(visitor)
    take(phone)
    phone.get_by_role('button', name='结束接待').click()
    phone.get_by_label('姓名').fill('孙小梅')
    phone.get_by_text('更多资料（选填）').click()
    phone.get_by_label('家庭结构').fill('三口之家')
    phone.get_by_label('姓名').fill('孙晓梅')  # typed above once the details were drawn: they stay in the draft
    phone.wait_for_timeout(300)
    phone.reload()  # what a crash and the page's own recovery do
    phone.get_by_role('button', name='结束接待').click()
    expect(phone.get_by_label('姓名')).to_have_value('孙晓梅')
    phone.get_by_text('更多资料（选填）').click()
    expect(phone.get_by_label('家庭结构')).to_have_value('三口之家')
    phone.get_by_role('button', name='C', exact=True).click()
    phone.get_by_role('button', name='保存并结束接待').click()
    expect(phone.get_by_text(UP_NEXT, exact=True)).to_be_visible()
    with db.session() as s:
        record = s.exec(select(ReceptionRecord).order_by(col(ReceptionRecord.id).desc())).first()
    assert record is not None and (record.name, record.family, record.grade) == ('孙晓梅', '三口之家', 'C')
