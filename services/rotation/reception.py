"""Receiving visitors: routing each to the owner or the rotation, and each salesperson's state through the day.

Every function here takes the site's write lock first, commits, and only then emits its events.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

import db
from models import (
    Customer,
    ReceptionRecord,
    Role,
    Site,
    Staff,
    StaffState,
    Tour,
    TurnEntry,
    TurnKind,
    Visit,
    VisitStatus,
    utcnow,
)
from services import notify
from services.accounts import sites
from services.core import authz
from services.core.errors import NotFound, ValidationError
from services.core.events import VisitorAlert, emit_rotation
from services.core.validation import clean_text
from services.customers import contacts, ownership, records
from services.customers.records import RecordForm
from services.rotation import ledger, roster
from services.rotation import rules as rotation
from services.rotation.roster import Roster

SETTABLE = frozenset({StaffState.AVAILABLE, StaffState.BREAK, StaffState.MEETING, StaffState.AWAY, StaffState.OFF})
OPEN = (VisitStatus.ASSIGNED, VisitStatus.RECEIVING)


def route(
    session: Session,
    day: Roster,
    visit: Visit,
    customer: Customer,
    now: datetime,
    *,
    exclude: frozenset[int] = frozenset(),
) -> list[VisitorAlert]:
    """Give the visit to its protected owner when free (no turn used), else to a colleague on the owner's behalf
    (代接), or, for a new or lapsed customer, to the rotation; inside the caller's lock. `exclude`: who just let
    this visitor's alert go unanswered."""
    owner = ownership.protected_owner(session, customer, now)
    if owner is not None and owner not in exclude and rotation.owner_free(day.seats, owner, day.trainees):
        receiver: int | None = owner
        roster.ledger(session, day, now, staff_id=owner, kind=TurnKind.OWNER, visit_id=visit.id)  # the seat before
        seat_of(day, owner).state = StaffState.RECEIVING
        visit.by_owner = True
    elif owner is not None:
        receiver = _on_behalf(session, day, visit, owner, now, exclude)
    else:
        receiver = _by_rotation(session, day, visit, customer, now, exclude)
    if receiver is None:
        visit.status, visit.assigned_id, visit.assigned_at = VisitStatus.WAITING, None, None
        return []
    visit.assigned_id, visit.status, visit.assigned_at = receiver, VisitStatus.ASSIGNED, now
    visit.reminded_at = None
    visit.shadow_id = rotation.shadow_for(receiver, day.trainees, day.seats)
    if visit.shadow_id:
        seat_of(day, visit.shadow_id).state = StaffState.RECEIVING
    ownership.record_contact(customer, day.site, now, staff_id=owner or receiver)  # 代接 renews the owner's
    return alerts_for(session, visit, customer)


def assign_waiting(session: Session, day: Roster, now: datetime) -> list[VisitorAlert]:
    """Hand waiting visitors, oldest first, to whoever has become free. Each visitor routed takes a free (空闲)
    seat, so no more of them are read than there are free seats (none when nobody is), in arrival order from the
    index: an opening day's crowd waits in the thousands, and each end read and sorted them all, then built up to
    200 visits to route one (bench.signin --hold 1, py-spy)."""
    free = sum(seat.state == StaffState.AVAILABLE for seat in day.seats)
    if not free:
        return []
    alerts: list[VisitorAlert] = []
    waiting = session.exec(
        select(Visit)
        .where(Visit.day == day.day, Visit.site_id == day.site.id, Visit.status == VisitStatus.WAITING)
        .order_by(col(Visit.arrived_at), col(Visit.id))
        .limit(free)
    ).all()
    for visit in waiting:
        customer = session.get(Customer, visit.customer_id)
        assert customer is not None
        new = route(session, day, visit, customer, now)
        if not new:
            break
        alerts += new
    return alerts


def check_in(session: Session, *, actor: Staff, now: datetime | None = None) -> None:
    """A salesperson starts their shift: at the back of today's order, available."""
    set_state(session, actor=actor, state=StaffState.AVAILABLE, now=now)


