"""Alerts are written with the change that causes them, once per cause, and survive a sender's crash."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import Session, select

import db
from models import ChannelKind, DeliveryStatus, NotifyAlert, NotifyDelivery, StaffState
from services import notify
from services.notify import sender as sender_module
from services.rotation import overrides as rotation_manage
from services.rotation import unanswered
from tests.helpers.rotation import arrive, set_state, staffed_site, visit
from tests.services.notify.helpers import add_channel, alert_for, manager_of, statuses
from tests.services.notify.stubs import Stub


async def test_a_sign_in_writes_its_alert_and_the_robot_mentions_the_receiver(session: Session, stub: Stub) -> None:
    site, (lina,) = staffed_site(session, ['李娜'])
    add_channel(session, stub, site, manager_of(session, site), ChannelKind.WECOM_ROBOT)
    arrive(site, phone='13512345678')
    with db.session() as s:
        (alert,) = s.exec(select(NotifyAlert)).all()
    assert alert.staff_id == lina.id and alert.kind == 'visitor_assigned'
    await notify.Sender().drain()
    (message,) = stub.of('wecom_robot')
    assert message.body['text']['mentioned_mobile_list'] == [lina.phone]
    content = message.body['text']['content']
    assert '李娜' in content and '王先生' in content
    assert '13512345678' not in content and '5678' not in content  # the group sees it: no phone number at all
    assert statuses() == [DeliveryStatus.SENT]


def test_an_alert_rolled_back_with_its_cause_is_not_in_the_outbox(session: Session, stub: Stub) -> None:
    site, (lina,) = staffed_site(session, ['李娜'])
    with db.session() as s:
        notify.enqueue(s, [notify.Alert(site_id=site.id or 0, staff_id=lina.id or 0, kind='x', key='k', text='t')])
        s.rollback()
    with db.session() as s:
        assert s.exec(select(NotifyAlert)).all() == []


async def test_the_same_cause_is_one_alert_and_one_message(session: Session, stub: Stub) -> None:
    site, (lina,) = staffed_site(session, ['李娜'])
    add_channel(session, stub, site, manager_of(session, site), ChannelKind.WECOM_ROBOT)
    alert = notify.Alert(site_id=site.id or 0, staff_id=lina.id or 0, kind='visitor_assigned', key='same', text='t')
    for _ in range(3):
        with db.session() as s:
            notify.enqueue(s, [alert, alert])
            s.commit()
    sender = notify.Sender()
    await sender.drain()
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 1 and statuses() == [DeliveryStatus.SENT]


async def test_what_a_killed_sender_had_claimed_is_sent_by_the_next(session: Session, stub: Stub) -> None:
    site, (lina,) = staffed_site(session, ['李娜'])
    add_channel(session, stub, site, manager_of(session, site), ChannelKind.WECOM_ROBOT)
    alert_for(session, lina)
    dead = notify.Sender()
    jobs, _ = dead._claim({})  # claimed, and the process died before sending
    assert jobs and statuses() == [DeliveryStatus.SENDING]
    await notify.Sender().drain()
    assert statuses() == [DeliveryStatus.SENT] and len(stub.of('wecom_robot')) == 1


async def test_a_manager_assigning_a_waiting_visitor_alerts_through_the_outbox(session: Session, stub: Stub) -> None:
    site, (lina,) = staffed_site(session, ['李娜'])
    manager = manager_of(session, site)
    add_channel(session, stub, site, manager, ChannelKind.WECOM_ROBOT)
    set_state(lina, StaffState.MEETING)
    waiting = arrive(site)  # nobody free: the visitor waits
    set_state(lina, StaffState.AVAILABLE)  # the routing gives it at once; undone so the manager can assign it
    with db.session() as s:
        rotation_manage.undo_last(s, actor=manager)
        assert len(s.exec(select(NotifyAlert)).all()) == 1
        rotation_manage.assign_to(s, actor=manager, visit_id=waiting.visit_id, staff_id=lina.id or 0)
    with db.session() as s:
        assert [a.visit_id for a in s.exec(select(NotifyAlert).order_by(NotifyAlert.id))][-1] == waiting.visit_id
    await notify.Sender().drain()
    assert set(statuses()) == {DeliveryStatus.SENT}  # the undone alert and the manager's may share one robot message


async def test_the_ladder_reminds_then_passes_on_and_tells_the_manager_through_the_outbox(
    session: Session, stub: Stub
) -> None:
    site, (lina, zhang) = staffed_site(session, ['李娜', '张伟'])
    manager = manager_of(session, site)
    add_channel(session, stub, site, manager, ChannelKind.WECOM_ROBOT)
    result = arrive(site, phone='13512345678')
    at = visit(result.visit_id).assigned_at
    assert at is not None
    for seconds in (19, 21, 40, 61):  # the greet sweep's looks: a reminder at 20 s, passed on after 60 s
        with db.session() as s:
            unanswered.sweep(s, now=at + timedelta(seconds=seconds))
    with db.session() as s:
        kinds = sorted((a.kind, a.staff_id or 0) for a in s.exec(select(NotifyAlert)))
    expected = [('reminder', lina.id), ('unanswered', manager.id), ('visitor_assigned', lina.id)]
    assert kinds == sorted([*expected, ('visitor_assigned', zhang.id)])  # type: ignore[arg-type]
    await notify.Sender().drain()
    sent = stub.of('wecom_robot')
    texts = '\n'.join(m.body['text']['content'] for m in sent)
    assert '李娜，再次提醒：来访提醒：轮到您接待王先生' in texts
    assert '王静，未响应：李娜未接待王先生，已转给张伟' in texts
    assert '13512345678' not in texts and '5678' not in texts
    mentioned = {p for m in sent for p in m.body['text']['mentioned_mobile_list']}
    assert mentioned == {lina.phone, zhang.phone, manager.phone}
    assert set(statuses()) == {DeliveryStatus.SENT}


def test_no_channel_still_logs_the_alert_without_deliveries(session: Session) -> None:
    site, _ = staffed_site(session, ['李娜'])
    arrive(site)
    with db.session() as s:
        assert len(s.exec(select(NotifyAlert)).all()) == 1
        assert s.exec(select(NotifyDelivery)).all() == []


def test_backoff_grows_and_is_capped() -> None:
    assert sender_module.backoff(1) < sender_module.backoff(3) < sender_module.backoff(5)
    assert sender_module.backoff(50) <= sender_module.MAX_BACKOFF_S * 1.1


async def test_one_process_sends_at_a_time(session: Session) -> None:
    first, second = notify.Sender(), notify.Sender()
    assert first._hold_lease()
    if db.get_engine().dialect.name == 'postgresql':  # an advisory lock: the second waits until the first stops
        assert not second._hold_lease()
        await first.close()
        assert second._hold_lease()
        await second.close()
    else:  # a SQLite file is one app process's
        assert second._hold_lease()


async def test_a_busy_database_does_not_lose_a_receipt(session: Session, stub: Stub, monkeypatch) -> None:
    site, (lina,) = staffed_site(session, ['李娜'])
    add_channel(session, stub, site, manager_of(session, site), ChannelKind.WECOM_ROBOT)
    alert_for(session, lina)
    real, failures = sender_module.record, [1]

    def flaky(*args: object) -> None:
        if failures:
            failures.pop()
            raise RuntimeError('database is locked')
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sender_module, 'record', flaky)
    await notify.Sender().drain()
    assert statuses() == [DeliveryStatus.SENT] and len(stub.of('wecom_robot')) == 1


async def test_the_sender_stops_when_cancelled_just_as_a_commit_wakes_it(session: Session) -> None:
    """At shutdown the app cancels its sender, maybe in the same moment as a last commit wakes it: it stops at once."""
    for turns in range(5):  # the cancel lands that many turns of the event loop after the wake
        sender = notify.Sender(poll_s=30.0)
        running = asyncio.create_task(sender.run())
        await asyncio.sleep(0.1)  # it looked, found nothing due, and sleeps until woken
        sender.wake()
        for _ in range(turns):
            await asyncio.sleep(0)
        running.cancel()
        done, _ = await asyncio.wait([running], timeout=1.0)
        assert running in done, f'the sender lived on after a cancel {turns} turns after its wake'
