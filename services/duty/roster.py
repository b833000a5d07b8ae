"""值班表: who is the duty officer on each day; the manager plans a week at a time."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

import db
from models import DutyAssignment, Role, Site, Staff
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.events import emit_duty

WEEK = 7


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def on_duty(session: Session, *, site_id: int, day: date) -> Staff | None:
    """The duty officer of a site on a day, if one is planned."""
    query = select(Staff).join(DutyAssignment, DutyAssignment.staff_id == Staff.id)  # type: ignore[arg-type]
    return session.exec(query.where(DutyAssignment.site_id == site_id, DutyAssignment.day == day)).first()


def week(session: Session, *, actor: Staff, start: date) -> list[tuple[date, Staff | None]]:
    """Seven days from `start` with each day's duty officer (everyone of the site may look)."""
    site_id = _site(actor)
    days = [start + timedelta(days=n) for n in range(WEEK)]
    query = select(DutyAssignment).where(
        DutyAssignment.site_id == site_id, col(DutyAssignment.day) >= days[0], col(DutyAssignment.day) <= days[-1]
    )
    planned = {a.day: a.staff_id for a in session.exec(query)}
    people = {s.id: s for s in session.exec(select(Staff).where(Staff.site_id == site_id))}
    return [(d, people.get(planned[d]) if d in planned else None) for d in days]


def plan_week(session: Session, *, actor: Staff, plan: dict[date, int | None]) -> int:
    """Set the duty officer of each day named (None clears the day); the manager only. Returns the days set."""
    authz.require(actor, frozenset({Role.MANAGER}))
    site_id = _site(actor)
    if len(plan) > 31:
        raise ValidationError('plan', '一次最多安排 31 天')
    db.begin_write(session)  # it reads, then writes: begun as a reader, on SQLite a write beside it locks it out
    for day, staff_id in plan.items():
        _set(session, actor, site_id, day, staff_id)
    session.commit()
    emit_duty(site_id)
    return len(plan)


def eligible(session: Session, *, actor: Staff) -> list[Staff]:
    """Who may be the duty officer: the site's active salespeople and managers."""
    site_id = _site(actor)
    query = select(Staff).where(Staff.site_id == site_id, Staff.active)
    return [s for s in session.exec(query.order_by(Staff.id)) if s.role in (Role.SALESPERSON, Role.MANAGER)]  # type: ignore[arg-type]


def _set(session: Session, actor: Staff, site_id: int, day: date, staff_id: int | None) -> None:
    current = session.exec(
        select(DutyAssignment).where(DutyAssignment.site_id == site_id, DutyAssignment.day == day)
    ).first()
    if staff_id is not None:
        person = session.get(Staff, staff_id)
        if person is None or person.site_id != site_id or not person.active or person.role == Role.ADMIN:
            raise ValidationError('staff', '请选择本项目在职的员工')
    before = audit.snapshot(current)
    if current is not None and staff_id is None:
        session.delete(current)
    elif current is not None:
        current.staff_id, current.planned_by_id = staff_id or 0, actor.id
    elif staff_id is not None:
        current = DutyAssignment(site_id=site_id, day=day, staff_id=staff_id, planned_by_id=actor.id)
        session.add(current)
    if before != audit.snapshot(current) or staff_id is None:
        audit.record(
            session,
            actor=actor,
            action='plan_duty',
            entity='duty_assignment',
            entity_id=None,
            site_id=site_id,
            before=before,
            after={'day': day.isoformat(), 'staff_id': staff_id},
        )


def _site(actor: Staff) -> int:
    authz.require(actor)
    if actor.site_id is None or actor.site_id <= 0:
        raise NotFound()
    return actor.site_id


def site_of(session: Session, actor: Staff) -> Site:
    site = session.get(Site, _site(actor))
    if site is None:
        raise NotFound()
    return site
