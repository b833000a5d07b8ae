"""Follow-ups (追访): due dates, today's and overdue lists, logging one done, and holding out the overdue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import ContactKind, Customer, FollowUp, Role, Site, Staff, utcnow
from services.accounts import sites
from services.core import authz, events
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text
from services.customers import contacts

MAX_DAYS_AHEAD = 180


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    customer_id: int
    customer: str
    staff: str
    due_on: date
    method: str
    overdue: bool
    grade: str | None


def schedule(
    session: Session, customer: Customer, *, staff_id: int, due_on: date, method: str, created_by: Staff
) -> FollowUp:
    """The customer's next follow-up: an open one moves to the new date, else a new one; the caller commits."""
    task = _open_for(session, customer.id or 0)
    if task is None:
        task = FollowUp(site_id=customer.site_id, customer_id=customer.id or 0, staff_id=staff_id, due_on=due_on)
    task.due_on, task.method, task.created_by_id = due_on, method or task.method or '电话', created_by.id
    session.add(task)
    return task


# Built once, run with parameters (as search's). A list took three queries (the follow-ups, then their customers and
# salespeople by id) and made an object of every row: on PostgreSQL each query is a round trip, and the id lists,
# never the same length twice, were never prepared. Now: one query of plain columns.
_LISTED = (  # open follow-ups with what a row shows of their customer and salesperson
    select_columns(
        col(FollowUp.id),
        col(FollowUp.customer_id),
        col(FollowUp.due_on),
        col(FollowUp.method),
        col(Customer.surname),
        col(Customer.title),
        col(Customer.grade),
        col(Staff.name),
    )
    .join(Customer, col(Customer.id) == FollowUp.customer_id)
    .join(Staff, col(Staff.id) == FollowUp.staff_id)
    .where(col(FollowUp.done_at).is_(None), col(FollowUp.cancelled).is_(False))
)
MINE = _LISTED.where(col(FollowUp.staff_id) == bindparam('staff_id')).order_by(col(FollowUp.due_on)).limit(100)
OVERDUE = (
    _LISTED.where(col(FollowUp.site_id) == bindparam('site_id'), col(FollowUp.due_on) < bindparam('today'))
    .order_by(col(FollowUp.due_on))
    .limit(200)
)


def mine(session: Session, *, actor: Staff, now: datetime | None = None) -> list[FollowUpRow]:
    """My open follow-ups due today or earlier (overdue first), then the next week's."""
    site = contacts.site_of(session, actor)
    today = contacts.local_today(site, now or utcnow())
    return _rows(session.execute(MINE, {'staff_id': actor.id}), today)


def overdue(session: Session, *, actor: Staff, now: datetime | None = None) -> list[FollowUpRow]:
    """Every overdue follow-up of the manager's site, the oldest first."""
    authz.require(actor, authz.MANAGERS)
    site = contacts.site_of(session, actor)
    today = contacts.local_today(site, now or utcnow())
    return _rows(session.execute(OVERDUE, {'site_id': site.id, 'today': today}), today)


def log_done(
    session: Session,
    *,
    actor: Staff,
    follow_up_id: int,
    result: str,
    grade: str | None = None,
    next_on: date | None = None,
    method: str = '电话',
    now: datetime | None = None,
) -> FollowUp:
    """追访 done: what was said, maybe a new grade and the next date; the owner's protection is renewed."""
    now = now or utcnow()
    task = session.get(FollowUp, follow_up_id)
    if task is None or task.site_id != actor.site_id or (actor.role == Role.SALESPERSON and task.staff_id != actor.id):
        raise NotFound()
    if task.done_at is not None or task.cancelled:
        raise ValidationError('follow_up', '该追访已完成')
    task.result = clean_text(result, field='result', max_length=500, required=True)
    task.done_at, task.method = now, clean_text(method, field='method', max_length=12) or task.method
    customer = contacts.customer_of(session, actor, task.customer_id)
    _after_contact(session, actor, customer, task, grade, next_on, now)
    session.commit()
    events.emit(events.rotation_changed, task.site_id)  # a held-out salesperson may be back in the rotation
    return task


def set_hold_out(session: Session, *, actor: Staff, on: bool) -> Site:
    """The manager switches 'salespeople with overdue follow-ups are held out of the rotation'."""
    authz.require(actor, authz.MANAGERS)
    site = contacts.site_of(session, actor)
    sites.change_setting(
        session, actor=actor, site=site, key='hold_out_overdue_followups', value=bool(on), action='set_hold_out'
    )
    events.emit(events.rotation_changed, site.id or 0)
    return site


def hold_out_on(site: Site) -> bool:
    return bool(sites.setting(site, 'hold_out_overdue_followups'))


def overdue_staff(session: Session, site: Site, staff_ids: set[int], now: datetime) -> set[int]:
    """Of these salespeople, those with a follow-up past its day (the rotation's hold-out check)."""
    today = contacts.local_today(site, now)
    query = select(FollowUp.staff_id).where(
        FollowUp.site_id == site.id,
        col(FollowUp.staff_id).in_(staff_ids),
        col(FollowUp.done_at).is_(None),
        col(FollowUp.cancelled).is_(False),
        FollowUp.due_on < today,
    )
    return set(session.exec(query.distinct()))


def cancel_open(session: Session, customer_id: int) -> None:
    """A deal, or a cold customer the manager lets go: nothing is left to follow up."""
    for task in session.exec(_open().where(FollowUp.customer_id == customer_id)):
        task.cancelled = True


def _after_contact(
    session: Session,
    actor: Staff,
    customer: Customer,
    task: FollowUp,
    grade: str | None,
    next_on: date | None,
    now: datetime,
) -> None:

    if grade:
        contacts.set_grade(session, customer, grade, staff_id=actor.id, at=now)
    summary = f'{task.method}：{task.result}'
    contacts.log(session, customer, kind=ContactKind.FOLLOW_UP, at=now, staff_id=actor.id, summary=summary, grade=grade)
    site = session.get(Site, customer.site_id)
    assert site is not None
    if next_on is not None and customer.follow_up:
        day = followup_date(next_on, contacts.local_today(site, now))
        assert day is not None
        session.add(
            FollowUp(
                site_id=customer.site_id,
                customer_id=customer.id or 0,
                staff_id=task.staff_id,
                due_on=day,
                method=task.method,
                created_by_id=actor.id,
            )
        )


def _open_for(session: Session, customer_id: int) -> FollowUp | None:
    return session.exec(_open().where(FollowUp.customer_id == customer_id).order_by(col(FollowUp.id).desc())).first()


def _open() -> SelectOfScalar[FollowUp]:
    return select(FollowUp).where(col(FollowUp.done_at).is_(None), col(FollowUp.cancelled).is_(False))


def _rows(rows: Iterable[Row[Any]], today: date) -> list[FollowUpRow]:
    return [
        FollowUpRow(
            id=r.id,
            customer_id=r.customer_id,
            customer=f'{r.surname}{r.title}',
            staff=r.name,
            due_on=r.due_on,
            method=r.method,
            overdue=r.due_on < today,
            grade=r.grade,
        )
        for r in rows
    ]


def followup_date(day: date | None, today: date) -> date | None:
    """A follow-up date from today to half a year ahead."""
    if day is not None and not today <= day <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError('next_follow_up_on', '追访日期须在今天到 {n} 天之内', n=MAX_DAYS_AHEAD)
    return day
