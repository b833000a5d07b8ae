"""What the sender takes each time it looks: the due deliveries grouped per channel, a robot's merged into few
messages within its minute, each message with the request row that counts it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import (
    ChannelKind,
    DeliveryStatus,
    NotifyAlert,
    NotifyChannel,
    NotifyDelivery,
    NotifySend,
    PushSubscription,
    Staff,
)

from .channels import ROBOTS, TEXT_LIMIT, Message

ROBOT_RATE = 20  # messages a minute per robot (WeCom and DingTalk both)
RATE_WINDOW = timedelta(seconds=61)  # a second more than the robot's minute: our clock and theirs differ a little
PACE_FROM = 10  # once half the minute's messages are used, at most one every PACE: a burst must not spend the whole
PACE = timedelta(seconds=3.05)  # minute's budget and leave the next alerts waiting ~45 s (what is due meanwhile merges)
MAX_CLAIM = 500


@dataclass
class Job:
    """What one channel sends now: messages, each with its deliveries and the request row that counts it."""

    channel_id: int
    kind: str
    config: dict[str, Any]
    messages: list[tuple[Message, list[int], int]] = field(default_factory=list)


def jobs(s: Session, due: list[NotifyDelivery], now: datetime) -> tuple[list[Job], dict[int, datetime]]:
    """Group the due deliveries by channel and make the messages; a robot out of budget waits (blocked: until
    when it may send again)."""
    if not due:
        return [], {}
    by_channel: dict[int, list[NotifyDelivery]] = {}
    for d in due:
        by_channel.setdefault(d.channel_id, []).append(d)
    chans = {c.id: c for c in s.exec(select(NotifyChannel).where(col(NotifyChannel.id).in_(by_channel)))}
    alerts = {a.id: a for a in s.exec(select(NotifyAlert).where(col(NotifyAlert.id).in_({d.alert_id for d in due})))}
    people = {p.id: p for p in s.exec(select(Staff).where(col(Staff.id).in_({d.staff_id for d in due})))}
    jobs: list[Job] = []
    blocked: dict[int, datetime] = {}
    for channel_id, group in by_channel.items():
        channel = chans[channel_id]
        if not channel.enabled:
            _give_up(group, now, '渠道已关闭')
            continue
        if channel.kind in ROBOTS:
            budget, free_at = _robot_budget(s, channel_id, now)
            if budget <= 0:
                blocked[channel_id] = free_at
                continue
            packed = pack(group, alerts, people, budget)
        else:
            packed = _personal(s, channel, group, alerts, people, now)
        job = Job(channel_id, channel.kind, dict(channel.config))
        for message, deliveries in packed:
            request = NotifySend(channel_id=channel_id, at=now, deliveries=len(deliveries), error='sending')
            s.add(request)
            s.flush()
            for d in deliveries:
                d.status, d.attempts = DeliveryStatus.SENDING, d.attempts + 1
            job.messages.append((message, [d.id or 0 for d in deliveries], request.id or 0))
        if job.messages:
            jobs.append(job)
    return jobs, blocked


def pack(
    group: list[NotifyDelivery], alerts: dict[int | None, NotifyAlert], people: dict[int | None, Staff], budget: int
) -> list[tuple[Message, list[NotifyDelivery]]]:
    """A robot's due alerts merged into at most `budget` messages of ≤ 2,048 bytes, each @-mentioning its people;
    what does not fit stays due."""
    messages: list[tuple[Message, list[NotifyDelivery]]] = []
    lines: list[str] = []
    batch: list[NotifyDelivery] = []
    for d in group:
        person = people.get(d.staff_id)
        line = f'{person.name if person else ""}，{alerts[d.alert_id].text}'
        if batch and len('\n'.join([*lines, line]).encode()) > TEXT_LIMIT:
            messages.append(_robot_message(lines, batch, people))
            lines, batch = [], []
            if len(messages) >= budget:
                return messages
        lines.append(line)
        batch.append(d)
    if batch:
        messages.append(_robot_message(lines, batch, people))
    return messages


def _robot_message(
    lines: list[str], batch: list[NotifyDelivery], people: dict[int | None, Staff]
) -> tuple[Message, list[NotifyDelivery]]:
    mobiles = tuple(dict.fromkeys(p.phone for d in batch if (p := people.get(d.staff_id)) and p.phone))
    key = ','.join(str(d.id) for d in batch)
    return Message(text='\n'.join(lines), mobiles=mobiles, key=key), batch


def _personal(
    s: Session,
    channel: NotifyChannel,
    group: list[NotifyDelivery],
    alerts: dict[int | None, NotifyAlert],
    people: dict[int | None, Staff],
    now: datetime,
) -> list[tuple[Message, list[NotifyDelivery]]]:
    subs: dict[int | None, PushSubscription] = {}
    if channel.kind == ChannelKind.WEB_PUSH:
        ids = [int(d.target) for d in group if d.target.isdigit()]
        subs = {p.id: p for p in s.exec(select(PushSubscription).where(col(PushSubscription.id).in_(ids)))}
    packed = []
    for d in group:
        alert, person = alerts[d.alert_id], people.get(d.staff_id)
        target: dict[str, Any] = {}
        if channel.kind == ChannelKind.WEB_PUSH:
            sub = subs.get(int(d.target) if d.target.isdigit() else None)
            if sub is None or not sub.active:
                _give_up([d], now, '浏览器已取消订阅')
                continue
            target = {'endpoint': sub.endpoint, 'keys': {'p256dh': sub.p256dh, 'auth': sub.auth}}
        mobiles = (person.phone,) if person and person.phone else ()
        packed.append((Message(text=alert.text, mobiles=mobiles, url=alert.url, key=str(d.id), target=target), [d]))
    return packed


def _give_up(group: list[NotifyDelivery], now: datetime, why: str) -> None:
    for d in group:
        d.status, d.last_error = DeliveryStatus.FAILED, why


def _robot_budget(s: Session, channel_id: int, now: datetime) -> tuple[int, datetime]:
    """How many messages the robot may take now: what is left of its minute, paced once half of it is spent; with
    none, when the next one may go (the sender sleeps until then, not a poll interval more)."""
    query = select(func.count(), func.min(NotifySend.at), func.max(NotifySend.at)).where(
        NotifySend.channel_id == channel_id, NotifySend.at > now - RATE_WINDOW
    )
    sent, oldest, last = s.exec(query).one()
    if sent >= ROBOT_RATE and oldest is not None:
        return 0, oldest + RATE_WINDOW
    if sent >= PACE_FROM and last is not None and now - last < PACE:
        return 0, last + PACE
    return (ROBOT_RATE - int(sent) if sent < PACE_FROM else 1), now


def anything_due(s: Session, now: datetime, busy: list[int]) -> bool:
    query = select(NotifyDelivery.id).where(
        NotifyDelivery.status == DeliveryStatus.PENDING, NotifyDelivery.next_at <= now
    )
    if busy:
        query = query.where(col(NotifyDelivery.channel_id).not_in(busy))
    return s.exec(query.limit(1)).first() is not None


def next_due(s: Session, now: datetime, blocked: dict[int, datetime], busy: list[int]) -> float | None:
    """Seconds until the next delivery is due (a blocked robot: until its pace or its minute lets it send)."""
    query = select(func.min(NotifyDelivery.next_at)).where(NotifyDelivery.status == DeliveryStatus.PENDING)
    if blocked or busy:
        query = query.where(col(NotifyDelivery.channel_id).not_in([*blocked, *busy]))
    times = [t for t in [s.exec(query).one()] if t is not None] + list(blocked.values())
    if not times:
        return None
    return max(0.0, (min(times) - now).total_seconds())