def set_state(
    session: Session, *, actor: Staff, state: str, staff_id: int | None = None, now: datetime | None = None
) -> None:
    """Set my state (or, for a manager, a colleague's); becoming available may hand me a waiting visitor."""
    now, target = now or utcnow(), _target(session, actor, staff_id)
    if state not in SETTABLE:
        raise ValidationError('state', '不能手动设置为该状态')
    day = roster.load(session, roster.lock_site(session, target.site_id or 0), now)
    if target.id not in day.entries:
        roster.add_seat(session, day, target, now)
    elif open_visits(session, target.id or 0, day.day, site_id=None):
        raise ValidationError('state', '请先结束当前接待')
    seat = seat_of(day, target.id or 0)
    if seat.state == StaffState.OFF and state != StaffState.OFF:
        roster.ledger(session, day, now, staff_id=seat.staff_id, kind=TurnKind.REJOINED, actor_id=_by(actor, target))
        seat.position = max(s.position for s in day.seats) + 1  # back after leaving the shift: to the back
    seat.state = StaffState(state)
    commit_day(session, day, now, assign_waiting(session, day, now) if state == StaffState.AVAILABLE else [])


def acknowledge(session: Session, *, actor: Staff, visit_id: int, now: datetime | None = None) -> Visit:
    """The salesperson has seen the alert and goes to greet: time-to-greet stops."""
    db.begin_write(session)  # it reads, then writes: on SQLite a stale read could not write (busy, at once)
    visit = _own_visit(session, actor, visit_id, for_update=True)
    if visit.status == VisitStatus.ASSIGNED:
        visit.status, visit.acknowledged_at = VisitStatus.RECEIVING, now or utcnow()
        session.commit()
        emit_rotation(visit.site_id, [])
    return visit


def finish(session: Session, *, actor: Staff, visit_id: int, now: datetime | None = None) -> Visit:
    """The reception is over: the receiver (and shadow) are free again; it needs its record, and no tour still out."""
    site = roster.lock_site(session, _own_visit(session, actor, visit_id).site_id)
    visit = _own_visit(session, actor, visit_id, fresh=True)
    if session.exec(select(ReceptionRecord.id).where(ReceptionRecord.visit_id == visit_id)).first() is None:
        raise ValidationError('record', '请先填写客户信息资料表')
    return finish_recorded(session, site, visit, actor=actor, now=now)


def finish_recorded(session: Session, site: Site, visit: Visit, *, actor: Staff, now: datetime | None = None) -> Visit:
    """finish(), in a transaction that holds the site's lock, has read the visit since and written its record."""
    if session.exec(select(Tour.id).where(Tour.visit_id == visit.id, col(Tour.ended_at).is_(None))).first():
        raise ValidationError('tour', '请先结束带看')
    return _close(session, site, actor, visit, now or utcnow(), status=VisitStatus.ENDED, reason=None)


def declare_invalid(
    session: Session, *, actor: Staff, visit_id: int, reason: str, now: datetime | None = None
) -> Visit:
    """无效接待 (a delivery, someone asking the way): the receiver gets their turn back; the manager sees why."""
    why = clean_text(reason, field='reason', max_length=200, required=True)
    site = roster.lock_site(session, _own_visit(session, actor, visit_id).site_id)
    visit = _own_visit(session, actor, visit_id, fresh=True)
    return _close(session, site, actor, visit, now or utcnow(), status=VisitStatus.INVALID, reason=why)


def _close(
    session: Session, site: Site, actor: Staff, visit: Visit, now: datetime, *, status: str, reason: str | None
) -> Visit:
    """Inside the site's lock (the visit read under it): end the visit and free its people. The day's whole roster
    is read only when the turn goes back or a waiting visitor can now be routed; else the one or two seats are set
    free directly."""
    if visit.status not in OPEN:  # ended before, or by someone else while we waited for the lock
        raise ValidationError('visit', '该接待已结束')
    visit.status, visit.ended_at, visit.invalid_reason = status, now, reason
    today = roster.local_day(site, now)
    freed = [
        i
        for i in (visit.assigned_id, visit.shadow_id)
        if i and not open_visits(session, i, today, site_id=visit.site_id, but=visit)
    ]
    if status != VisitStatus.INVALID and not _anyone_waiting(session, site, today):
        roster.set_available(session, site, today, freed, now)
        session.commit()
        emit_rotation(site.id or 0, [])
        return visit
    day = roster.load(session, site, now)
    if status == VisitStatus.INVALID:
        give_turn_back(session, day, visit, now, kind=TurnKind.RETURNED_INVALID, reason=reason or '', actor=actor)
    for staff_id in freed:
        if staff_id in day.entries:
            seat_of(day, staff_id).state = StaffState.AVAILABLE
    commit_day(session, day, now, assign_waiting(session, day, now))
    return visit


