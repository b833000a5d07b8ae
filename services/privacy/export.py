"""One customer's personal data, everything the app holds about them, as a file for the customer (PIPL art. 45)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, SQLModel, col, select

import db
from models import (
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
    Visit,
    utcnow,
)
from services.core import audit, authz
from services.core.errors import NotFound

CUSTOMER_FIELDS = (
    'surname',
    'title',
    'phone',
    'channel',
    'interests',
    'consent_at',
    'consent_version',
    'last_contact_at',
    'created_at',
    'grade',
    'outcome',
    'outcome_on',
    'deal_unit',
    'deal_amount_wan',
    'lost_reason',
    'anonymised_at',
)
STAFF_ONLY = {'site_id', 'customer_id', 'request_key', 'version', 'token_hash'}  # bookkeeping, not about the person


def customer_for_manager(session: Session, *, actor: Staff, customer_id: int) -> Customer:
    """The customer, if `actor` manages their site (the group admin: any site); NotFound otherwise."""
    customer = session.get(Customer, customer_id)
    if customer is None or not authz.allowed(actor, authz.MANAGERS, site_id=customer.site_id):
        raise NotFound()
    return customer


def export_customer(session: Session, *, actor: Staff, customer_id: int) -> dict[str, Any]:
    """The customer's data: their details, visits, reception records, contacts, follow-ups, calls, complaints,
    tours; the export is audited."""
    db.begin_write(session)  # it reads, then writes its audit entry: take the write lock first
    customer = customer_for_manager(session, actor=actor, customer_id=customer_id)
    site = session.get(Site, customer.site_id)
    ids = [customer.id or 0, *_merged_into(session, customer)]
    complaints = _rows(session, Complaint, col(Complaint.customer_id).in_(ids))
    tours = _rows(session, Tour, col(Tour.customer_id).in_(ids))
    data = {
        'exported_at': utcnow().isoformat(),
        'site': site.name if site else '',
        'customer': {k: _value(getattr(customer, k)) for k in CUSTOMER_FIELDS},
        'visits': _dump(_rows(session, Visit, col(Visit.customer_id).in_(ids))),
        'reception_records': _dump(_rows(session, ReceptionRecord, col(ReceptionRecord.customer_id).in_(ids))),
        'contacts': _dump(_rows(session, ContactLog, col(ContactLog.customer_id).in_(ids))),
        'follow_ups': _dump(_rows(session, FollowUp, col(FollowUp.customer_id).in_(ids))),
        'calls': _dump(_rows(session, PhoneCall, col(PhoneCall.customer_id).in_(ids))),
        'complaints': _dump(complaints),
        'complaint_steps': _dump(
            _rows(session, ComplaintStep, col(ComplaintStep.complaint_id).in_([c.id for c in complaints]))
        ),
        'tours': _dump(tours),
        'tour_stops': _dump(_rows(session, TourStopVisit, col(TourStopVisit.tour_id).in_([t.id for t in tours]))),
    }
    audit.record(
        session,
        actor=actor,
        action='export_customer',
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
    )
    session.commit()
    return data


def export_json(data: dict[str, Any]) -> bytes:
    """The export as a UTF-8 JSON file, readable by a person (Chinese as itself, indented)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode('utf-8')


def _merged_into(session: Session, customer: Customer) -> list[int]:
    """Customer rows merged into this one (the same person found twice): their data is theirs too."""
    query = select(Customer.id).where(Customer.merged_into_id == customer.id)
    return [i for i in session.exec(query) if i is not None]


def _rows(session: Session, model: type[SQLModel], condition: Any) -> list[Any]:
    return list(session.exec(select(model).where(condition).order_by(col(model.id))))  # type: ignore[attr-defined]


def _dump(rows: list[SQLModel]) -> list[dict[str, Any]]:
    return [{k: _value(v) for k, v in row.model_dump().items() if k not in STAFF_ONLY} for row in rows]


def _value(value: Any) -> Any:
    if hasattr(value, 'isoformat'):
        return value.isoformat()
    return value
