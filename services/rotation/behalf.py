"""代接 seen from the owner: the customers colleagues are receiving for me now, and 接手 when I am free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import Customer, Staff, StaffState, TurnEntry, TurnKind, Visit, VisitStatus, utcnow
from services.core.errors import ValidationError
from services.rotation import ledger, roster
from services.rotation import rules as rotation
from services.rotation.reception import OPEN, alerts_for, assign_waiting, commit_day, open_visits, seat_of


@dataclass(frozen=True)
class OwnerNotice:
    """您的客户 陈先生 到访，由 李娜 代接."""

    visit_id: int
    customer: str
    received_by: str
    arrived_at: datetime


def notices(session: Session, *, actor: Staff) -> list[OwnerNotice]:
    """My customers a colleague is receiving for me right now (open visits on my behalf)."""
    query = (
        select(Visit, Customer, Staff)
        .join(Customer, col(Customer.id) == Visit.customer_id)
        .join(Staff, col(Staff.id) == Visit.assigned_id)
        .where(Visit.on_behalf_of_id == actor.id, col(Visit.status).in_(OPEN))
        .order_by(col(Visit.arrived_at))
    )
    return [OwnerNotice(v.id or 0, f'{c.surname}{c.title}', s.name, v.arrived_at) for v, c, s in session.exec(query)]


def take_over(session: Session, *, actor: Staff, visit_id: int, now: datetime | None = None) -> Visit:
    """接手: the owner, free again, takes their customer over; the colleague is free (a turn it used comes back)."""
    now = now or utcnow()
    day = roster.load(session, roster.lock_site(session, actor.site_id or 0), now)
    visit = session.get(Visit, visit_id, populate_existing=True)
    if visit is None or visit.on_behalf_of_id != actor.id or visit.status not in OPEN:
        raise ValidationError('visit', '该客户已无需接手')
    if not rotation.owner_free(day.seats, actor.id or 0, day.trainees):
        raise ValidationError('state', '空闲时才能接手')
    colleague = visit.assigned_id or 0
    if colleague in day.entries and seat_of(day, colleague).state == StaffState.TOURING:
        raise ValidationError('state', '同事正在带看，请在带看结束后接手')
    _give_back(session, day, visit, colleague, now)
    for freed in (colleague, visit.shadow_id):
        if (
            freed
            and freed in day.entries
            and not open_visits(session, freed, day.day, site_id=visit.site_id, but=visit)
        ):
            seat_of(day, freed).state = StaffState.AVAILABLE
    roster.ledger(session, day, now, staff_id=actor.id or 0, kind=TurnKind.OWNER, visit_id=visit.id, reason='take_over')
    seat_of(day, actor.id or 0).state = StaffState.RECEIVING
    visit.assigned_id, visit.by_owner, visit.on_behalf_of_id = actor.id, True, None
    visit.shadow_id = rotation.shadow_for(actor.id or 0, day.trainees, day.seats)
    if visit.shadow_id:
        seat_of(day, visit.shadow_id).state = StaffState.RECEIVING
    visit.status, visit.acknowledged_at = VisitStatus.RECEIVING, visit.acknowledged_at or now
    customer = session.get(Customer, visit.customer_id)
    assert customer is not None
    alerts = [a for a in alerts_for(session, visit, customer) if a.shadow]
    commit_day(session, day, now, alerts + assign_waiting(session, day, now))
    return visit


def _give_back(session: Session, day: roster.Roster, visit: Visit, colleague: int, now: datetime) -> None:
    """The colleague's line: the customer went to the owner; a turn the 代接 used is theirs again."""
    taken = session.exec(
        select(TurnEntry)
        .where(TurnEntry.visit_id == visit.id, TurnEntry.staff_id == colleague)
        .where(col(TurnEntry.kind).in_([TurnKind.ASSIGNED, TurnKind.MADE_UP]))
        .order_by(col(TurnEntry.id).desc())
    ).first()
    if taken is not None and taken.position_before is not None and colleague in day.entries:
        seat_of(day, colleague).position = taken.position_before
        if taken.kind == TurnKind.MADE_UP and ledger.reopen_made_up(session, taken):
            seat_of(day, colleague).kept_turns = 1
    roster.ledger(session, day, now, staff_id=colleague, kind=TurnKind.TAKEN_OVER, visit_id=visit.id)
