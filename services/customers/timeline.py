"""One customer's file: who they are, who owns them, and every contact and grade change on one timeline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import bindparam
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import ContactKind, ContactLog, Customer, FollowUp, Site, Staff, Visit, VisitStatus, utcnow
from services.core import authz
from services.core.errors import NotFound
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


# Built once, run with parameters (as search's). On PostgreSQL every query is a round trip, and on a busy machine each
# can wait for the CPU: the file is read in three (the customer with their site, owner and next follow-up; visits;
# the contact log), where it took six (customer, site, the site's staff for names, next follow-up, visits, log).
_Owner = aliased(Staff)
_NEXT = (  # the customer's open follow-up due first
    select(FollowUp.id)
    .where(FollowUp.customer_id == Customer.id, col(FollowUp.done_at).is_(None), col(FollowUp.cancelled).is_(False))
    .order_by(col(FollowUp.due_on), col(FollowUp.id))
    .limit(1)
    .correlate(Customer)
    .scalar_subquery()
)
FILE = (
    select(Customer, Site, _Owner, FollowUp)
    .join(Site, col(Site.id) == Customer.site_id)
    .outerjoin(_Owner, col(_Owner.id) == Customer.owner_id)
    .outerjoin(FollowUp, col(FollowUp.id) == _NEXT)
    .where(Customer.id == bindparam('customer_id'), Customer.site_id == bindparam('site_id'))
)
VISITS = (
    select_columns(
        col(Visit.arrived_at),
        col(Visit.party_size),
        col(Visit.returning_customer),
        col(Visit.status),
        col(Visit.invalid_reason),
        col(Staff.name),
    )
    .outerjoin(Staff, col(Staff.id) == Visit.assigned_id)
    .where(col(Visit.customer_id) == bindparam('customer_id'))
    .order_by(col(Visit.arrived_at).desc())
    .limit(bindparam('limit'))
)
LOGS = (
    select_columns(
        col(ContactLog.at), col(ContactLog.kind), col(Staff.name), col(ContactLog.summary), col(ContactLog.grade)
    )
    .outerjoin(Staff, col(Staff.id) == ContactLog.staff_id)
    .where(col(ContactLog.customer_id) == bindparam('customer_id'))
    .order_by(col(ContactLog.customer_id), col(ContactLog.at).desc())
    .limit(bindparam('limit'))
)


def customer_file(session: Session, *, actor: Staff, customer_id: int, limit: int = 200) -> CustomerFile:
    """Everything about one customer of the actor's site, newest first."""
    authz.require(actor, contacts.ON_SITE)
    found = session.exec(FILE, params={'customer_id': customer_id, 'site_id': actor.site_id}).first()
    if found is None:
        raise NotFound()
    customer, site, owner, nxt = found
    return CustomerFile(
        id=customer.id or 0,
        name=f'{customer.surname}{customer.title}',
        phone=ownership.visible_phone(actor, customer),
        owner=owner.name if owner else None,
        owned_by_me=customer.owner_id == actor.id,
        protected_until=customer.protected_until,
        protected=ownership.protected_owner(session, customer, utcnow()) is not None,  # the owner: loaded above
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
        items=_for(actor, items(session, customer.id or 0, limit)),
    )


def items(session: Session, customer_id: int, limit: int) -> list[TimelineItem]:
    """Visits and the contact log merged, newest first (two indexed look-ups by customer, the names joined)."""
    params = {'customer_id': customer_id, 'limit': limit}
    found = [_visit_item(*row) for row in session.execute(VISITS, params)]
    found += [TimelineItem(*row) for row in session.execute(LOGS, params)]
    return sorted(found, key=lambda i: i.at, reverse=True)[:limit]


def _for(actor: Staff, found: list[TimelineItem]) -> list[TimelineItem]:
    """What was said in a complaint is for the managers (and the complaint's own page): others see its steps."""
    if authz.allowed(actor, authz.MANAGERS):
        return found
    return [replace(i, summary=i.summary.split('：')[0]) if i.kind == ContactKind.COMPLAINT else i for i in found]


def _visit_item(
    at: datetime, party_size: int, returning: bool, status: str, invalid_reason: str | None, staff: str | None
) -> TimelineItem:
    parts = [f'{party_size} 人', '老客户' if returning else '新客户']
    if status == VisitStatus.INVALID:
        parts.append(f'无效接待：{invalid_reason or ""}')
    return TimelineItem(at, 'visit', staff, ' · '.join(parts), None)


def _outcome(customer: Customer) -> str:
    if customer.outcome == 'deal':
        return f'{customer.deal_unit} · {customer.deal_amount_wan or 0:g} 万 · {customer.outcome_on}'
    if customer.outcome == 'lost':
        return customer.lost_reason
    return ''
