"""The other areas' alerts go through the outbox with the change (or the deadline) that causes them, to the right
people, once: complaints new and overdue, checklists overdue, reports due and late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

import db
from models import ChannelKind, NotifyAlert, Role, utcnow
from services.complaints import deadlines as complaint_deadlines
from services.complaints import intake as complaint_intake
from services.duty import alerts as duty_alerts
from services.duty import templates as duty_templates
from services.notify import Sender
from services.reports import alerts as report_alerts
from services.reports import file as file_report
from services.reports import minutes, save_parts
from tests.helpers.duty import DAY, MORNING, duty_site
from tests.helpers.factories import make_site, make_staff
from tests.services.notify.helpers import add_channel, robot_site, statuses
from tests.services.notify.stubs import Stub


def alerts() -> list[tuple[str, int, str]]:
    with db.session() as s:
        return [(a.kind, a.staff_id, a.text) for a in s.exec(select(NotifyAlert).order_by(NotifyAlert.id))]


async def test_a_complaint_alerts_the_managers_and_its_escalation_the_group_admin(session: Session, stub: Stub) -> None:
    site, manager = robot_site(session, stub)
    taker = make_staff(session, site=site, name='李娜')
    admin = make_staff(session, site=None, role=Role.ADMIN, name='集团', phone='13700000009')
    form = complaint_intake.ComplaintForm(
        channel='来访', category='attitude', severity='urgent', what_happened='无人接待', surname='刘', title='女士',
        phone='13800001234',
    )  # fmt: skip
    with db.session() as s:
        complaint = complaint_intake.file(s, actor=taker, form=form)
    assert [(k, who) for k, who, _ in alerts()] == [('complaint_new', manager.id)]
    assert alerts()[0][2] == '新投诉：刘女士（服务态度，紧急），请及时受理'
    for _ in range(2):  # the sweep looks again: one escalation, one alert each
        with db.session() as s:
            complaint_deadlines.escalate_overdue(s, now=utcnow() + timedelta(days=40))
    late = [(k, who) for k, who, _ in alerts()[1:]]
    assert late == [('complaint_overdue', manager.id), ('complaint_overdue', admin.id)]
    await Sender().drain()
    texts = '\n'.join(m.body['text']['content'] for m in stub.of('wecom_robot'))
    assert '投诉逾期未受理，已上报集团：刘女士' in texts and '1234' not in texts
    mentioned = {p for m in stub.of('wecom_robot') for p in m.body['text']['mentioned_mobile_list']}
    assert mentioned == {manager.phone, admin.phone}
    assert set(statuses()) == {'sent'}
    with db.session() as s:
        assert [a.url for a in s.exec(select(NotifyAlert))] == [f'/complaints/{complaint.id}'] * 3


async def test_an_overdue_checklist_alerts_the_duty_officer_and_the_manager_once(session: Session, stub: Stub) -> None:
    duty = duty_site(session)
    add_channel(session, stub, duty.site, duty.manager, ChannelKind.WECOM_ROBOT)
    duty_templates.ensure_defaults(session, duty.site.id or 0)
    session.commit()
    make_site(session, name='未设值班')  # its templates are only the unsaved defaults: not alerted
    with db.session() as s:
        assert duty_alerts.alert_overdue(s, now=MORNING) == 0  # before the opening, nothing is due
    late = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai: every checklist of the day is late
    with db.session() as s:
        made = duty_alerts.alert_overdue(s, now=late)
    with db.session() as s:
        assert duty_alerts.alert_overdue(s, now=late + timedelta(minutes=1)) == 0
    found = alerts()
    assert made == len(found) > 0 and {who for _, who, _ in found} == {duty.officer.id, duty.manager.id}
    assert all(k == 'checklist_overdue' and text.startswith('值班检查逾期：') for k, _, text in found)
    await Sender().drain()
    (message, *_) = stub.of('wecom_robot')
    assert set(message.body['text']['mentioned_mobile_list']) == {duty.officer.phone, duty.manager.phone}
    with db.session() as s:
        assert {a.key.split(':')[2] for a in s.exec(select(NotifyAlert))} == {DAY.isoformat()}


async def test_the_monthly_report_and_the_minutes_alert_the_manager_when_due_and_when_late(
    session: Session, stub: Stub
) -> None:
    _site, manager = robot_site(session, stub)
    third = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
    with db.session() as s:
        assert report_alerts.alert_due(s, now=third) == 1
        assert report_alerts.alert_due(s, now=third + timedelta(hours=1)) == 0  # once
    seventh = datetime(2026, 4, 7, 2, 0, tzinfo=UTC)
    with db.session() as s:
        minutes.hold(s, actor=manager, held_at=seventh - timedelta(days=1, hours=2))
    with db.session() as s:
        assert report_alerts.alert_due(s, now=seventh) == 2  # the report late; the minutes due tomorrow
    with db.session() as s:
        assert report_alerts.alert_due(s, now=seventh + timedelta(days=2)) == 1  # the minutes late
    assert [(who, text) for _, who, text in alerts()] == [
        (manager.id, '月度销售分析报告（2026-03）请于 04-05 前上报'),
        (manager.id, '月度销售分析报告（2026-03）已逾期未上报，请尽快上报'),
        (manager.id, '周例会纪要（2026-03-30 这周）明天到期，请尽快会签上报'),
        (manager.id, '周例会纪要（2026-03-30 这周）已逾期未上报，请尽快会签上报'),
    ]
    with db.session() as s:
        save_parts(s, actor=manager, month='2026-04', texts={'analysis': '来访平稳'}, spend={}, targets={})
        file_report(s, actor=manager, month='2026-04', now=datetime(2026, 5, 2, 2, 0, tzinfo=UTC))
    with db.session() as s:  # May's report (on April) filed: nothing more for it
        assert report_alerts.alert_due(s, now=datetime(2026, 5, 8, 2, 0, tzinfo=UTC)) == 0
    await Sender().drain()
    (merged,) = stub.of('wecom_robot')  # due together: one message for the four
    assert len(merged.deliveries) == 4 and set(statuses()) == {'sent'}
