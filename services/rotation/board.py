"""The rotation board as every phone and the TV show it: order, who is up, states, waiting visitors, counts."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models import Customer, RosterEntry, Site, Staff, StaffState, Visit, VisitStatus, utcnow
from services.accounts.staff import first_month, in_first_month
from services.core import authz
from services.core.errors import NotFound
from services.core.events import VisitorAlert
from services.rotation import lunch, roster
from services.rotation import rules as rotation


@dataclass(frozen=True)
class BoardRow:
    staff_id: int
    name: str
    photo: str | None
    state: str
    since: datetime
    receptions: int  # today's receptions, the turn-taking ones and the owner's
    trainee: bool
    kept_turns: int
    up_next: bool
    lunch_until: str | None = None  # at lunch by the plan: until when, in the site's time (12:45)


@dataclass(frozen=True)
class Waiting:
    visit_id: int
    customer: str
    party_size: int
    arrived_at: datetime


@dataclass(frozen=True)
class Board:
    site_id: int
    site_name: str
    day: date
    rows: list[BoardRow]  # in rotation order; trainees and those off at the end
    waiting: list[Waiting]  # the WAITING_KEPT who have waited longest, first
    waiting_total: int  # all who wait
    visits: int
    new_visits: int
    returning_visits: int
    receiving: int
    touring: int
    greet_median_s: float | None  # time from sign-in to the salesperson's acknowledgement
    overdue_checklists: int = 0  # today's duty checklists past due (services/duty/board.py)
    open_complaints: int = 0  # complaints still waiting for an answer
    overdue_complaints: int = 0  # … of them past their deadline


BoardCounts = Callable[[Session, int, datetime], dict[str, int]]
"""Other areas' figures on the board (open complaints, overdue checklists): field name -> value for a site."""
_counts: list[BoardCounts] = []


def add_counts(counts: BoardCounts) -> None:
    """Show another area's figures on the board; added where the app is composed (services/wiring.py)."""
    if counts not in _counts:
        _counts.append(counts)


VISIT_FACTS = (
    col(Visit.id),
    col(Visit.status),
    col(Visit.returning_customer),
    col(Visit.assigned_id),
    col(Visit.customer_id),
    col(Visit.party_size),
    col(Visit.arrived_at),
    col(Visit.acknowledged_at),
)
ROW_FACTS = (
    col(RosterEntry.staff_id),
    col(RosterEntry.position),
    col(RosterEntry.state),
    col(RosterEntry.state_since),
    col(RosterEntry.kept_turns),
    col(Staff.name),
    col(Staff.photo),
    col(Staff.joined_on),
)


def board(session: Session, *, actor: Staff, site_id: int | None = None, now: datetime | None = None) -> Board:
    """The board of the actor's site (the admin names one)."""
    target = authz.scope_site(actor, site_id) if site_id is not None else actor.site_id
    if target is None:
        raise NotFound()
    return site_board(session, site_id=target, now=now or utcnow())


def other_counts(session: Session, site_id: int, now: datetime) -> dict[str, int]:
    """Other areas' figures for the board (add_counts)."""
    extra: dict[str, int] = {}
    for counts in _counts:
        extra |= counts(session, site_id, now)
    return extra


