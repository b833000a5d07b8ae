"""Complaint deadlines: the site's times per severity, and escalating the overdue to the group admin."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models import Complaint, Site, Staff, utcnow

from . import audit, authz, contacts, events
from . import complaint_rules as rules
from .complaints import record_step
from .errors import ValidationError


def escalate_overdue(session: Session, *, now: datetime | None = None) -> set[int]:
    """Overdue complaints of every site go up to the group admin, once per deadline; the sites changed."""
    now = now or utcnow()
    query = select(Complaint).where(col(Complaint.status).in_(rules.OPEN)).with_for_update()
    sites: set[int] = set()
    for complaint in session.exec(query):
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
    before = dict(site.settings)
    site.settings = {**site.settings, 'complaint_deadlines': clean}
    audit.record(
        session,
        actor=actor,
        action='set_complaint_deadlines',
        entity='site',
        entity_id=site.id,
        site_id=site.id,
        before=before,
        after=site.settings,
    )
    session.commit()
    events.emit(events.site_changed, site.id or 0)
    return site
