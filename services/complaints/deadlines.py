"""Complaint deadlines: the site's times per severity, and escalating the overdue to the group admin."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, or_, select

from db import begin_write, end_read
from models import Complaint, Site, Staff, utcnow
from services.accounts import sites
from services.complaints import rules
from services.complaints.alerts import alert_managers
from services.complaints.handling import record_step
from services.core import authz, events
from services.core.errors import ValidationError
from services.customers import contacts


def escalate_overdue(session: Session, *, now: datetime | None = None) -> set[int]:
    """Overdue complaints of every site go up to the group admin, once per deadline; the sites changed."""
    now = now or utcnow()
    late = [  # a read first: most minutes nothing is late, and the sweep then takes no write lock at all
        complaint_id
        for complaint_id, status, acknowledge_due_at, resolve_due_at in session.exec(
            select(Complaint.id, Complaint.status, Complaint.acknowledge_due_at, Complaint.resolve_due_at).where(
                col(Complaint.status).in_(rules.OPEN),
                or_(col(Complaint.acknowledge_escalated_at).is_(None), col(Complaint.resolve_escalated_at).is_(None)),
            )
        )
        if rules.clock(
            status=status, acknowledge_due_at=acknowledge_due_at, resolve_due_at=resolve_due_at, now=now
        ).overdue
    ]
    if not late:
        end_read(session)
        return set()
    begin_write(session)
    query = select(Complaint).where(col(Complaint.id).in_(late), col(Complaint.status).in_(rules.OPEN))
    sites: set[int] = set()
    for complaint in session.exec(query.with_for_update()):
        clock = rules.clock(
            status=complaint.status,
            acknowledge_due_at=complaint.acknowledge_due_at,
            resolve_due_at=complaint.resolve_due_at,
            now=now,
        )
        if not clock.overdue:
            continue
        if clock.what == 'acknowledge' and complaint.acknowledge_escalated_at is None:
            complaint.acknowledge_escalated_at, text = now, '逾期未受理，已上报集团'
        elif clock.what == 'resolve' and complaint.resolve_escalated_at is None:
            complaint.resolve_escalated_at, text = now, '逾期未解决，已上报集团'
        else:
            continue
        record_step(session, complaint, None, 'escalate', complaint.status, text, now)
        alert_managers(session, complaint, clock.what, now)  # committed with the escalation
        sites.add(complaint.site_id)
    session.commit()
    for site_id in sites:
        events.emit(events.complaint_changed, site_id)
    return sites


def set_deadlines(session: Session, *, actor: Staff, table: dict[str, list[int]]) -> Site:
    """The manager's times to acknowledge and to resolve, in minutes, per severity."""
    authz.require(actor, authz.MANAGERS)
    site = contacts.site_of(session, actor)
    try:
        clean = rules.check_deadlines(table)
    except (KeyError, TypeError, ValueError) as e:
        raise ValidationError('deadlines', '受理时限须短于解决时限，且不超过 30 天') from e
    return sites.change_setting(
        session, actor=actor, site=site, key='complaint_deadlines', value=clean, action='set_complaint_deadlines'
    )
