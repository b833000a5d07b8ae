"""The stored records of one site and period, read in a few plain-column queries for the reports to count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, func, select

from models import (
    Checklist,
    Complaint,
    ContactKind,
    ContactLog,
    Customer,
    DisciplineRecord,
    FollowUp,
    PhoneCall,
    ReceptionRecord,
    Site,
    Staff,
    Visit,
    VisitStatus,
)

from .period import Period


@dataclass(frozen=True)
class VisitFact:
    id: int
    day: date
    arrived_at: datetime
    assigned_at: datetime | None
    acknowledged_at: datetime | None
    returning: bool
    status: str
    staff_id: int | None
    customer_id: int
    channel: str


@dataclass
class Facts:
    site: Site
    period: Period
    names: dict[int, str]
    visits: list[VisitFact] = field(default_factory=list)  # invalid ones left out
    invalid: int = 0
    records: list[ReceptionRecord] = field(default_factory=list)  # of the period's visits
    calls: list[tuple[datetime, str, int | None]] = field(default_factory=list)  # at, channel, customer
    deals: list[Customer] = field(default_factory=list)
    lost: list[Customer] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)  # due in the period, not cancelled
    complaints: list[Complaint] = field(default_factory=list)
    checklists: list[Checklist] = field(default_factory=list)
    discipline: list[tuple[int, str]] = field(default_factory=list)  # staff, rule


def load(session: Session, site: Site, p: Period) -> Facts:
    """Everything the monthly report counts for `site` in `p`."""
    names = {s.id or 0: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    facts = Facts(site, p, names)
    rows = session.execute(
        select_columns(
            col(Visit.id),
            col(Visit.day),
            col(Visit.arrived_at),
            col(Visit.assigned_at),
            col(Visit.acknowledged_at),
            col(Visit.returning_customer),
            col(Visit.status),
            col(Visit.assigned_id),
            col(Visit.customer_id),
            col(Customer.channel),
        )
        .join(Customer, col(Customer.id) == Visit.customer_id)
        .where(col(Visit.site_id) == site.id, col(Visit.day) >= p.first, col(Visit.day) <= p.last)
    )
    for row in rows:
        if row[6] == VisitStatus.INVALID:
            facts.invalid += 1
        else:
            facts.visits.append(VisitFact(*row))
    facts.records = list(
        session.exec(
            select(ReceptionRecord)
            .join(Visit, col(Visit.id) == ReceptionRecord.visit_id)
            .where(Visit.site_id == site.id, Visit.day >= p.first, Visit.day <= p.last)
        )
    )
    facts.calls = list(
        session.exec(
            select(PhoneCall.at, PhoneCall.channel, PhoneCall.customer_id).where(
                PhoneCall.site_id == site.id, PhoneCall.at >= p.start, PhoneCall.at < p.end
            )
        )
    )
    outcomes = select(Customer).where(
        Customer.site_id == site.id,
        col(Customer.outcome_on) >= p.first,
        col(Customer.outcome_on) <= p.last,
    )
    for customer in session.exec(outcomes):
        (facts.deals if customer.outcome == 'deal' else facts.lost if customer.outcome == 'lost' else []).append(
            customer
        )
    facts.followups = list(
        session.exec(
            select(FollowUp).where(
                FollowUp.site_id == site.id,
                FollowUp.due_on >= p.first,
                FollowUp.due_on <= p.last,
                col(FollowUp.cancelled).is_(False),
            )
        )
    )
    facts.complaints = list(
        session.exec(
            select(Complaint).where(
                Complaint.site_id == site.id, Complaint.created_at >= p.start, Complaint.created_at < p.end
            )
        )
    )
    facts.checklists = list(
        session.exec(
            select(Checklist).where(Checklist.site_id == site.id, Checklist.day >= p.first, Checklist.day <= p.last)
        )
    )
    facts.discipline = list(
        session.exec(
            select(DisciplineRecord.staff_id, DisciplineRecord.rule).where(
                DisciplineRecord.site_id == site.id, DisciplineRecord.at >= p.start, DisciplineRecord.at < p.end
            )
        )
    )
    return facts


def deal_paths(session: Session, deals: list[Customer]) -> dict[int, tuple[date | None, int, ReceptionRecord | None]]:
    """Per dealt customer: the first visit's day, the visits up to the deal, and the last reception record."""
    ids = [c.id or 0 for c in deals]
    if not ids:
        return {}
    visits: dict[int, list[date]] = {}
    query = select(col(Visit.customer_id), col(Visit.day)).where(
        col(Visit.customer_id).in_(ids), Visit.status != VisitStatus.INVALID
    )
    for customer_id, day in session.exec(query):
        visits.setdefault(customer_id, []).append(day)
    records: dict[int, ReceptionRecord] = {}
    for record in session.exec(
        select(ReceptionRecord).where(col(ReceptionRecord.customer_id).in_(ids)).order_by(col(ReceptionRecord.id))
    ):
        records[record.customer_id] = record
    out = {}
    for c in deals:
        days = [d for d in visits.get(c.id or 0, []) if c.outcome_on is None or d <= c.outcome_on]
        out[c.id or 0] = (min(days) if days else None, len(days), records.get(c.id or 0))
    return out


def grades_at(session: Session, site: Site, moment: datetime) -> dict[int, str]:
    """Each customer's intent grade as it stood at `moment` (from the grade lines of the timeline)."""
    query = (
        select(ContactLog.customer_id, ContactLog.grade)
        .where(ContactLog.site_id == site.id, ContactLog.kind == ContactKind.GRADE, ContactLog.at < moment)
        .order_by(col(ContactLog.at), col(ContactLog.id))
    )
    return {customer_id: grade or '' for customer_id, grade in session.exec(query)}


def closed_by(session: Session, site: Site, day: date) -> set[int]:
    """Customers with a deal or a no-deal on or before `day`: no longer in the grade stock."""
    query = select(Customer.id).where(
        Customer.site_id == site.id,
        col(Customer.outcome).in_(('deal', 'lost')),
        col(Customer.outcome_on) <= day,
    )
    return {i or 0 for i in session.exec(query)}


def summary_counts(session: Session, site: Site, p: Period) -> dict[str, Any]:
    """The summary's figures alone (for last month beside this one)."""
    visits = select(Visit.returning_customer, Visit.status, func.count()).where(
        Visit.site_id == site.id, Visit.day >= p.first, Visit.day <= p.last, Visit.status != VisitStatus.INVALID
    )
    new = returning = valid = 0
    for is_returning, status, n in session.exec(visits.group_by(col(Visit.returning_customer), col(Visit.status))):
        returning += n if is_returning else 0
        new += 0 if is_returning else n
        valid += n if status == VisitStatus.ENDED else 0
    calls = session.exec(
        select(func.count()).where(PhoneCall.site_id == site.id, PhoneCall.at >= p.start, PhoneCall.at < p.end)
    ).one()
    deals = session.exec(
        select(func.count(), func.coalesce(func.sum(Customer.deal_amount_wan), 0)).where(
            Customer.site_id == site.id,
            Customer.outcome == 'deal',
            col(Customer.outcome_on) >= p.first,
            col(Customer.outcome_on) <= p.last,
        )
    ).one()
    return {
        'calls': calls,
        'new': new,
        'returning': returning,
        'valid': valid,
        'deals': deals[0],
        'amount': round(float(deals[1] or 0), 1),
    }
