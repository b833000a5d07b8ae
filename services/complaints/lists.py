"""Reading complaints: open ones by deadline, mine, by category and month, one in full, the board's counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import Complaint, ComplaintStatus, ComplaintStep, Customer, Photo, Role, Site, Staff, utcnow
from services.complaints import rules
from services.core import authz
from services.core.errors import NotFound, PermissionDenied
from services.customers import ownership
from services.photos import store as photo_store


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    customer: str
    category: str  # the key; rules.CATEGORIES has its name
    severity: str
    status: str
    created_at: datetime
    clock: rules.Clock
    taken_by: str
    against: str | None
    escalated: bool
    site: str


@dataclass(frozen=True)
class StepRow:
    at: datetime
    who: str | None  # None: the app itself (an escalation)
    action: str  # the key; complaints.ACTION_LABELS has its name
    text: str
    satisfaction: int | None


@dataclass(frozen=True)
class ComplaintView:
    row: ComplaintRow
    complaint: Complaint
    phone: str  # masked unless the reader owns the customer or manages the site
    owner: str | None
    steps: list[StepRow]
    photos: list[Photo]
    next_steps: list[rules.Step]
    can_note: bool
    can_reassign: bool
    colleagues: dict[int, str]  # whom the customer can be given to
    timezone: str


def open_complaints(session: Session, *, actor: Staff, now: datetime | None = None) -> list[ComplaintRow]:
    """Every complaint still waiting for an answer, the nearest (or longest past) deadline first.

    The site's managers see their site's; the group admin sees every site's (escalations at the top)."""
    authz.require(actor, authz.MANAGERS)
    query = select(Complaint).where(col(Complaint.status).in_(rules.OPEN))
    if actor.role != Role.ADMIN:
        query = query.where(Complaint.site_id == actor.site_id)
    rows = _rows(session, list(session.exec(query.limit(500))), now or utcnow())
    return sorted(rows, key=lambda r: (not r.escalated, r.clock.due_at or r.created_at))


def taken_by_me(session: Session, *, actor: Staff, now: datetime | None = None) -> list[ComplaintRow]:
    """The complaints this person took in, newest first."""
    authz.require(actor)
    query = select(Complaint).where(Complaint.taken_by_id == actor.id).order_by(col(Complaint.created_at).desc())
    return _rows(session, list(session.exec(query.limit(100))), now or utcnow())


def pending(session: Session, *, actor: Staff) -> list[ComplaintRow]:
    """What the alert bar shows: for a manager the site's complaints not yet acknowledged; for the admin the
    escalated ones still open."""
    if not authz.allowed(actor, authz.MANAGERS):
        return []
    if actor.role == Role.ADMIN:
        return [r for r in open_complaints(session, actor=actor) if r.escalated]
    query = select(Complaint).where(Complaint.site_id == actor.site_id, Complaint.status == ComplaintStatus.NEW)
    return _rows(session, list(session.exec(query.order_by(col(Complaint.created_at)).limit(20))), utcnow())


def by_month(
    session: Session, *, actor: Staff, months: int = 6, now: datetime | None = None
) -> list[tuple[str, Counter[str]]]:
    """The site's complaints per month (site time) and category, the latest month first."""
    authz.require(actor, authz.MANAGERS)
    site = session.get(Site, actor.site_id or 0)
    if site is None:
        raise PermissionDenied()
    zone = ZoneInfo(site.timezone)
    since = (now or utcnow()) - timedelta(days=31 * months)
    query = select(Complaint.created_at, Complaint.category).where(
        Complaint.site_id == site.id, Complaint.created_at >= since
    )
    table: dict[str, Counter[str]] = {}
    for created_at, category in session.exec(query):
        table.setdefault(created_at.astimezone(zone).strftime('%Y-%m'), Counter())[category] += 1
    return sorted(table.items(), reverse=True)


def counts(session: Session, *, site_id: int, now: datetime) -> tuple[int, int]:
    """(open, overdue) complaints of a site, for the board and the TV."""
    query = select(Complaint.status, Complaint.acknowledge_due_at, Complaint.resolve_due_at).where(
        Complaint.site_id == site_id, col(Complaint.status).in_(rules.OPEN)
    )
    found = list(session.exec(query))
    late = sum(rules.clock(status=s, acknowledge_due_at=a, resolve_due_at=r, now=now).overdue for s, a, r in found)
    return len(found), late


def detail(session: Session, *, actor: Staff, complaint_id: int, now: datetime | None = None) -> ComplaintView:
    """One complaint in full for someone who may see it: its steps, photos and what this person can do next."""
    complaint = session.get(Complaint, complaint_id)
    if complaint is None or not authz.may_see_complaint(actor, complaint):
        raise NotFound()
    site = session.get(Site, complaint.site_id)
    customer = session.get(Customer, complaint.customer_id)
    assert site is not None and customer is not None
    staff = {s.id: s for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    steps = list(
        session.exec(
            select(ComplaintStep).where(ComplaintStep.complaint_id == complaint.id).order_by(col(ComplaintStep.id))
        )
    )
    actors = {s.actor_id for s in steps if s.actor_id}
    names = {s.id: s.name for s in session.exec(select(Staff).where(col(Staff.id).in_(actors)))} if actors else {}
    manager = authz.allowed(actor, authz.MANAGERS)
    return ComplaintView(
        row=_rows(session, [complaint], now or utcnow())[0],
        complaint=complaint,
        phone=ownership.visible_phone(actor, customer),
        owner=staff[customer.owner_id].name if customer.owner_id in staff else None,
        steps=[StepRow(s.at, names.get(s.actor_id), s.action, s.text, s.satisfaction) for s in steps],
        photos=photo_store.photos_of(session, site_id=site.id or 0, complaint_ids=[complaint.id or 0]),
        next_steps=rules.next_steps(complaint.status, role=actor.role, is_taker=complaint.taken_by_id == actor.id),
        can_note=manager or complaint.taken_by_id == actor.id,
        can_reassign=manager and complaint.against_staff_id is not None,
        colleagues={
            i: s.name
            for i, s in staff.items()
            if i is not None and s.active and s.role == Role.SALESPERSON and i != complaint.against_staff_id
        },
        timezone=site.timezone,
    )


def _rows(session: Session, complaints: list[Complaint], now: datetime) -> list[ComplaintRow]:
    if not complaints:
        return []
    customers = {
        c.id: f'{c.surname}{c.title}'
        for c in session.exec(select(Customer).where(col(Customer.id).in_({x.customer_id for x in complaints})))
    }
    people = {x.taken_by_id for x in complaints} | {x.against_staff_id for x in complaints if x.against_staff_id}
    names = {s.id: s.name for s in session.exec(select(Staff).where(col(Staff.id).in_(people)))}
    sites = {s.id: s.name for s in session.exec(select(Site).where(col(Site.id).in_({x.site_id for x in complaints})))}
    return [
        ComplaintRow(
            id=x.id or 0,
            customer=customers.get(x.customer_id, ''),
            category=x.category,
            severity=x.severity,
            status=x.status,
            created_at=x.created_at,
            clock=rules.clock(
                status=x.status, acknowledge_due_at=x.acknowledge_due_at, resolve_due_at=x.resolve_due_at, now=now
            ),
            taken_by=names.get(x.taken_by_id, ''),
            against=names.get(x.against_staff_id) if x.against_staff_id else None,
            escalated=x.status in rules.OPEN
            and bool(x.acknowledge_escalated_at if x.status == ComplaintStatus.NEW else x.resolve_escalated_at),
            site=sites.get(x.site_id, ''),
        )
        for x in complaints
    ]
