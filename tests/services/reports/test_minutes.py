"""Weekly minutes: the nine items pre-filled from the week, tasks followed into later weeks, signed by each attendee;
the morning meeting's notes with yesterday's figures."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from models import MinutesStatus
from services import reports
from services.core.errors import PermissionDenied, ValidationError
from tests.services.reports.month_helpers import local, october


def test_minutes_are_prefilled_signed_by_every_attendee_then_filed(session: Session) -> None:
    month = october(session)
    held = local(date(2026, 10, 19), 9)  # Monday: the week of Oct 12-18 is discussed
    minutes = reports.minutes.hold(session, actor=month.manager, held_at=held, place='会议室')
    assert minutes.week_start == date(2026, 10, 12) and len(minutes.items) == 9
    assert minutes.items[0]['title'] == '一周工作完成情况及销售指标完成情况分析'
    assert minutes.items[0]['data'][0].startswith('来访 2 组（新客 1、老客 1）')  # Oct 12 and Oct 18
    assert any('江南府' in line for line in minutes.items[5]['data'])
    assert '李娜：本周接待 2 组' in minutes.items[8]['data'][0]
    people = [month.manager.id, month.lina.id, month.zhang.id]
    reports.minutes.edit(session, actor=month.manager, minutes_id=minutes.id or 0,
                         header={'attendee_ids': people, 'absentees': '无'}, notes=['', '统一说词：交通'])  # fmt: skip
    task = reports.minutes.add_action(session, actor=month.manager, minutes_id=minutes.id or 0, text='整理竞品价格表',
                                      owner_id=month.lina.id or 0, due_on=date(2026, 10, 23))  # fmt: skip
    with pytest.raises(ValidationError):
        reports.minutes.sign(session, actor=month.lina, minutes_id=minutes.id or 0)  # not sent for signing yet
    reports.minutes.send_for_signing(session, actor=month.manager, minutes_id=minutes.id or 0)
    assert [m.id for m in reports.minutes.to_sign(session, actor=month.lina)] == [minutes.id]
    for person in (month.manager, month.lina):
        reports.minutes.sign(session, actor=person, minutes_id=minutes.id or 0)
    view = reports.minutes.detail(session, actor=month.manager, minutes_id=minutes.id or 0)
    assert view.minutes.status == MinutesStatus.SIGNING and view.waiting_for() == ['张伟']
    reports.minutes.sign(session, actor=month.zhang, minutes_id=minutes.id or 0)
    assert reports.minutes.detail(session, actor=month.zhang, minutes_id=minutes.id or 0).minutes.status == 'filed'
    later = reports.minutes.hold(session, actor=month.manager, held_at=held + timedelta(days=7))
    earlier = reports.minutes.detail(session, actor=month.manager, minutes_id=later.id or 0).earlier
    assert [a.id for a in earlier] == [task.id]  # still open: followed into the next week
    with pytest.raises(PermissionDenied):
        reports.minutes.finish_action(session, actor=month.zhang, action_id=task.id or 0)
    reports.minutes.finish_action(session, actor=month.lina, action_id=task.id or 0, note='已发群')
    assert reports.minutes.detail(session, actor=month.manager, minutes_id=later.id or 0).earlier == []
    text = ''.join(p.extract_text() for p in PdfReader(io.BytesIO(reports.minutes_pdf(view))).pages)
    assert '周例会纪要' in text and '整理竞品价格表' in text and '统一说词：交通' in text


def test_the_morning_meeting_has_yesterdays_figures_and_only_the_manager_or_duty_officer_writes(
    session: Session,
) -> None:
    month = october(session)
    morning = local(date(2026, 10, 4), 8, 30)  # the day after two new visitors
    view = reports.morning.today(session, actor=month.lina, now=morning)
    assert view.notes.figures['new'] == 2 and view.notes.figures['valid'] == 2 and view.may_edit is False
    with pytest.raises(PermissionDenied):
        reports.morning.save(session, actor=month.lina, points={'plan': '今日开盘'}, now=morning)
    reports.morning.save(session, actor=month.manager, points={'plan': '今日重点跟进 A 级'}, now=morning)
    assert reports.morning.today(session, actor=month.lina, now=morning).notes.points['plan'] == '今日重点跟进 A 级'
