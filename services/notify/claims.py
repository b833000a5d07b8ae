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
# The robot's minute, as a sliding window. Its margin is a round trip: a request is counted from its answer (the
# robot counted it before it answered) while the next is counted from before it leaves. A longer window would make
# the robot slower than an opening day's 20 alerts a minute, and every alert would wait a little more each minute.
RATE_WINDOW = timedelta(seconds=60)
WAIT_FOR_ANSWERS = timedelta(seconds=1)  # a minute full of requests still on their way: look again (or when answered)
MAX_CLAIM = 500
SENDING = 'sending'  # a request's error until its answer is written


@dataclass
class Job:
    """What one channel sends now: messages, each with its deliveries and the request row that counts it."""

    channel_id: int
    kind: str
    config: dict[str, Any]
    messages: list[tuple[Message, list[int], int]] = field(default_factory=list)


def jobs(
    s: Session, due: list[NotifyDelivery], now: datetime, flying: dict[int, set[int]]
) -> tuple[list[Job], dict[int, datetime]]:
    """Group the due deliveries by channel and make the messages; a robot whose minute is full waits (blocked: until
    when it may send again). `flying`: per robot, its requests whose answers are not yet written."""
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
            budget, free_at = _robot_budget(s, channel_id, now, flying.get(channel_id, set()))
            if budget <= 0:
                blocked[channel_id] = free_at
                continue
            packed = pack(group, alerts, people, budget)
        else:
            packed = _personal(s, channel, group, alerts, people, now)
        job = Job(channel_id, channel.kind, dict(channel.config))
        for message, deliveries in packed:
            request = NotifySend(channel_id=channel_id, at=now, deliveries=len(deliveries), error=SENDING)
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


def _robot_budget(s: Session, channel_id: int, now: datetime, flying: set[int]) -> tuple[int, datetime]:
    """How many messages the robot may take now: what its last minute has left (everything due goes at once while
    there is room, merged; what comes due while there is none waits and merges); with none, when it may send again
    (the sender sleeps until then, not a poll interval more)."""
    query = select(NotifySend.id, NotifySend.at).where(
        NotifySend.channel_id == channel_id, NotifySend.at > now - RATE_WINDOW, NotifySend.error != SENDING
    )  # answered requests; those on their way are `flying` (a dead sender's were stamped at the restart)
    answered = sorted(at for request, at in s.exec(query) if request not in flying)  # an answer just written: once
    over = len(answered) + len(flying) - ROBOT_RATE
    if over < 0:
        return -over, now
    if over < len(answered):  # the minute has room again once `over + 1` answered requests have left it
        return 0, answered[over] + RATE_WINDOW
    return 0, now + WAIT_FOR_ANSWERS


def anything_due(s: Session, now: datetime) -> bool:
    query = select(NotifyDelivery.id).where(
        NotifyDelivery.status == DeliveryStatus.PENDING, NotifyDelivery.next_at <= now
    )
    return s.exec(query.limit(1)).first() is not None


def next_due(s: Session, now: datetime, blocked: dict[int, datetime]) -> float | None:
    """Seconds until the next delivery is due (a blocked robot: until its minute lets it send)."""
    query = select(func.min(NotifyDelivery.next_at)).where(NotifyDelivery.status == DeliveryStatus.PENDING)
    if blocked:
        query = query.where(col(NotifyDelivery.channel_id).not_in(list(blocked)))
    times = [t for t in [s.exec(query).one()] if t is not None] + list(blocked.values())
    if not times:
        return None
    return max(0.0, (min(times) - now).total_seconds())
