"""Complaints through the pages: intake, the manager's live alert, each step, the follow-up with satisfaction."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

import db
from models import Complaint, ComplaintStatus, Customer, Photo, Role, Staff
from services.complaints import handling as complaints
from services.complaints import intake as complaint_intake
from tests.helpers.duty import jpeg
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in
from tests.helpers.pages import until


def seed() -> dict[str, Staff]:
    with db.session() as s:
        site = make_site(s, name='云庐')
        return {
            'manager': make_staff(s, site=site, role=Role.MANAGER, name='王静', username='boss'),
            'other_manager': make_staff(s, site=site, role=Role.MANAGER, name='赵敏', username='boss2'),
            'taker': make_staff(s, site=site, name='李娜', username='lina'),
            'accused': make_staff(s, site=site, name='张伟', username='zhangwei'),
            'colleague': make_staff(s, site=site, name='陈晨', username='chenchen'),
        }


async def logged_in(user: User, login: str, greeting: str) -> None:
    await log_in(user, login)
    await user.should_see(greeting, retries=30)


def first_photo() -> Photo | None:
    with db.session() as s:
        return s.exec(select(Photo)).first()


def the_complaint() -> Complaint:
    with db.session() as s:
        return s.exec(select(Complaint)).one()


def file_one(people: dict[str, Staff], **kw: object) -> Complaint:
    values: dict = dict(
        channel='来电',
        category='delivery',
        severity='urgent',
        what_happened='交房延期三个月没有通知',
        surname='刘',
        title='女士',
        phone='13800001234',
    )
    values.update(kw)
    with db.session() as s:
        return complaint_intake.file(s, actor=people['taker'], form=complaint_intake.ComplaintForm(**values))


async def fill_intake(user: User) -> None:
    await user.open('/complaints/new')
    await user.should_see('登记投诉', retries=30)
    user.find(marker='surname').type('刘')
    user.find(marker='title').elements.pop().set_value('女士')  # type: ignore[attr-defined]
    user.find(marker='phone').type('138 0000 1234')
    user.find(marker='category').elements.pop().set_value('attitude')  # type: ignore[attr-defined]
    user.find(marker='severity').elements.pop().set_value('serious')  # type: ignore[attr-defined]
    user.find(marker='what-happened').type('<b>顾问</b>态度冷淡 😡')


async def test_a_salesperson_files_a_complaint_and_the_manager_is_alerted_live(
    user: User, create_user: Callable[[], User]
) -> None:
    people = seed()
    boss = create_user()
    await logged_in(boss, 'boss', '王静，您好')
    await logged_in(user, 'lina', '李娜，您好')
    await fill_intake(user)
    user.find(marker='against').elements.pop().set_value(people['accused'].id)  # type: ignore[attr-defined]
    upload = user.find(marker='complaint-photo').elements.pop()
    assert isinstance(upload, ui.upload)
    await upload.handle_uploads([ui.upload.SmallFileUpload('damage.jpg', 'image/jpeg', jpeg(7))])
    photo = await until(first_photo)
    assert photo is not None
    await user.should_see(marker=f'photo-{photo.id}', retries=50)
    user.find(marker='submit-complaint').click()
    await user.should_see('投诉详情', retries=200)
    complaint = the_complaint()
    assert user.back_history[-1] == f'/complaints/{complaint.id}'
    assert complaint.what_happened == '<b>顾问</b>态度冷淡 😡' and complaint.severity == 'serious'
    assert complaint.against_staff_id == people['accused'].id
    with db.session() as s:
        assert s.exec(select(Photo).where(Photo.complaint_id == complaint.id)).one()
    await user.should_see('<b>顾问</b>态度冷淡 😡')  # shown as text
    await boss.should_see(marker=f'complaint-alert-{complaint.id}', retries=50)  # live, no reload
    await boss.should_see('新投诉待受理')


async def test_missing_and_bad_fields_get_a_message_and_nothing_is_stored(user: User) -> None:
    seed()
    await logged_in(user, 'lina', '李娜，您好')
    await user.open('/complaints/new')
    await user.should_see('登记投诉', retries=30)
    user.find(marker='submit-complaint').click()
    await user.should_see('请选择投诉类别', retries=30)
    await fill_intake(user)
    user.find(marker='phone').clear().type('12345')
    user.find(marker='submit-complaint').click()
    await user.should_see('请输入正确的11位手机号', retries=30)
    user.find(marker='phone').clear().type('13800001234')
    user.find(marker='what-happened').clear().type('字' * 10_000)
    user.find(marker='submit-complaint').click()
    await user.should_see('不能超过 2000 个字', retries=30)
    with db.session() as s:
        assert s.exec(select(Complaint)).all() == [] and s.exec(select(Customer)).all() == []


async def test_a_double_tap_files_one_complaint(user: User) -> None:
    seed()
    await logged_in(user, 'lina', '李娜，您好')
    await fill_intake(user)
    button = user.find(marker='submit-complaint')
    button.click()
    button.click()
    await user.should_see('投诉详情', retries=50)
    await asyncio.sleep(0.3)
    with db.session() as s:
        assert len(s.exec(select(Complaint)).all()) == 1


async def step(user: User, action: str, text: str = '', satisfaction: int | None = None) -> None:
    user.find(marker=f'step-{action}').click()
    await user.should_see(marker=f'step-text-{action}', retries=30)
    if satisfaction is not None:
        user.find(marker='satisfaction-pick').elements.pop().set_value(satisfaction)  # type: ignore[attr-defined]
    if text:
        user.find(marker=f'step-text-{action}').type(text)
    user.find(marker=f'step-save-{action}').click()


async def test_the_manager_takes_it_to_closed_and_the_taker_makes_the_follow_up_call(
    user: User, create_user: Callable[[], User]
) -> None:
    people = seed()
    complaint = file_one(people)
    await logged_in(user, 'boss', '王静，您好')
    await user.open(f'/complaints/{complaint.id}')
    await user.should_see('剩余', retries=30)
    await step(user, 'acknowledge')
    await user.should_see(marker='step-handle', retries=30)
    await step(user, 'handle', '联系工程部确认交房时间')
    await user.should_see(marker='step-resolve', retries=30)
    user.find(marker='step-resolve').click()
    await user.should_see(marker='step-text-resolve', retries=30)
    user.find(marker='step-save-resolve').click()
    await user.should_see('此项必填', retries=30)  # what was answered is required
    user.find(marker='step-text-resolve').type('书面致歉，补偿三个月物业费')
    user.find(marker='step-save-resolve').click()
    await user.should_see(marker='step-follow_up', retries=30)
    taker = create_user()
    await logged_in(taker, 'lina', '李娜，您好')
    await taker.open(f'/complaints/{complaint.id}')
    await taker.should_see(marker='step-follow_up', retries=30)
    await taker.should_not_see(marker='step-reopen')
    await step(taker, 'follow_up', '客户表示满意')
    await taker.should_see('客户满意度', retries=30)  # the toggle is required
    taker.find(marker='satisfaction-pick').elements.pop().set_value(4)  # type: ignore[attr-defined]
    taker.find(marker='step-save-follow_up').click()
    await taker.should_see('客户满意度 4/5', retries=30)
    await user.should_see(marker='step-close', retries=30)  # the manager's page moved on by itself
    await step(user, 'close')
    await user.should_see('已结案', retries=30)
    assert the_complaint().status == ComplaintStatus.CLOSED


async def test_a_salesperson_sees_no_managers_step_and_not_a_complaint_about_themselves(user: User) -> None:
    people = seed()
    complaint = file_one(people, against_staff_id=people['accused'].id)
    await logged_in(user, 'zhangwei', '张伟，您好')
    await user.open(f'/complaints/{complaint.id}')
    await user.should_see('找不到该记录', retries=30)
    await user.should_not_see('交房延期')


async def test_two_managers_at_once_one_is_told_it_moved_on(user: User, create_user: Callable[[], User]) -> None:
    people = seed()
    complaint = file_one(people)
    other = create_user()
    await logged_in(user, 'boss', '王静，您好')
    await user.open(f'/complaints/{complaint.id}')
    await user.should_see(marker='step-acknowledge', retries=30)
    await logged_in(other, 'boss2', '赵敏，您好')
    await other.open(f'/complaints/{complaint.id}')
    await other.should_see(marker='step-acknowledge', retries=30)
    other.find(marker='step-acknowledge').click()
    await other.should_see(marker='step-save-acknowledge', retries=30)
    await step(user, 'acknowledge')
    await user.should_see(marker='step-handle', retries=30)
    other.find(marker='step-save-acknowledge').click()  # an old screen: already acknowledged
    told = '这条投诉刚被更新为“已受理”'
    for _ in range(100):  # the simulation sends ui.notify to the User touched last (see the first test)
        if any(told in m for m in user.notify.messages + other.notify.messages):
            break
        await asyncio.sleep(0.05)
    assert any(told in m for m in user.notify.messages + other.notify.messages)
    with db.session() as s:
        assert len([x for x in complaints_steps(s, complaint.id) if x == 'acknowledge']) == 1


def complaints_steps(s: object, complaint_id: int | None) -> list[str]:
    from models import ComplaintStep

    return [x.action for x in s.exec(select(ComplaintStep).where(ComplaintStep.complaint_id == complaint_id))]  # type: ignore[attr-defined]


async def test_the_manager_reassigns_the_customer_of_a_complaint_about_a_salesperson(user: User) -> None:
    people = seed()
    complaint = file_one(people, against_staff_id=people['accused'].id)
    await logged_in(user, 'boss', '王静，您好')
    await user.open(f'/complaints/{complaint.id}')
    await user.should_see('涉及员工：张伟', retries=30)
    user.find(marker='reassign').click()
    await user.should_see(marker='new-owner', retries=30)
    user.find(marker='new-owner').elements.pop().set_value(people['colleague'].id)  # type: ignore[attr-defined]
    user.find(marker='reassign-reason').type('客户要求更换顾问')
    user.find(marker='reassign-save').click()
    await user.should_see('客户已转给新的置业顾问', retries=30)
    with db.session() as s:
        assert s.get(Customer, complaint.customer_id).owner_id == people['colleague'].id  # type: ignore[union-attr]


async def test_the_list_shows_overdue_in_red_and_the_customer_timeline_shows_the_complaint(user: User) -> None:
    from datetime import timedelta

    from models import utcnow

    people = seed()
    late = file_one(people, phone='13800000001')
    with db.session() as s:
        found = s.get(Complaint, late.id)
        assert found is not None
        found.acknowledge_due_at = utcnow() - timedelta(minutes=5)
        s.commit()
    file_one(people, phone='13800000002', severity='normal')
    await logged_in(user, 'boss', '王静，您好')
    await user.open('/complaints')
    await user.should_see('待处理 2 条', retries=30)
    await user.should_see('逾期 1 条')
    await user.should_see('受理已超时')
    await user.should_see(marker='by-month')
    await user.open(f'/customers/{late.customer_id}')
    await user.should_see('交付 · 登记投诉', retries=30)
    with db.session() as s:
        complaints.add_note(s, actor=people['manager'], complaint_id=late.id or 0, text='已电话安抚')


async def test_the_tv_counts_open_and_overdue_complaints_live(user: User) -> None:
    from datetime import timedelta

    from models import utcnow
    from services.complaints import deadlines as complaint_deadlines
    from services.signin import display

    people = seed()
    with db.session() as s:
        token = display.create_display_token(s, actor=people['manager'], label='前台大屏')
    await user.open(f'/tv/{token}')
    await user.should_see('扫码登记', retries=30)
    await user.should_not_see(marker='count-complaints')
    late = file_one(people)  # urgent: 15 minutes to acknowledge
    await user.should_see('投诉待处理 1 条', retries=50)
    with db.session() as s:
        complaint_deadlines.escalate_overdue(s, now=utcnow() + timedelta(minutes=20))
        found = s.get(Complaint, late.id)
        assert found is not None
        found.acknowledge_due_at = utcnow() - timedelta(minutes=1)
        s.commit()
    file_one(people, phone='13800000009', severity='normal')
    await user.should_see('投诉待处理 2 条 · 逾期 1 条', retries=50)


@pytest.fixture
def fast_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    from components import complaint_alert

    monkeypatch.setattr(complaint_alert, 'SWEEP_SECONDS', 0.1)


async def test_the_running_app_escalates_an_overdue_complaint_to_the_admins_phone(fast_sweep: None, user: User) -> None:
    from datetime import timedelta

    from models import utcnow

    people = seed()
    with db.session() as s:
        make_staff(s, site=None, role=Role.ADMIN, name='集团', username='groupadmin')
    await logged_in(user, 'groupadmin', '集团，您好')
    await user.should_see(marker='complaint-alerts')
    complaint = file_one(people)
    await user.should_not_see(marker=f'complaint-alert-{complaint.id}')
    with db.session() as s:
        found = s.get(Complaint, complaint.id)
        assert found is not None
        found.acknowledge_due_at = utcnow() - timedelta(minutes=1)
        s.commit()
    await user.should_see(marker=f'complaint-alert-{complaint.id}', retries=100)  # the sweep, then live
    await user.should_see('投诉已逾期上报')
    with db.session() as s:
        assert s.get(Complaint, complaint.id).acknowledge_escalated_at is not None  # type: ignore[union-attr]


async def test_the_page_is_not_redrawn_under_a_finger_by_the_clock_or_another_complaint(user: User) -> None:
    """A button tapped just as the page was rebuilt is lost (the e2e flow saw it): the page redraws only when its own
    complaint changed, and the countdown moves on in place."""
    people = seed()
    complaint = file_one(people)
    await logged_in(user, 'boss', '王静，您好')
    await user.open(f'/complaints/{complaint.id}')
    await user.should_see(marker='step-acknowledge', retries=30)
    button = user.find(marker='step-acknowledge').elements.pop()
    countdown = user.find(marker='countdown').elements.pop()
    await asyncio.sleep(0.3)  # the timers start with the connection: none of them redraws now
    file_one(people, surname='陈', phone='13800005678')  # another complaint of the site
    await user.should_see('陈女士', retries=30)  # the manager's red bar shows it: the event has been handled
    await asyncio.sleep(0.3)
    assert user.find(marker='step-acknowledge').elements == {button}
    assert not button.is_deleted
    user.find(marker='step-acknowledge').click()  # the very button the finger is on still works
    await user.should_see(marker='step-save-acknowledge', retries=30)
    user.find(marker='step-save-acknowledge').click()
    await user.should_see(marker='step-handle', retries=30)  # its own complaint moved: now it is redrawn
    assert countdown.is_deleted


async def test_the_alert_is_one_bar_with_a_count_and_hides_on_its_own_complaint(user: User) -> None:
    people = seed()
    first, second = file_one(people), file_one(people, phone='13800005678', surname='周')
    await logged_in(user, 'boss', '王静，您好')
    await user.should_see(marker=f'complaint-alert-{first.id}', retries=30)
    assert user.find(marker='complaint-count').elements.pop().text == '2'  # type: ignore[attr-defined]
    await user.open(f'/complaints/{first.id}')
    await user.should_see('投诉详情', retries=30)
    await user.should_see(marker=f'complaint-alert-{second.id}', retries=30)
    await user.should_not_see(marker=f'complaint-alert-{first.id}')  # the page itself shows it
