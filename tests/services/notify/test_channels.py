"""Each channel against a local stand-in that speaks its protocol and fails on purpose."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

import db
from models import ChannelKind, DeliveryStatus, NotifySend, PushSubscription, utcnow
from services import notify
from tests.helpers.factories import make_staff
from tests.services.notify.helpers import add_channel, alert_for, deliveries, robot_site, statuses
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
    clock.advance(1.0)
    alert_for(session, people[0])
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 20 and statuses()[-1] == DeliveryStatus.PENDING  # the minute is full
    with db.session() as s:
        assert len(s.exec(select(NotifySend)).all()) == 20
    clock.advance(2.2)  # the first message leaves the robot's minute
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 21 and statuses()[-1] == DeliveryStatus.SENT


async def test_a_burst_does_not_spend_the_whole_minute(session: Session, stub: Stub) -> None:
    site, _ = robot_site(session, stub)
    people = [make_staff(session, site=site, name=f'顾问{i}') for i in range(12)]
    clock = Clock()
    stub.robot_rate = 1000
    sender = notify.Sender(clock=clock)
    for person in people:  # twelve one after another, within the same second
        alert_for(session, person)
        await sender.drain()
    assert len(stub.of('wecom_robot')) == 10  # half the minute at once, then one every 3 s
    clock.advance(3.1)
    await sender.drain()
    assert len(stub.of('wecom_robot')) == 11 and statuses().count(DeliveryStatus.SENT) == 12  # the two merged


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
