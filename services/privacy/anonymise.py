"""Anonymising a customer: personal data goes, the visits, grades and outcomes stay for the statistics."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

import db
from models import (
    AuditLog,
    Complaint,
    ComplaintStep,
    ContactLog,
    Customer,
    FollowUp,
    PhoneCall,
    ReceptionRecord,
    Site,
    Staff,
    Tour,
    TourStopVisit,
    utcnow,
)
from services import group
from services.accounts import sites
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text

ANONYMOUS = '匿名'
REASONS_MAX = 200
PERSONAL_KEYS = {'surname', 'name', 'phone', 'other_phone', 'residence', 'work_area', 'family', 'notes', 'asked'}
BATCH = 500


def anonymise_customer(session: Session, *, actor: Staff, customer_id: int, reason: str) -> Customer:
    """On the customer's request (or the manager's decision): personal data removed for good, the reason audited."""
    why = clean_text(reason, field='reason', max_length=REASONS_MAX)
    if not why:
        raise ValidationError('reason', '请填写原因（如：客户本人要求删除）')
    db.begin_write(session)  # it reads, then writes: take the write lock first
    customer = session.get(Customer, customer_id)
    if customer is None or not authz.allowed(actor, authz.MANAGERS, site_id=customer.site_id):
        raise NotFound()
    if customer.anonymised_at is None:
        _scrub(session, customer, utcnow())
    audit.record(
        session,
        actor=actor,
        action='anonymise_customer',
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
        after={'reason': why},
    )
    session.commit()
    return customer


def retention_cutoff(site: Site, now: datetime) -> datetime:
    """Customers last in contact before this are past the site's retention period."""
    years = float(sites.setting(site, 'retention_years') or 2)
    return now - timedelta(days=round(365.25 * years))


def anonymise_expired(session: Session, *, now: datetime | None = None) -> int:
    """Anonymise every customer whose last contact is older than their site's retention; how many. Once across
    processes: only the process of the group that holds the 'retention' job does it (`group.run_once`)."""
    now = now or utcnow()
    if not any(session.exec(_due(site, now).limit(1)).first() for site in session.exec(select(Site)).all()):
        return 0  # the usual case, found without taking any lock
    if not group.run_once('retention'):
        session.rollback()
        return 0
    db.begin_write(session)  # it reads, then writes: take the write lock first
    done = 0
    for site in session.exec(select(Site)).all():
        for customer in session.exec(_due(site, now).limit(BATCH)).all():
            _scrub(session, customer, now)
            audit.record(
                session,
                actor=None,
                action='anonymise_customer',
                entity='customer',
                entity_id=customer.id,
                site_id=site.id,
                after={'reason': 'retention', 'years': sites.setting(site, 'retention_years')},
            )
            done += 1
    session.commit()
    return done


def _due(site: Site, now: datetime) -> SelectOfScalar[Customer]:
    """The site's customers past its retention, not yet anonymised."""
    last = func.coalesce(Customer.last_contact_at, Customer.created_at)
    cutoff = retention_cutoff(site, now)
    return select(Customer).where(Customer.site_id == site.id, col(Customer.anonymised_at).is_(None), last < cutoff)


def _scrub(session: Session, customer: Customer, now: datetime) -> None:
    """Everything that names or reaches the person goes; what counts (visits, grade, outcome, interests) stays."""
    placeholder = f'x{customer.id or 0:010d}'[-11:]  # unique per site, never a mobile number
    customer.surname, customer.phone, customer.anonymised_at = ANONYMOUS, placeholder, now
    customer.deal_unit = ''
    session.add(customer)
    for record in session.exec(select(ReceptionRecord).where(ReceptionRecord.customer_id == customer.id)):
        record.name, record.other_phone, record.residence, record.work_area = ANONYMOUS, '', '', ''
        record.family, record.notes = '', ''
        session.add(record)
    for call in session.exec(select(PhoneCall).where(PhoneCall.customer_id == customer.id)):
        call.surname, call.phone, call.asked = ANONYMOUS, placeholder, ''
        session.add(call)
    complaints = list(session.exec(select(Complaint).where(Complaint.customer_id == customer.id)))
    for complaint in complaints:
        complaint.what_happened, complaint.wants = ANONYMOUS, ''
        session.add(complaint)
    ids = [c.id for c in complaints]
    if ids:
        for step in session.exec(select(ComplaintStep).where(col(ComplaintStep.complaint_id).in_(ids))):
            step.text = ''
            session.add(step)
    _scrub_free_text(session, customer.id or 0)
    _scrub_audit(session, customer.id or 0)


def _scrub_free_text(session: Session, customer_id: int) -> None:
    """Notes typed about the person: the timeline's summaries, follow-up results, what was said on a tour."""
    for log in session.exec(select(ContactLog).where(ContactLog.customer_id == customer_id)):
        log.summary = ''
        session.add(log)
    for follow_up in session.exec(select(FollowUp).where(FollowUp.customer_id == customer_id)):
        follow_up.result = ''
        session.add(follow_up)
    tours = select(Tour.id).where(Tour.customer_id == customer_id)
    for stop in session.exec(select(TourStopVisit).where(col(TourStopVisit.tour_id).in_(tours))):
        stop.notes = ''
        session.add(stop)


def _scrub_audit(session: Session, customer_id: int) -> None:
    """The audit keeps who did what and when; the personal values in its before/after snapshots go."""
    query = select(AuditLog).where(AuditLog.entity == 'customer', AuditLog.entity_id == customer_id)
    for row in session.exec(query):
        row.before, row.after = _without_personal(row.before), _without_personal(row.after)
        session.add(row)


def _without_personal(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {k: (ANONYMOUS if k in PERSONAL_KEYS and v else v) for k, v in snapshot.items()}
