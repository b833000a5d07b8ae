"""Writing alerts into the outbox, inside the transaction of the change that causes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event
from sqlmodel import Session, col, select

from models import (
    ChannelKind,
    NotifyAlert,
    NotifyChannel,
    NotifyDelivery,
    PushSubscription,
    Role,
    Staff,
    utcnow,
)
from services.core.events import VisitorAlert
from services.core.i18n import t

VISITOR_ASSIGNED = 'visitor_assigned'
REMINDER = 'reminder'
_committed: list[Callable[[], None]] = []  # the sender's wake-up, registered when it starts


@dataclass(frozen=True)
class Alert:
    """One alert for one person: what it says, what a tap opens, and the key that makes it happen only once."""

    site_id: int
    staff_id: int
    kind: str
    key: str
    text: str
    url: str = '/'
    visit_id: int | None = None


def enqueue(
    session: Session,
    alerts: Iterable[Alert],
    *,
    now: datetime | None = None,
    only_channel: int | None = None,
    new_keys: bool = False,
) -> list[NotifyAlert]:
    """Add the alerts (a key seen before is skipped) and a delivery per channel that can reach each person
    (`only_channel`: through that one, as a test does). `new_keys`: the caller knows no key can have been seen (the
    alerts of a visit made in this transaction), and the look-up is saved: a round trip of every sign-in.

    Nothing is committed here: the caller's commit makes the alert and its cause true together."""
    wanted = {a.key: a for a in alerts}
    if not wanted:
        return []
    now = now or utcnow()
    seen = set() if new_keys else set(session.exec(select(NotifyAlert.key).where(col(NotifyAlert.key).in_(wanted))))
    fresh = [a for a in wanted.values() if a.key not in seen]
    if not fresh:
        return []
    rows = [NotifyAlert(**a.__dict__, created_at=now) for a in fresh]
    session.add_all(rows)
    session.flush()
    reach = _reach(session, {a.site_id for a in fresh}, {a.staff_id for a in fresh})
    for row in rows:
        for channel_id, target in reach.get((row.site_id, row.staff_id), []):
            if only_channel is not None and channel_id != only_channel:
                continue
            session.add(
                NotifyDelivery(
                    alert_id=row.id or 0, channel_id=channel_id, staff_id=row.staff_id, target=target, next_at=utcnow()
                )
            )
    event.listen(session, 'after_commit', _wake, once=True)
    return rows


def enqueue_for(
    session: Session,
    *,
    site_id: int,
    staff_ids: Iterable[int | None],
    kind: str,
    key: str,
    text: str,
    url: str = '/',
    now: datetime | None = None,
) -> list[NotifyAlert]:
    """One alert of the same cause for each of several people (`key` names the cause; each person's key adds
    their id). Nothing is committed here."""
    people = [i for i in dict.fromkeys(staff_ids) if i]
    alerts = [Alert(site_id, i, kind, f'{key}:{i}', text, url) for i in people]
    return enqueue(session, alerts, now=now)


def site_managers(session: Session, site_id: int) -> list[int]:
    """The active sales managers of a site: who complaints, overdue checklists and due reports alert."""
    query = select(Staff.id).where(Staff.site_id == site_id, Staff.role == Role.MANAGER, col(Staff.active))
    return [i for i in session.exec(query.order_by(col(Staff.id))) if i]


def group_admins(session: Session) -> list[int]:
    """The active group admins: an overdue complaint goes up to them."""
    query = select(Staff.id).where(Staff.role == Role.ADMIN, col(Staff.active))
    return [i for i in session.exec(query.order_by(col(Staff.id))) if i]


def enqueue_visitor_alerts(
    session: Session, alerts: list[VisitorAlert], *, now: datetime | None = None, new_visits: bool = False
) -> None:
    """The visitor alerts of a rotation change (sign-in, a waiting visitor routed, a manager's assignment);
    `new_visits`: every alert is of a visit made in this transaction (a sign-in's), so none can have been sent."""
    enqueue(session, [visitor_alert(a) for a in alerts], now=now, new_keys=new_visits)


def visitor_alert(alert: VisitorAlert) -> Alert:
    """The outbox entry of a visitor alert; a reminder (nobody tapped 我来接待 yet) is its own entry, once."""
    key = f'visit:{alert.visit_id}:{alert.staff_id}'
    text = visitor_text(alert)
    return Alert(
        site_id=alert.site_id,
        staff_id=alert.staff_id,
        kind=REMINDER if alert.reminder else VISITOR_ASSIGNED,
        key=f'{key}:reminder' if alert.reminder else key,
        text=t('再次提醒：{alert}', alert=text) if alert.reminder else text,
        url='/rotation',
        visit_id=alert.visit_id,
    )


def visitor_text(alert: VisitorAlert) -> str:
    """Short, and no phone number: a group robot's message is read by the whole group."""
    if alert.shadow:
        return t('来访提醒：{customer}到访，请随同接待', customer=alert.customer)
    party = t('（{n}位）', n=alert.party_size) if alert.party_size > 1 else ''
    if alert.on_behalf_of:
        return t(
            '来访提醒：{owner}的客户{customer}{party}到访，请您代接',
            owner=alert.on_behalf_of,
            customer=alert.customer,
            party=party,
        )
    if alert.by_owner:
        return t('来访提醒：您的客户{customer}{party}到访，请接待', customer=alert.customer, party=party)
    return t('来访提醒：轮到您接待{customer}{party}，请到前台', customer=alert.customer, party=party)


def on_committed(callback: Callable[[], None]) -> None:
    """Call `callback` (from any thread) whenever a transaction that enqueued alerts commits."""
    if callback not in _committed:
        _committed.append(callback)


def clear_committed() -> None:
    _committed.clear()


def _wake(_session: Session) -> None:
    for callback in list(_committed):
        callback()


def _reach(session: Session, site_ids: set[int], staff_ids: set[int]) -> dict[tuple[int, int], list[tuple[int, str]]]:
    """(site, person) → the (channel, target) pairs that can reach them: robots and app messages need a mobile for
    the @ or the user look-up; Web Push needs a subscribed browser."""
    channels = list(
        session.exec(select(NotifyChannel).where(col(NotifyChannel.site_id).in_(site_ids), NotifyChannel.enabled))
    )
    if not channels:
        return {}
    people = {s.id: s for s in session.exec(select(Staff).where(col(Staff.id).in_(staff_ids)))}
    subscriptions: dict[int, list[int]] = {}
    if any(c.kind == ChannelKind.WEB_PUSH for c in channels):
        query = select(PushSubscription).where(col(PushSubscription.staff_id).in_(staff_ids), PushSubscription.active)
        for sub in session.exec(query):
            subscriptions.setdefault(sub.staff_id, []).append(sub.id or 0)
    reach: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for staff_id, person in people.items():
        for channel in channels:
            targets = _targets(channel, person, subscriptions.get(staff_id or 0, []))
            reach.setdefault((channel.site_id, staff_id or 0), []).extend((channel.id or 0, x) for x in targets)
    return reach


def _targets(channel: NotifyChannel, person: Staff, subscriptions: list[int]) -> list[str]:
    if channel.kind == ChannelKind.WEB_PUSH:
        return [str(s) for s in subscriptions]
    if channel.kind == ChannelKind.WECOM_APP and not person.phone:
        return []
    return ['']