def site_board(session: Session, *, site_id: int, now: datetime, extra: dict[str, int] | None = None) -> Board:
    """The board of one site, for a caller that has already checked access (a staff page, the TV token); `extra`:
    other areas' figures the caller read already (else read here)."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound()
    day = roster.local_day(site, now)
    # plain columns: the day's thousands of visits as whole objects cost a burst of sign-ins dearly, 2 reads a second
    query = select_columns(*VISIT_FACTS).where(col(Visit.site_id) == site_id, col(Visit.day) == day)
    visits: list[Any] = list(session.execute(query).all())
    receptions = Counter(v.assigned_id for v in visits if v.status != VisitStatus.INVALID)
    rows = _rows(session, site, day, receptions)
    greet = [(v.acknowledged_at - v.arrived_at).total_seconds() for v in visits if v.acknowledged_at]
    if extra is None:
        extra = other_counts(session, site_id, now)
    return Board(
        site_id=site_id,
        site_name=site.name,
        day=day,
        rows=rows,
        waiting=_waiting(session, visits),
        waiting_total=sum(v.status == VisitStatus.WAITING for v in visits),
        visits=sum(v.status != VisitStatus.INVALID for v in visits),
        new_visits=sum(not v.returning_customer and v.status != VisitStatus.INVALID for v in visits),
        returning_visits=sum(v.returning_customer and v.status != VisitStatus.INVALID for v in visits),
        receiving=sum(r.state == StaffState.RECEIVING for r in rows),
        touring=sum(r.state == StaffState.TOURING for r in rows),
        greet_median_s=statistics.median(greet) if greet else None,
        **extra,
    )


def _rows(session: Session, site: Site, day: date, receptions: Counter[int | None]) -> list[BoardRow]:
    # plain columns, one query: the seats with their people's names, read with every board
    query = (
        select_columns(*ROW_FACTS)
        .join(Staff, col(Staff.id) == RosterEntry.staff_id)
        .where(col(RosterEntry.site_id) == site.id, col(RosterEntry.day) == day)
    )
    entries: list[Any] = list(session.execute(query).all())
    if not entries:
        return []
    trainees = {e.staff_id for e in entries if first_month(e.joined_on, day)}
    held = roster.held_out(session, site, {e.staff_id for e in entries} - trainees, utcnow())  # e.g. overdue follow-ups
    seats = [
        rotation.Seat(
            e.staff_id,
            e.position,
            StaffState(e.state),
            eligible=e.staff_id not in trainees | held,
            kept_turns=e.kept_turns,
        )
        for e in entries
    ]
    nxt = rotation.up_next(seats)
    until = _lunch_until(session, site, day, {e.staff_id for e in entries if e.state == StaffState.BREAK})
    rows = [
        BoardRow(
            staff_id=e.staff_id,
            name=e.name,
            photo=e.photo,
            state=e.state,
            since=e.state_since,
            receptions=receptions[e.staff_id],
            trainee=e.staff_id in trainees,
            kept_turns=e.kept_turns,
            up_next=e.staff_id == nxt,
            lunch_until=until.get(e.staff_id),
        )
        for e in entries
    ]
    position = {e.staff_id: e.position for e in entries}
    return sorted(rows, key=lambda r: (r.trainee or r.state == StaffState.OFF, position[r.staff_id]))


def _lunch_until(session: Session, site: Site, day: date, lunching: set[int]) -> dict[int, str]:
    ends = lunch.lunch_until(session, site, day, lunching) if lunching else {}
    return {i: f'{at.astimezone(ZoneInfo(site.timezone)):%H:%M}' for i, at in ends.items()}


WAITING_KEPT = 20
"""Waiting visitors a board names at most, the longest-waiting first (phones show 5, the TV 2); the rest are counted.
An opening day's crowd is thousands: their names, read with every board (twice a second), were most of its read."""


def _waiting(session: Session, visits: list[Any]) -> list[Waiting]:
    waiting = sorted((v for v in visits if v.status == VisitStatus.WAITING), key=lambda v: v.arrived_at)
    waiting = waiting[:WAITING_KEPT]
    names = (
        {
            c.id: f'{c.surname}{c.title}'
            for c in session.exec(select(Customer).where(col(Customer.id).in_([v.customer_id for v in waiting])))
        }
        if waiting
        else {}
    )
    return [Waiting(v.id, names.get(v.customer_id, ''), v.party_size, v.arrived_at) for v in waiting]


@dataclass(frozen=True)
class MyVisit:
    visit_id: int
    customer: str
    party_size: int
    status: str
    arrived_at: datetime
    shadow: bool  # I am shadowing, not receiving
    returning: bool
    on_behalf_of: str | None


@dataclass(frozen=True)
class MyDay:
    """One salesperson's view of today: on the roster or not, state, receptions. (My place in line the phone works
    out from the board's line: components/live_board.py.)"""

    on_roster: bool
    state: str | None
    since: datetime | None
    trainee: bool
    visits: list[MyVisit]  # today's, newest first
    timezone: str  # the site's, for showing times


def my_day(session: Session, *, actor: Staff, now: datetime | None = None) -> MyDay:
    """Today as the actor sees it on their phone: my own roster entry, not the board (which a phone's read of its
    own day after each tap read whole: 200 entries and their staff, a sixth of the server's work in bench.signin
    --hold 1, py-spy)."""
    site, day = _site_day(session, actor, now)
    query = select(RosterEntry).where(RosterEntry.site_id == site.id, RosterEntry.day == day)
    entry = session.exec(query.where(RosterEntry.staff_id == actor.id)).first()
    return MyDay(
        on_roster=entry is not None,
        state=entry.state if entry else None,
        since=entry.state_since if entry else None,
        trainee=entry is not None and in_first_month(actor, day),
        visits=_my_visits(session, site, day, actor),
        timezone=site.timezone,
    )


