"""Each channel against a local stand-in that speaks its protocol and fails on purpose."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, select

import db
from models import ChannelKind, DeliveryStatus, NotifySend, PushSubscription, utcnow
from services import notify
from tests.helpers.factories import make_staff
from tests.services.notify.helpers import add_channel, alert_for, deliveries, lease_holders, robot_site, statuses
from tests.services.notify.stubs import Stub


async def test_an_http_500_is_retried_and_then_delivered(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    lina = make_staff(session, site=site, name='李娜')
    stub.faults.append(('/cgi-bin/webhook', 'http500'))
    alert_for(session, lina)
    clock = Clock()  # stands still: the retry waits until the test moves it on
    sender = notify.Sender(clock=clock)
    await sender.drain()
    (d,) = deliveries()
    assert d.status == DeliveryStatus.PENDING and d.last_error == 'HTTP 500' and d.next_at > clock()
    clock.advance(5)
    await sender.drain()
    (d,) = deliveries()
    assert d.status == DeliveryStatus.SENT and d.attempts == 2 and len(stub.of('wecom_robot')) == 1


async def test_a_time_out_is_retried(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    lina = make_staff(session, site=site, name='李娜')
    stub.faults.append(('/cgi-bin/webhook', 'timeout'))
    alert_for(session, lina)
    clock = Clock()
    sender = notify.Sender(timeout_s=0.5, clock=clock)
    await sender.drain()
    assert deliveries()[0].last_error == 'timeout'
    clock.advance(5)
    await sender.drain()
    assert statuses() == [DeliveryStatus.SENT]


async def test_wecom_rate_limit_45009_waits_for_the_minute(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    lina = make_staff(session, site=site, name='李娜')
    stub.faults.append(('/cgi-bin/webhook', 'errcode:45009'))
    alert_for(session, lina)
    await notify.Sender().drain()
    (d,) = deliveries()
    assert d.status == DeliveryStatus.PENDING and d.last_error.startswith('errcode=45009')
    assert d.next_at >= utcnow() + timedelta(seconds=55)


async def test_a_robot_sends_at_most_twenty_a_minute_and_merges_what_is_due(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    people = [make_staff(session, site=site, name=f'顾问{i}') for i in range(30)]
    clock = Clock()
    stub.robot_rate = 1000  # the sender keeps to the minute by our clock, which the test moves on
    sender = notify.Sender(clock=clock)
    for person in people[:19]:  # one every 3 s: each its own message
        alert_for(session, person)
        await sender.drain()
        clock.advance(3.1)
    for person in people[19:]:  # eleven due together, one message left in the minute: one message for all
        alert_for(session, person)
    await sender.drain()
    sent = stub.of('wecom_robot')
    assert len(sent) == 20 and statuses().count(DeliveryStatus.SENT) == 30
    merged = sent[-1].body['text']
    assert merged['mentioned_mobile_list'] == [p.phone for p in people[19:]]
    assert all(p.name in merged['content'] for p in people[19:])
    clock.advance(0.5)
    alert_for(session, people[0])
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 20 and statuses()[-1] == DeliveryStatus.PENDING  # the minute is full
    with db.session() as s:
        assert len(s.exec(select(NotifySend)).all()) == 20
    clock.advance(2.7)  # the first message leaves the robot's minute
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 21 and statuses()[-1] == DeliveryStatus.SENT


async def test_a_burst_within_the_limit_goes_at_once_and_what_comes_after_waits_and_merges(
    session: Session, stub: Stub
) -> None:
    site, _ = robot_site(session, stub)
    people = [make_staff(session, site=site, name=f'顾问{i}') for i in range(22)]
    clock = Clock()
    stub.robot_rate = 1000
    sender = notify.Sender(clock=clock)
    for person in people[:20]:  # twenty one after another, within the same second: each its own message, at once
        alert_for(session, person)
        await sender.drain()
    assert len(stub.of('wecom_robot')) == 20 and statuses() == [DeliveryStatus.SENT] * 20
    for person in people[20:]:  # the minute is full: these wait
        alert_for(session, person)
        await sender.drain()
    clock.advance(59.5)
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 20 and statuses()[20:] == [DeliveryStatus.PENDING] * 2
    clock.advance(0.6)  # the burst leaves the robot's minute: both go in one message
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 21 and statuses().count(DeliveryStatus.SENT) == 22
    assert stub.of('wecom_robot')[-1].body['text']['mentioned_mobile_list'] == [p.phone for p in people[20:]]


async def test_a_request_on_its_way_counts_in_the_minute_and_holds_up_no_other(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    people = [make_staff(session, site=site, name=f'顾问{i}') for i in range(21)]
    clock = Clock()
    stub.robot_rate, stub.timeout_s = 1000, 7.0
    stub.faults.append(('/cgi-bin/webhook', 'timeout'))
    sender = notify.Sender(timeout_s=6.0, clock=clock)  # the other 19 arrive before it, on a busy machine too
    for n, person in enumerate(people[:20]):  # the first on its way until it times out
        with db.session(write_lock=True) as s:  # as the app writes, beside the receipts being written
            alert_for(s, person)
        await sender.run_once()
        if n == 0:  # the fault is the first request's, whichever of several on their way reaches the robot first
            await until(lambda: bool(stub.faulted))
    await until(lambda: len(stub.of('wecom_robot')) == 19)
    assert deliveries()[0].status == DeliveryStatus.SENDING  # the time-out held up none of them
    with db.session(write_lock=True) as s:
        alert_for(s, people[20])
    await sender.drain()  # the 21st waits: the request on its way counted, and still counts once answered
    assert len(stub.robot_requests) == 20 and statuses().count(DeliveryStatus.PENDING) == 2
    clock.advance(60.1)
    await sender.drain()  # the retry and the 21st in one message
    assert len(stub.robot_requests) == 21 and statuses() == [DeliveryStatus.SENT] * 21
    assert sorted(stub.of('wecom_robot')[-1].body['text']['mentioned_mobile_list']) == [
        people[0].phone,
        people[20].phone,
    ]


async def test_the_robots_minute_holds_across_a_restart(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    people = [make_staff(session, site=site, name=f'顾问{i}') for i in range(21)]
    clock = Clock()
    stub.robot_rate = 1000
    before = notify.Sender(clock=clock)
    for person in people[:19]:
        alert_for(session, person)
        await before.drain()
    alert_for(session, people[19])
    await _claimed_then_killed(before)  # it may have reached the robot: it counts in the minute
    after = notify.Sender(clock=clock)  # the restarted app knows the minute only from the database
    alert_for(session, people[20])
    await after.drain()
    assert len(stub.of('wecom_robot')) == 19 and statuses()[19:] == [DeliveryStatus.PENDING] * 2
    clock.advance(60.1)
    await after.drain()
    assert len(stub.of('wecom_robot')) == 20 and statuses() == [DeliveryStatus.SENT] * 21


async def _claimed_then_killed(sender: notify.Sender) -> None:
    jobs, _ = await asyncio.to_thread(sender._claim, {})
    assert jobs
    if sender._lease is not None:  # PostgreSQL: a killed process's connection ends, and the sending lease with it
        sender._lease.invalidate()
        sender._lease = None
        await until(lambda: not lease_holders())


async def until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not condition():
        assert loop.time() < deadline
        await asyncio.sleep(0.02)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=120)  # ahead of the real clock: what the test enqueues is due

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def test_a_wrong_webhook_key_is_not_retried(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    lina = make_staff(session, site=site, name='李娜')
    stub.faults.append(('/cgi-bin/webhook', 'errcode:93000'))
    alert_for(session, lina)
    await notify.Sender().drain()
    (d,) = deliveries()
    assert d.status == DeliveryStatus.FAILED and 'errcode=93000' in d.last_error


async def test_dingtalk_robot_is_signed_and_mentions_by_mobile(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub, ChannelKind.DINGTALK_ROBOT)
    lina = make_staff(session, site=site, name='李娜')
    alert_for(session, lina)
    await notify.Sender().drain()
    (message,) = stub.of('dingtalk_robot')
    assert stub.refused == [] and message.body['at']['atMobiles'] == [lina.phone]
    assert statuses() == [DeliveryStatus.SENT]


async def test_dingtalk_refuses_a_wrong_secret(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub, ChannelKind.DINGTALK_ROBOT)
    lina = make_staff(session, site=site, name='李娜')
    stub.dingtalk_secret = 'another'
    alert_for(session, lina)
    await notify.Sender().drain()
    assert stub.refused and statuses() == [DeliveryStatus.FAILED]


async def test_wecom_app_fetches_a_token_once_and_refreshes_it_when_expired(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub, ChannelKind.WECOM_APP)
    lina = make_staff(session, site=site, name='李娜', phone='13912340001')
    sender = notify.Sender()
    alert_for(session, lina)
    await sender.drain()
    alert_for(session, lina)
    await sender.drain()
    first = stub.of('wecom_app')
    assert len(first) == 2 and first[0].body['touser'] == 'u0001' and first[0].body['agentid'] == 1000002
    assert len(stub.tokens) == 1  # cached: one token for both
    stub.expire_tokens()  # the token expires: 42001, a fresh token, and the message goes on the same try
    alert_for(session, lina)
    await sender.drain()
    assert len(stub.of('wecom_app')) == 3 and statuses() == [DeliveryStatus.SENT] * 3
    assert all(d.attempts == 1 for d in deliveries())


async def test_wecom_app_skips_a_person_without_a_mobile(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub, ChannelKind.WECOM_APP)
    nobody = make_staff(session, site=site, name='无号码', phone='')
    alert_for(session, nobody)
    assert deliveries() == []


async def test_web_push_is_really_encrypted_and_vapid_signed(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub, ChannelKind.WEB_PUSH)
    lina = make_staff(session, site=site, name='李娜')
    sub = stub.new_subscription()
    notify.subscribe(
        session, actor=lina, endpoint=sub['endpoint'], p256dh=sub['keys']['p256dh'], auth=sub['keys']['auth']
    )
    alert_for(session, lina, text='来访提醒：轮到您接待陈先生')
    await notify.Sender().drain()
    assert stub.refused == []
    (push,) = stub.of('web_push')
    assert push.body == {'title': '案场', 'body': '来访提醒：轮到您接待陈先生', 'url': '/'}
    assert statuses() == [DeliveryStatus.SENT]


async def test_a_web_push_subscription_gone_is_dropped(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub, ChannelKind.WEB_PUSH)
    lina = make_staff(session, site=site, name='李娜')
    sub = stub.new_subscription()
    notify.subscribe(
        session, actor=lina, endpoint=sub['endpoint'], p256dh=sub['keys']['p256dh'], auth=sub['keys']['auth']
    )
    stub.subscriptions.clear()  # the browser unsubscribed: the push service answers 410
    alert_for(session, lina)
    await notify.Sender().drain()
    assert statuses() == [DeliveryStatus.FAILED]
    with db.session() as s:
        assert not s.exec(select(PushSubscription)).one().active
    alert_for(session, lina)
    assert len(deliveries()) == 1  # no new delivery to a gone browser


async def test_one_failing_channel_does_not_hold_up_another(session: Session, stub: Stub) -> None:
    site, manager = robot_site(session, stub)
    add_channel(session, stub, site, manager, ChannelKind.WECOM_APP)
    lina = make_staff(session, site=site, name='李娜')
    stub.faults.append(('/cgi-bin/webhook', 'errcode:45009'))
    alert_for(session, lina)
    await notify.Sender().drain()
    assert sorted(statuses()) == [DeliveryStatus.PENDING, DeliveryStatus.SENT]
