"""Taking a complaint in from any staff phone, for a visit or a call: the customer, what happened, photos."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import begin_write
from models import Complaint, Customer, Site, Staff, Visit, utcnow
from services.complaints import rules
from services.complaints.alerts import alert_managers
from services.complaints.handling import record_step
from services.core import audit, events
from services.core.errors import ValidationError
from services.core.validation import clean_text, normalise_phone
from services.customers import contacts
from services.photos import store as photo_store


@dataclass
class ComplaintForm:
    channel: str
    category: str
    severity: str
    what_happened: str
    wants: str = ''
    customer_id: int | None = None  # a customer found by phone or name; else the next three make or find one
    surname: str = ''
    title: str = ''
    phone: str = ''
    against_staff_id: int | None = None
    photo_ids: list[int] = field(default_factory=list)  # photos taken on the form before it was sent
    request_key: str | None = None  # the form's own key: sending it twice files one complaint


def file(session: Session, *, actor: Staff, form: ComplaintForm, now: datetime | None = None) -> Complaint:
    """Take a complaint in, for a visit or a call; the site's managers are alerted at once (after commit)."""
    now = now or utcnow()
    site = contacts.site_of(session, actor)
    key = clean_text(form.request_key, field='request_key', max_length=40) or None
    begin_write(session)  # SQLite: a second tap waits here, then finds the first one's complaint
    done = _already(session, actor, key)
    if done is not None:
        return done
    complaint = _checked(session, actor, site, form, now)
    complaint.request_key = key
    try:
        complaint.customer_id = _customer(session, actor, site, form).id or 0
        complaint.visit_id = _todays_visit(session, complaint) if complaint.channel == '来访' else None
        session.add(complaint)
        session.flush()
        _attach_photos(session, actor, complaint, form.photo_ids)
        record_step(session, complaint, actor, 'file', '', complaint.what_happened, now)
        audit.record(
            session, actor=actor, action='file_complaint', entity='complaint', entity_id=complaint.id, site_id=site.id
        )
        alert_managers(session, complaint, 'new', now)  # the managers' phones, committed with the complaint
        session.commit()
    except IntegrityError:  # PostgreSQL: the same form sent twice at once; the first one stands
        session.rollback()
        done = _already(session, actor, key)
        if done is None:
            raise
        return done
    events.emit(events.complaint_changed, site.id or 0)
    return complaint


def _already(session: Session, actor: Staff, key: str | None) -> Complaint | None:
    """The complaint this same form already filed (a double tap, a resend after a lost answer)."""
    if key is None:
        return None
    done = session.exec(select(Complaint).where(Complaint.request_key == key)).first()
    return done if done is not None and done.taken_by_id == actor.id else None


def _checked(session: Session, actor: Staff, site: Site, form: ComplaintForm, now: datetime) -> Complaint:
    if form.channel not in rules.CHANNELS:
        raise ValidationError('channel', '请选择投诉渠道')
    if form.category not in rules.CATEGORIES:
        raise ValidationError('category', '请选择投诉类别')
    if form.severity not in rules.SEVERITIES:
        raise ValidationError('severity', '请选择严重程度')
    what = clean_text(form.what_happened, field='what_happened', max_length=2000, required=True)
    wants = clean_text(form.wants, field='wants', max_length=1000)
    if form.against_staff_id is not None:
        against = session.get(Staff, form.against_staff_id)
        if against is None or against.site_id != site.id:
            raise ValidationError('against', '请从本项目员工中选择')
    to_acknowledge, to_resolve = rules.deadlines(site.settings, form.severity)
    return Complaint(
        site_id=site.id or 0,
        customer_id=0,
        channel=form.channel,
        category=form.category,
        severity=form.severity,
        what_happened=what,
        wants=wants,
        against_staff_id=form.against_staff_id,
        taken_by_id=actor.id or 0,
        created_at=now,
        acknowledge_due_at=now + to_acknowledge,
        resolve_due_at=now + to_resolve,
    )


def _todays_visit(session: Session, complaint: Complaint) -> int | None:
    """A complaint made in person links to the customer's visit of the last 12 hours, if they signed in."""
    query = select(Visit.id).where(
        Visit.customer_id == complaint.customer_id, Visit.arrived_at >= complaint.created_at - timedelta(hours=12)
    )
    return session.exec(query.order_by(col(Visit.arrived_at).desc())).first()


def _customer(session: Session, actor: Staff, site: Site, form: ComplaintForm) -> Customer:
    """The customer picked on the form, or the one with this phone number, or a new one (in the shared pool)."""
    if form.customer_id is not None:
        return contacts.customer_of(session, actor, form.customer_id)
    phone = normalise_phone(form.phone)
    found = session.exec(select(Customer).where(Customer.site_id == site.id, Customer.phone == phone)).first()
    if found is not None:
        return session.get(Customer, found.merged_into_id) or found if found.merged_into_id else found
    surname = clean_text(form.surname, field='surname', max_length=20, required=True)
    if form.title not in ('先生', '女士'):
        raise ValidationError('title', '请选择先生或女士')
    customer = Customer(site_id=site.id or 0, surname=surname, title=form.title, phone=phone, channel='投诉')
    session.add(customer)
    session.flush()
    return customer


def _attach_photos(session: Session, actor: Staff, complaint: Complaint, photo_ids: list[int]) -> None:
    """The photos this person took on the form (not yet proving anything else) now prove this complaint."""
    for photo in photo_store.claim(session, actor=actor, site_id=complaint.site_id, photo_ids=photo_ids):
        photo.complaint_id = complaint.id


def staff_choices(session: Session, *, actor: Staff) -> dict[int, str]:
    """Whom a complaint can be about: the active staff of the actor's site."""
    site = contacts.site_of(session, actor)
    query = select(Staff).where(Staff.site_id == site.id, col(Staff.active).is_(True)).order_by(col(Staff.id))
    return {s.id or 0: s.name for s in session.exec(query)}
