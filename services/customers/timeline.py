"""One customer's file: who they are, who owns them, and every contact and grade change on one timeline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import ContactKind, ContactLog, Customer, FollowUp, Staff, Visit, VisitStatus, utcnow
from services.core import authz
from services.customers import contacts, ownership

KIND_LABELS = {
    'visit': '到访',
    'record': '接待记录',
    'call': '来电',
    'tour': '带看',
    'follow_up': '追访',
    'grade': '意向等级',
    'outcome': '结果',
    'complaint': '投诉',
}


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str
    staff: str | None
    summary: str
    grade: str | None


@dataclass(frozen=True)
class CustomerFile:
    id: int
    name: str
    phone: str  # masked for anyone but the owner and managers
    owner: str | None
    owned_by_me: bool
    protected_until: datetime | None
    protected: bool
    grade: str | None
    grade_meaning: str
    outcome: str
    outcome_detail: str
    follow_up: bool
    next_follow_up: date | None
    next_follow_up_id: int | None
    next_follow_up_method: str
    version: int
    timezone: str
    items: list[TimelineItem]


def customer_file(session: Session, *, actor: Staff, customer_id: int, limit: int = 200) -> CustomerFile:
    """Everything about one customer of the actor's site, newest first."""
    customer = contacts.customer_of(session, actor, customer_id)
    site = contacts.site_of(session, actor)
    staff = {s.id: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    now = utcnow()
    nxt = session.exec(
        select(FollowUp)
        .where(FollowUp.customer_id == customer.id, col(FollowUp.done_at).is_(None), col(FollowUp.cancelled).is_(False))
        .order_by(col(FollowUp.due_on))
    ).first()
    return CustomerFile(
        id=customer.id or 0,
        name=f'{customer.surname}{customer.title}',
        phone=ownership.visible_phone(actor, customer),
        owner=staff.get(customer.owner_id),
        owned_by_me=customer.owner_id == actor.id,
        protected_until=customer.protected_until,
        protected=ownership.protected_owner(session, customer, now) is not None,
        grade=customer.grade,
        grade_meaning=contacts.setting(site, 'grade_definitions').get(customer.grade or '', ''),
        outcome=customer.outcome,
        outcome_detail=_outcome(customer),
        follow_up=customer.follow_up,
        next_follow_up=nxt.due_on if nxt else None,
        next_follow_up_id=nxt.id if nxt else None,
        next_follow_up_method=nxt.method if nxt else '电话',
        version=customer.version,
        timezone=site.timezone,
        items=_for(actor, items(session, customer, staff, limit)),
    )


def items(session: Session, customer: Customer, staff: dict[int | None, str], limit: int) -> list[TimelineItem]:
    """Visits and the contact log merged, newest first (two indexed look-ups by customer)."""
    visits = session.exec(
        select(Visit).where(Visit.customer_id == customer.id).order_by(col(Visit.arrived_at).desc()).limit(limit)
    )
    logs = session.exec(
        select(ContactLog)
        .where(ContactLog.customer_id == customer.id)
        .order_by(col(ContactLog.customer_id), col(ContactLog.at).desc())
        .limit(limit)
    )
    found = [_visit_item(v, staff) for v in visits]
    found += [TimelineItem(c.at, c.kind, staff.get(c.staff_id), c.summary, c.grade) for c in logs]
    return sorted(found, key=lambda i: i.at, reverse=True)[:limit]


def _for(actor: Staff, found: list[TimelineItem]) -> list[TimelineItem]:
    """What was said in a complaint is for the managers (and the complaint's own page): others see its steps."""
    if authz.allowed(actor, authz.MANAGERS):
        return found
    return [replace(i, summary=i.summary.split('：')[0]) if i.kind == ContactKind.COMPLAINT else i for i in found]


def _visit_item(visit: Visit, staff: dict[int | None, str]) -> TimelineItem:
    parts = [f'{visit.party_size} 人', '老客户' if visit.returning_customer else '新客户']
    if visit.status == VisitStatus.INVALID:
        parts.append(f'无效接待：{visit.invalid_reason or ""}')
    return TimelineItem(visit.arrived_at, 'visit', staff.get(visit.assigned_id), ' · '.join(parts), None)


def _outcome(customer: Customer) -> str:
    if customer.outcome == 'deal':
        return f'{customer.deal_unit} · {customer.deal_amount_wan or 0:g} 万 · {customer.outcome_on}'
    if customer.outcome == 'lost':
        return customer.lost_reason
    return ''