def give_turn_back(
    session: Session, day: Roster, visit: Visit, now: datetime, *, kind: str, reason: str, actor: Staff
) -> None:
    """Put the receiver back where they stood before this visit, and undo the ownership it gave."""
    if visit.assigned_id is None:
        return
    if not visit.by_owner:
        taken = session.exec(
            select(TurnEntry)
            .where(TurnEntry.visit_id == visit.id, col(TurnEntry.kind).in_([TurnKind.ASSIGNED, TurnKind.MADE_UP]))
            .order_by(col(TurnEntry.id).desc())
        ).first()
        if taken and taken.position_before is not None and visit.assigned_id in day.entries:
            seat_of(day, visit.assigned_id).position = taken.position_before
            if taken.kind == TurnKind.MADE_UP and ledger.reopen_made_up(session, taken):
                seat_of(day, visit.assigned_id).kept_turns = 1  # the kept place it made up is owed again
    if visit.made_owner:
        customer = session.get(Customer, visit.customer_id)
        if customer is not None:
            customer.owner_id, customer.protected_until, visit.made_owner = None, None, False
    roster.ledger(
        session, day, now, staff_id=visit.assigned_id, kind=kind, visit_id=visit.id, reason=reason, actor_id=actor.id
    )


def _by_rotation(
    session: Session, day: Roster, visit: Visit, customer: Customer, now: datetime, exclude: frozenset[int]
) -> int | None:
    """A new (or lapsed) customer: the next in line receives and becomes the owner."""
    receiver = take_turn(session, day, visit, now, exclude=exclude)
    if receiver is not None:
        ownership.make_owner(customer, day.site, receiver, now)
        visit.made_owner = True
    return receiver


def _on_behalf(
    session: Session, day: Roster, visit: Visit, owner: int, now: datetime, exclude: frozenset[int]
) -> int | None:
    """代接: the owner is not free; the next available colleague receives, ownership stays. By the site's setting
    it uses the colleague's turn, or (the default) it does not and they keep their place."""
    if sites.setting(day.site, 'on_behalf_uses_turn'):
        receiver = take_turn(session, day, visit, now, exclude=exclude | {owner}, reason='on_behalf')
    else:
        receiver = rotation.choose(day.seats, exclude=exclude | {owner}).receiver
        if receiver is not None:
            roster.ledger(session, day, now, staff_id=receiver, kind=TurnKind.ON_BEHALF, visit_id=visit.id)
            seat_of(day, receiver).state = StaffState.RECEIVING
    if receiver is not None:
        visit.on_behalf_of_id = owner
    return receiver


def take_turn(
    session: Session,
    day: Roster,
    visit: Visit,
    now: datetime,
    *,
    exclude: frozenset[int] = frozenset(),
    reason: str = '',
) -> int | None:
    """The next in line takes this visitor as their turn: the skips, the turn and a make-up go in the ledger."""
    decision = rotation.choose(day.seats, exclude=exclude)
    if decision.receiver is None:
        return None
    ledger.record_skips(session, day, decision.skips, visit_id=visit.id, now=now)
    kind = TurnKind.MADE_UP if decision.make_up else TurnKind.ASSIGNED
    entry = roster.ledger(session, day, now, staff_id=decision.receiver, kind=kind, visit_id=visit.id, reason=reason)
    if decision.make_up:
        ledger.close_open(session, day, decision.receiver, entry, now)
    rotation.apply(day.seats, decision)
    return decision.receiver


def alerts_for(session: Session, visit: Visit, customer: Customer) -> list[VisitorAlert]:
    behalf = session.get(Staff, visit.on_behalf_of_id) if visit.on_behalf_of_id else None
    receivers = [(visit.assigned_id or 0, False)] + ([(visit.shadow_id, True)] if visit.shadow_id else [])
    return [
        VisitorAlert(
            site_id=visit.site_id,
            visit_id=visit.id or 0,
            staff_id=staff_id,
            shadow=shadow,
            customer=f'{customer.surname}{customer.title}',
            party_size=visit.party_size,
            returning=visit.returning_customer,
            by_owner=visit.by_owner,
            on_behalf_of=behalf.name if behalf else None,
            typed_as=name_mismatch(visit, customer),
            owner_id=visit.on_behalf_of_id,
            arrived_at=visit.arrived_at.timestamp(),
        )
        for staff_id, shadow in receivers
    ]


