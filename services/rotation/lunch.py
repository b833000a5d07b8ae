"""The day's lunch plan (午餐轮休安排; manual part 3 art. 5: 案场午餐时间应作轮班接待): groups lunch in turn, so
someone always receives. Lunch inside one's slot keeps the turn; outside it or beyond its length it is personal
absence and forfeits (roster.lunch_off_plan, rules.skip_kind)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import Session, col, select

from models import LunchSlot, Role, Site, Staff, utcnow
from services.accounts.staff import first_month
from services.core import audit, authz, events
from services.core.errors import NotFound, ValidationError
from services.rotation import roster

MINUTES = (15, 120)  # the shortest and the longest lunch slot


@dataclass(frozen=True)
class LunchGroup:
    """One group of the plan: who lunches together, from when, how long."""

    starts: time
    minutes: int
    staff_ids: list[int]


@dataclass(frozen=True)
class PlanGroup:
    number: int
    starts: time  # the site's local time
    ends: time
    people: list[tuple[int, str]]


def plan(session: Session, *, actor: Staff, now: datetime | None = None) -> list[PlanGroup]:
    """Today's plan of the actor's site, group by group."""
    site = _site(session, actor)
    return site_plan(session, site=site, day=roster.local_day(site, now or utcnow()))


def site_plan(session: Session, *, site: Site, day: date) -> list[PlanGroup]:
    tz = ZoneInfo(site.timezone)
    query = select(LunchSlot, Staff).join(Staff, col(Staff.id) == LunchSlot.staff_id)
    rows = list(session.exec(query.where(LunchSlot.site_id == site.id, LunchSlot.day == day)))
    groups: dict[int, PlanGroup] = {}
    for slot, person in sorted(rows, key=lambda r: (r[0].group, r[1].name)):
        group = groups.setdefault(
            slot.group,
            PlanGroup(slot.group, slot.starts_at.astimezone(tz).time(), slot.ends_at.astimezone(tz).time(), []),
        )
        group.people.append((person.id or 0, person.name))
    return list(groups.values())


def lunch_until(session: Session, site: Site, day: date, staff_ids: set[int]) -> dict[int, datetime]:
    """The end of these people's lunch slot today (for the board: 午餐至 12:45)."""
    if not staff_ids:
        return {}
    query = select(LunchSlot).where(
        LunchSlot.site_id == site.id, LunchSlot.day == day, col(LunchSlot.staff_id).in_(staff_ids)
    )
    return {slot.staff_id: slot.ends_at for slot in session.exec(query)}


def set_plan(session: Session, *, actor: Staff, groups: list[LunchGroup], now: datetime | None = None) -> None:
    """The manager sets today's plan (replacing it): groups in turn, never everyone at lunch at once."""
    now = now or utcnow()
    site = roster.lock_site(session, _site(session, actor).id or 0)
    day = roster.local_day(site, now)
    people = _salespeople(session, site, day)
    slots = [slot for number, group in enumerate(groups, start=1) for slot in _slots(site, day, number, group, people)]
    if len({s.staff_id for s in slots}) != len(slots):
        raise ValidationError('groups', '每人只能在一个午餐组')
    _check_someone_receives(slots, set(people))
    session.execute(delete(LunchSlot).where(col(LunchSlot.site_id) == site.id, col(LunchSlot.day) == day))
    session.add_all(slots)
    audit.record(
        session,
        actor=actor,
        action='lunch_plan',
        entity='site',
        entity_id=site.id,
        site_id=site.id,
        after={'day': day.isoformat(), 'groups': [[g.starts.isoformat(), g.minutes, g.staff_ids] for g in groups]},
    )
    session.commit()
    events.emit_rotation(site.id or 0, [])


def _slots(site: Site, day: date, number: int, group: LunchGroup, people: dict[int, str]) -> list[LunchSlot]:
    if not MINUTES[0] <= group.minutes <= MINUTES[1]:
        raise ValidationError('minutes', '午餐时长须在 {a}–{b} 分钟之间', a=MINUTES[0], b=MINUTES[1])
    if not group.staff_ids:
        raise ValidationError('groups', '每个午餐组至少一人')
    if any(i not in people for i in group.staff_ids):
        raise ValidationError('groups', '午餐组只能安排本项目的置业顾问（入职首月者随带教师傅）')
    starts = datetime.combine(day, group.starts, ZoneInfo(site.timezone))
    if not site.opens_at <= group.starts < site.closes_at:
        raise ValidationError('starts', '午餐时间须在营业时间内')
    ends = starts + timedelta(minutes=group.minutes)
    return [
        LunchSlot(site_id=site.id or 0, day=day, staff_id=i, group=number, starts_at=starts, ends_at=ends)
        for i in group.staff_ids
    ]


def _check_someone_receives(slots: list[LunchSlot], people: set[int]) -> None:
    """At every start of a slot, someone who is not at lunch must be left to receive."""
    for slot in slots:
        eating = {s.staff_id for s in slots if s.starts_at <= slot.starts_at < s.ends_at}
        if people <= eating:
            raise ValidationError('groups', '午餐须轮流：任何时候都要留人接待')


def _salespeople(session: Session, site: Site, day: date) -> dict[int, str]:
    query = select(Staff).where(Staff.site_id == site.id, Staff.role == Role.SALESPERSON, col(Staff.active))
    return {s.id or 0: s.name for s in session.exec(query) if not first_month(s.joined_on, day)}


def _site(session: Session, actor: Staff) -> Site:
    authz.require(actor, authz.MANAGERS)
    site = session.get(Site, actor.site_id) if actor.site_id else None
    if site is None:
        raise NotFound()
    return site