def my_visits(session: Session, *, actor: Staff, now: datetime | None = None) -> list[MyVisit]:
    """The actor's visits of today, newest first: what my_day reads besides the board (a live page has the board)."""
    return _my_visits(session, *_site_day(session, actor, now), actor)


def day_of(rows: list[BoardRow], actor: Staff, visits: list[MyVisit], timezone: str) -> MyDay:
    """My day from the site's board rows and my visits."""
    row = next((r for r in rows if r.staff_id == actor.id), None)
    return MyDay(
        on_roster=row is not None,
        state=row.state if row else None,
        since=row.since if row else None,
        trainee=bool(row and row.trainee),
        visits=visits,
        timezone=timezone,
    )


def known_day(rows: list[BoardRow], actor: Staff, visits: list[MyVisit], timezone: str) -> MyDay | None:
    """My day from the board's rows and the visits a phone already knows (its last read and the alerts since), if
    they explain my row — its count of receptions, and whether I am with a visitor; None when only a read can tell
    (a visit passed on, undone or ended elsewhere; a first-month colleague's shadowing)."""
    row = next((r for r in rows if r.staff_id == actor.id), None)
    if row is None or row.trainee:
        return None
    mine = [v for v in visits if not v.shadow]
    with_visitor = any(v.status in (VisitStatus.ASSIGNED, VisitStatus.RECEIVING) for v in mine)
    if sum(v.status != VisitStatus.INVALID for v in mine) != row.receptions:
        return None
    if with_visitor != (row.state in (StaffState.RECEIVING, StaffState.TOURING)):
        return None
    return day_of(rows, actor, visits, timezone)


def alerted_visit(alert: VisitorAlert) -> MyVisit:
    """The visit an alert assigns me, as my day shows it."""
    return MyVisit(
        visit_id=alert.visit_id,
        customer=alert.customer,
        party_size=alert.party_size,
        status=VisitStatus.ASSIGNED,
        arrived_at=datetime.fromtimestamp(alert.arrived_at, UTC) if alert.arrived_at else utcnow(),
        shadow=alert.shadow,
        returning=alert.returning,
        on_behalf_of=alert.on_behalf_of,
    )


def line(rows: list[BoardRow]) -> list[int]:
    """Who can take the next visitor, in order: on the rotation and available, or owed a turn they kept."""
    return [
        r.staff_id
        for r in rows
        if not r.trainee
        and r.state != StaffState.OFF
        and (r.state == StaffState.AVAILABLE or (r.state in rotation.KEEPS_TURN and r.kept_turns))
    ]


def _site_day(session: Session, actor: Staff, now: datetime | None) -> tuple[Site, date]:
    site = session.get(Site, actor.site_id) if actor.site_id else None
    if site is None:
        raise NotFound()
    return site, roster.local_day(site, now or utcnow())


def _my_visits(session: Session, site: Site, day: date, actor: Staff) -> list[MyVisit]:
    mine = (Visit.assigned_id == actor.id) | (Visit.shadow_id == actor.id)
    query = select(Visit, Customer).join(Customer, col(Customer.id) == Visit.customer_id)
    query = query.where(Visit.site_id == site.id, Visit.day == day, mine).order_by(col(Visit.arrived_at).desc())
    found = list(session.exec(query))
    behalf = {v.on_behalf_of_id for v, _ in found if v.on_behalf_of_id}
    names = {p.id: p.name for p in session.exec(select(Staff).where(col(Staff.id).in_(behalf)))} if behalf else {}
    return [_my_visit(v, c, actor, names) for v, c in found]


def _my_visit(visit: Visit, customer: Customer, actor: Staff, names: dict[int | None, str]) -> MyVisit:
    return MyVisit(
        visit_id=visit.id or 0,
        customer=f'{customer.surname}{customer.title}',
        party_size=visit.party_size,
        status=visit.status,
        arrived_at=visit.arrived_at,
        shadow=visit.shadow_id == actor.id,
        returning=visit.returning_customer,
        on_behalf_of=names.get(visit.on_behalf_of_id),
    )