def name_mismatch(visit: Visit, customer: Customer) -> str | None:
    """The name a visitor typed for a known phone when it is not the customer's: staff confirm who came."""
    typed = visit.signed_as
    return typed if typed and visit.returning_customer and typed != f'{customer.surname}{customer.title}' else None


def commit_day(session: Session, day: Roster, now: datetime, alerts: list[VisitorAlert]) -> None:
    roster.save(session, day, now)
    notify.enqueue_visitor_alerts(session, alerts, now=now)  # the outbox row commits with the assignment
    session.commit()
    emit_rotation(day.site.id or 0, alerts)


def seat_of(day: Roster, staff_id: int) -> rotation.Seat:
    return next(s for s in day.seats if s.staff_id == staff_id)


def open_visits(session: Session, staff_id: int, day: date, *, site_id: int | None, but: Visit | None = None) -> bool:
    """Whether the person receives (or shadows) a visit of the day still open, other than `but`: at the site whose
    seat an end frees (read from the index on day, site and status: without the site, every end read every visit
    of the day of every site, bench.signin --hold 1, EXPLAIN QUERY PLAN: 'day=?' alone), or at any site (None:
    someone moved to another site mid-visit ends that visit before taking a state at the new one)."""
    mine = (Visit.assigned_id == staff_id) | (Visit.shadow_id == staff_id)
    query = select(Visit.id).where(mine, Visit.day == day, col(Visit.status).in_(OPEN))
    if site_id is not None:
        query = query.where(Visit.site_id == site_id)
    if but is not None:
        query = query.where(Visit.id != but.id)
    return session.exec(query).first() is not None


def _anyone_waiting(session: Session, site: Site, day: date) -> bool:
    query = select(Visit.id).where(Visit.site_id == site.id, Visit.day == day, Visit.status == VisitStatus.WAITING)
    return session.exec(query.limit(1)).first() is not None


def _by(actor: Staff, target: Staff) -> int | None:
    return actor.id if actor.id != target.id else None


def _target(session: Session, actor: Staff, staff_id: int | None) -> Staff:
    if staff_id is None or staff_id == actor.id:
        return authz.require(actor, frozenset({Role.SALESPERSON, Role.MANAGER}))
    target = session.get(Staff, staff_id)
    if target is None or not authz.allowed(actor, authz.MANAGERS, site_id=target.site_id):
        raise NotFound()
    return target


def _own_visit(
    session: Session, actor: Staff, visit_id: int, *, for_update: bool = False, fresh: bool = False
) -> Visit:
    """A visit the actor received (or shadows), or any visit of their site for a manager; `fresh`: read again."""
    visit = session.get(Visit, visit_id, with_for_update=for_update, populate_existing=for_update or fresh)
    if visit is None or not authz.allowed(actor, site_id=visit.site_id):
        raise NotFound()
    if actor.id not in (visit.assigned_id, visit.shadow_id) and actor.role == Role.SALESPERSON:
        raise NotFound()
    return visit


def pending_alerts(session: Session, *, actor: Staff) -> list[VisitorAlert]:
    """Visitors assigned to the actor (or shadowed) and not yet acknowledged: shown again after a reload."""
    query = select(Visit).where(
        Visit.status == VisitStatus.ASSIGNED, (Visit.assigned_id == actor.id) | (Visit.shadow_id == actor.id)
    )
    alerts = []
    for visit in session.exec(query.order_by(col(Visit.arrived_at))):
        customer = session.get(Customer, visit.customer_id)
        assert customer is not None
        alerts += [a for a in alerts_for(session, visit, customer) if a.staff_id == actor.id]
    return alerts


def save_and_finish(
    session: Session, *, actor: Staff, visit_id: int, form: RecordForm, now: datetime | None = None
) -> Visit:
    """结束接待: the record is written and the reception ends in one tap and one transaction: a refused end (a tour
    still out) keeps nothing of it, no half-done save the salesperson did not ask for."""
    now = now or utcnow()
    authz.require(actor, contacts.ON_SITE)
    session.expire_all()  # whatever this session read before is read again under the lock
    site = roster.lock_site(session, actor.site_id or 0)  # the record finds only visits of the actor's site
    with session.no_autoflush:  # nothing read below depends on what is written: one flush, at the commit
        visit = records.write_locked(session, actor=actor, visit_id=visit_id, site=site, form=form, now=now)
        return finish_recorded(session, site, visit, actor=actor, now=now)
