"""An alert nobody answers: reminded at the site's reminder time, then passed to the next free colleague; the one
who did not answer goes to the back with a ledger line (未响应) and the manager is told. Time-to-greet still counts
from the visitor's sign-in (the visit's arrival does not move)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

import db
from models import Customer, Site, Staff, StaffState, TurnKind, Visit, VisitStatus
from services import notify
from services.accounts import sites
from services.core import events
from services.core.errors import NotFound
from services.core.events import Unanswered, VisitorAlert
from services.core.i18n import t
from services.rotation import ledger, roster
from services.rotation import rules as rotation
from services.rotation.reception import alerts_for, commit_day, open_visits, route, seat_of

UNANSWERED = '未响应'
UNANSWERED_KIND = 'unanswered'


def sweep(session: Session, *, now: datetime) -> None:
    """For every site with an alert still unanswered: remind, and pass on those past the site's time."""
    for site_id in sites_with_alerts(session):
        sweep_site(session, site_id=site_id, now=now)


def sites_with_alerts(session: Session) -> list[int]:
    """The sites with a visitor assigned and not yet greeted (a read: nothing locked)."""
    site_ids = session.exec(select(Visit.site_id).where(Visit.status == VisitStatus.ASSIGNED).distinct()).all()
    db.end_read(session)
    return list(site_ids)


def sweep_site(session: Session, *, site_id: int, now: datetime) -> None:
    """One site's step of the sweep: remind, then pass on those past the site's time (each under the site's lock)."""
    try:
        remind(session, site_id=site_id, now=now)
        pass_unanswered(session, site_id=site_id, now=now)
    except NotFound:  # the site is gone
        session.rollback()


def remind(session: Session, *, site_id: int, now: datetime) -> list[VisitorAlert]:
    """The alerts due a reminder (the site's greet_reminder_s after assignment, once): sent again to the phones.

    Under the site's lock, as every rotation write: read first and written after, on SQLite the write failed at once
    (database is locked) whenever a sign-in had committed in between — 9 of them in a minute of bench.signin
    --clients 500 --sites 25, each reminder lost."""
    site = roster.lock_site(session, site_id)
    due = _assigned_before(session, site, now - timedelta(seconds=int(sites.setting(site, 'greet_reminder_s'))))
    alerts: list[VisitorAlert] = []
    for visit in (v for v in due if v.reminded_at is None):
        visit.reminded_at = now
        customer = session.get(Customer, visit.customer_id)
        assert customer is not None
        alerts += [_as_reminder(a) for a in alerts_for(session, visit, customer)]
    if alerts:
        notify.enqueue_visitor_alerts(session, alerts, now=now)  # the person's channels again, with the reminder
        session.commit()
        for alert in alerts:
            events.emit(events.visitor_assigned, alert)
    else:
        session.rollback()
    return alerts


def pass_unanswered(session: Session, *, site_id: int, now: datetime) -> list[Unanswered]:
    """Visitors whose alert went unanswered for the site's greet_timeout_s pass to the next free colleague; with
    nobody else free, the alert stays where it is (a visitor is never left waiting while someone could greet them)."""
    site = roster.lock_site(session, site_id)
    late = _assigned_before(session, site, now - timedelta(seconds=int(sites.setting(site, 'greet_timeout_s'))))
    if not late:
        session.rollback()
        return []
    day = roster.load(session, site, now)
    told: list[Unanswered] = []
    alerts: list[VisitorAlert] = []
    for visit in late:
        missed = visit.assigned_id or 0
        if rotation.choose(day.seats, exclude={missed}).receiver is None:
            continue
        alerts += _pass_on(session, day, visit, missed, now)
        told.append(_told(session, visit, missed))
    for event in told:  # the managers' phones, committed with the passing on
        notify.enqueue_for(
            session,
            site_id=event.site_id,
            staff_ids=notify.site_managers(session, event.site_id),
            kind=UNANSWERED_KIND,
            key=f'unanswered:{event.visit_id}:{event.missed_id}',
            text=unanswered_text(event),
            url='/rotation/manage',
            now=now,
        )
    commit_day(session, day, now, alerts)
    for event in told:
        events.emit(events.visitor_unanswered, event)
    return told


def _pass_on(session: Session, day: roster.Roster, visit: Visit, missed: int, now: datetime) -> list[VisitorAlert]:
    """The one who did not answer: a ledger line, to the back, free; their ownership of a new customer undone."""
    entry = roster.ledger(
        session, day, now, staff_id=missed, kind=TurnKind.UNANSWERED, visit_id=visit.id, reason=UNANSWERED
    )
    for line in ledger.open_entries(session, day, {missed}).values():
        if line.kind == TurnKind.SKIPPED_KEPT:  # to the back: a place kept meanwhile is lost with it
            ledger.close(session, line, entry, now)
    customer = session.get(Customer, visit.customer_id)
    assert customer is not None
    if visit.made_owner:
        customer.owner_id, customer.protected_until, visit.made_owner = None, None, False
    for person in (missed, visit.shadow_id):
        if (
            person
            and person in day.entries
            and not open_visits(session, person, day.day, site_id=visit.site_id, but=visit)
        ):
            seat_of(day, person).state = StaffState.AVAILABLE
    if missed in day.entries:
        seat = seat_of(day, missed)
        seat.position, seat.kept_turns = max(s.position for s in day.seats) + 1, 0
    visit.by_owner, visit.on_behalf_of_id, visit.shadow_id = False, None, None
    return route(session, day, visit, customer, now, exclude=frozenset({missed}))


def _told(session: Session, visit: Visit, missed: int) -> Unanswered:
    names = {s.id: s.name for s in session.exec(select(Staff).where(col(Staff.id).in_([missed, visit.assigned_id])))}
    customer = session.get(Customer, visit.customer_id)
    return Unanswered(
        site_id=visit.site_id,
        visit_id=visit.id or 0,
        customer=f'{customer.surname}{customer.title}' if customer else '',
        missed_id=missed,
        missed=names.get(missed, ''),
        now_with=names.get(visit.assigned_id) if visit.assigned_id else None,
    )


def unanswered_text(event: Unanswered) -> str:
    """Short, no phone number: who missed whom, and who has the visitor now."""
    return t(
        '未响应：{missed}未接待{customer}，已转给{now_with}',
        missed=event.missed,
        customer=event.customer,
        now_with=event.now_with or '',
    )


def _assigned_before(session: Session, site: Site, before: datetime) -> list[Visit]:
    query = select(Visit).where(
        Visit.site_id == site.id,
        Visit.status == VisitStatus.ASSIGNED,
        col(Visit.assigned_at) <= before,
    )
    return list(session.exec(query.order_by(col(Visit.arrived_at))))


def _as_reminder(alert: VisitorAlert) -> VisitorAlert:
    return VisitorAlert(**{**alert.__dict__, 'reminder': True})
