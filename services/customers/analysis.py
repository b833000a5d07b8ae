"""The daily customer analysis (每日客户分析会): today's receptions per salesperson, grades confirmed, deadlines set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import Customer, FollowUp, ReceptionRecord, Staff, Visit, VisitStatus, utcnow
from services.core import audit, authz
from services.customers import contacts, followups
from services.customers.followups import followup_date


@dataclass(frozen=True)
class AnalysisRow:
    visit_id: int
    customer_id: int
    customer: str
    grade: str | None
    objections: list[str]
    next_step: str  # the proposed next follow-up: method and date
    due_on: date | None
    recorded: bool


@dataclass(frozen=True)
class SalespersonDay:
    staff_id: int
    name: str
    rows: list[AnalysisRow]


def daily(
    session: Session, *, actor: Staff, day: date | None = None, now: datetime | None = None
) -> list[SalespersonDay]:
    """Today's (or `day`'s) valid receptions of the manager's site, grouped by the salesperson who received."""
    authz.require(actor, authz.MANAGERS)
    site = contacts.site_of(session, actor)
    day = day or contacts.local_today(site, now or utcnow())
    query = (
        select(Visit, Customer, ReceptionRecord)
        .join(Customer, col(Customer.id) == Visit.customer_id)
        .outerjoin(ReceptionRecord, col(ReceptionRecord.visit_id) == Visit.id)
        .where(Visit.site_id == site.id, Visit.day == day, Visit.status != VisitStatus.INVALID)
        .order_by(col(Visit.arrived_at))
    )
    found = list(session.exec(query))
    due = _open_due(session, [c.id or 0 for _, c, _ in found])
    names = {s.id: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    groups: dict[int, list[AnalysisRow]] = {}
    for visit, customer, record in found:
        groups.setdefault(visit.assigned_id or 0, []).append(_row(visit, customer, record, due.get(customer.id or 0)))
    return [SalespersonDay(staff_id, names.get(staff_id, '—'), rows) for staff_id, rows in groups.items()]


def confirm(
    session: Session, *, actor: Staff, customer_id: int, grade: str, due_on: date | None, now: datetime | None = None
) -> Customer:
    """The manager confirms or changes the grade and sets the follow-up deadline."""
    authz.require(actor, authz.MANAGERS)
    now = now or utcnow()
    customer = contacts.customer_of(session, actor, customer_id)
    site = contacts.site_of(session, actor)
    day = followup_date(due_on, contacts.local_today(site, now))
    before = audit.snapshot(customer)
    contacts.set_grade(session, customer, grade, staff_id=actor.id, at=now)
    if day is not None and customer.follow_up:
        task = followups.schedule(
            session, customer, staff_id=customer.owner_id or actor.id or 0, due_on=day, method='', created_by=actor
        )
        task.method = task.method or '电话'
    audit.record(
        session,
        actor=actor,
        action='analysis_confirm',
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
        before=before,
        after=audit.snapshot(customer),
    )
    session.commit()
    return customer


def _open_due(session: Session, customer_ids: list[int]) -> dict[int, FollowUp]:
    if not customer_ids:
        return {}
    query = select(FollowUp).where(
        col(FollowUp.customer_id).in_(customer_ids), col(FollowUp.done_at).is_(None), col(FollowUp.cancelled).is_(False)
    )
    return {f.customer_id: f for f in session.exec(query)}


def _row(visit: Visit, customer: Customer, record: ReceptionRecord | None, task: FollowUp | None) -> AnalysisRow:
    step = f'{task.method} · {task.due_on:%m-%d}' if task else ''
    return AnalysisRow(
        visit_id=visit.id or 0,
        customer_id=customer.id or 0,
        customer=f'{customer.surname}{customer.title}',
        grade=customer.grade,
        objections=list(record.objections) if record else [],
        next_step=step,
        due_on=task.due_on if task else None,
        recorded=record is not None,
    )
