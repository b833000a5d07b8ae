"""The manager's overrides of the rotation: reorder, move to the back, assign, undo — every one in the ledger."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import Customer, Staff, StaffState, TurnEntry, TurnKind, Visit, VisitStatus, utcnow
from services.accounts import sites
from services.core import authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text
from services.customers import ownership
from services.rotation import ledger, roster, rules
from services.rotation.reception import OPEN, alerts_for, commit_day, give_turn_back, seat_of

UNDO_WINDOW = timedelta(minutes=2)


def reorder(session: Session, *, actor: Staff, staff_ids: list[int], now: datetime | None = None) -> None:
    """Set today's order; people not named keep their relative order behind those named."""
    now = now or utcnow()
    day = _locked_day(session, actor, now)
    named = [i for i in dict.fromkeys(staff_ids) if i in day.entries]
    rest = [s.staff_id for s in sorted(day.seats, key=lambda s: s.position) if s.staff_id not in named]
    for position, staff_id in enumerate(named + rest, start=1):
        seat = seat_of(day, staff_id)
        if seat.position != position:
            roster.ledger(
                session, day, now, staff_id=staff_id, kind=TurnKind.MOVED, reason='reorder', actor_id=actor.id
            )
            seat.position = position
    commit_day(session, day, now, [])


def move_to_back(session: Session, *, actor: Staff, staff_id: int, reason: str, now: datetime | None = None) -> None:
    """Skip someone: they go to the back of the order."""
    now, why = now or utcnow(), clean_text(reason, field='reason', max_length=200, required=True)
    day = _locked_day(session, actor, now)
    if staff_id not in day.entries:
        raise NotFound()
    roster.ledger(session, day, now, staff_id=staff_id, kind=TurnKind.MOVED, reason=why, actor_id=actor.id)
    seat_of(day, staff_id).position = max(s.position for s in day.seats) + 1
    commit_day(session, day, now, [])


def assign_to(session: Session, *, actor: Staff, visit_id: int, staff_id: int, now: datetime | None = None) -> None:
    """Give a waiting visitor to a chosen free salesperson, by the routing's rules: their own protected customer uses
    no turn; someone else's is 代接 (ownership stays); a new or lapsed customer is their turn and theirs to own."""
    now = now or utcnow()
    day = _locked_day(session, actor, now)
    visit = session.get(Visit, visit_id, populate_existing=True)
    if visit is None or visit.site_id != day.site.id or visit.status != VisitStatus.WAITING:
        raise ValidationError('visit', '只能指派等待中的客户')
    if staff_id not in day.entries or staff_id in day.trainees:
        raise ValidationError('staff', '请选择今天在岗的置业顾问')
    seat = seat_of(day, staff_id)
    if seat.state != StaffState.AVAILABLE:
        raise ValidationError('staff', '该置业顾问现在不空闲：一人不能同时接待两组客户')
    customer = session.get(Customer, visit.customer_id)
    assert customer is not None
    owner = ownership.protected_owner(session, customer, now)
    uses_turn = owner is None or (owner != staff_id and sites.setting(day.site, 'on_behalf_uses_turn'))
    kind = TurnKind.ASSIGNED if uses_turn else TurnKind.OWNER if owner == staff_id else TurnKind.ON_BEHALF
    entry = roster.ledger(
        session, day, now, staff_id=staff_id, kind=kind, visit_id=visit.id, reason='manager', actor_id=actor.id
    )
    if uses_turn and seat.kept_turns:
        ledger.close_open(session, day, staff_id, entry, now)
        seat.position, seat.kept_turns = max(s.position for s in day.seats) + 1, 0
    seat.state = StaffState.RECEIVING
    if owner is None:
        ownership.make_owner(customer, day.site, staff_id, now)  # the pool's customer: a stale owner goes
        visit.made_owner = True
    visit.by_owner, visit.on_behalf_of_id = owner == staff_id, owner if owner not in (None, staff_id) else None
    ownership.record_contact(customer, day.site, now, staff_id=owner or staff_id)
    visit.assigned_id, visit.status, visit.assigned_at, visit.reminded_at = staff_id, VisitStatus.ASSIGNED, now, None
    visit.shadow_id = rules.shadow_for(staff_id, day.trainees, day.seats)
    if visit.shadow_id:
        seat_of(day, visit.shadow_id).state = StaffState.RECEIVING
    commit_day(session, day, now, alerts_for(session, visit, customer))


def undo_last(session: Session, *, actor: Staff, now: datetime | None = None) -> Visit:
    """Take back the last assignment of the last two minutes: the receiver stands where they stood."""
    now = now or utcnow()
    day = _locked_day(session, actor, now)
    last = session.exec(
        select(TurnEntry)
        .where(
            TurnEntry.site_id == day.site.id,
            TurnEntry.day == day.day,
            col(TurnEntry.kind).in_([TurnKind.ASSIGNED, TurnKind.MADE_UP, TurnKind.OWNER, TurnKind.ON_BEHALF]),
        )
        .order_by(col(TurnEntry.id).desc())
    ).first()
    visit = session.get(Visit, last.visit_id) if last and last.visit_id else None
    if last is None or visit is None or now - last.at > UNDO_WINDOW or visit.status not in OPEN:
        raise ValidationError('undo', '没有可撤销的分配（仅限 2 分钟内）')
    give_turn_back(session, day, visit, now, kind=TurnKind.UNDONE, reason='undo', actor=actor)
    if visit.assigned_id in day.entries:
        seat_of(day, visit.assigned_id).state = StaffState(last.state_before or StaffState.AVAILABLE)
    if visit.shadow_id in day.entries:
        seat_of(day, visit.shadow_id).state = StaffState.AVAILABLE
    visit.status, visit.assigned_id, visit.shadow_id, visit.assigned_at = VisitStatus.WAITING, None, None, None
    visit.by_owner, visit.on_behalf_of_id = False, None
    commit_day(session, day, now, [])
    return visit


def turn_ledger(session: Session, *, actor: Staff, now: datetime | None = None) -> list[TurnEntry]:
    """Today's ledger of the actor's site, newest first."""
    authz.require(actor, authz.MANAGERS)
    day = roster.local_day(_site(session, actor), now or utcnow())
    query = select(TurnEntry).where(TurnEntry.site_id == actor.site_id, TurnEntry.day == day)
    return list(session.exec(query.order_by(col(TurnEntry.id).desc())))


def _site(session: Session, actor: Staff) -> roster.Site:
    site = session.get(roster.Site, actor.site_id)
    if site is None:
        raise NotFound()
    return site


def _locked_day(session: Session, actor: Staff, now: datetime) -> roster.Roster:
    authz.require(actor, authz.MANAGERS)
    if actor.site_id is None:
        raise ValidationError('site', '请在项目中操作')
    return roster.load(session, roster.lock_site(session, actor.site_id), now)
