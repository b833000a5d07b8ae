"""Today's roster as stored: locking a site's rotation, loading it as seats, writing the seats back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlmodel import Session, col, select

import db
from models import RosterEntry, Site, Staff, StaffState, TurnEntry

from . import sites
from .errors import NotFound
from .rotation import Seat
from .staff import first_month, in_first_month

_queues: dict[int, threading.RLock] = {}  # one per site: a lock, not domain state
_queues_guard = threading.Lock()
HoldOutCheck = Callable[[Session, Site, set[int], datetime], set[int]]
HOLD_OUT_CHECKS: list[HoldOutCheck] = []
"""Checks that hold salespeople out of the rotation (the follow-ups part adds 'overdue follow-ups')."""


@dataclass
class Roster:
    """The day's entries, their seats for the rules, and first-month trainees (id → mentor id)."""

    site: Site
    day: date
    entries: dict[int, RosterEntry]
    seats: list[Seat]
    trainees: dict[int, int]


def local_day(site: Site, now: datetime) -> date:
    """The site's calendar day at `now`."""
    return now.astimezone(ZoneInfo(site.timezone)).date()


def lock_site(session: Session, site_id: int) -> Site:
    """Take the site's write lock for the rest of the transaction: rotation changes never interleave.

    Writers of one site first queue in this process (an opening-day burst would otherwise have every worker
    thread polling the database lock), then take the database's: SQLite BEGIN IMMEDIATE, PostgreSQL FOR UPDATE.
    """
    db.end_read(session)
    queue = _site_queue(site_id)
    queue.acquire()
    event.listen(session, 'after_transaction_end', lambda *_: queue.release(), once=True)
    try:
        db.begin_write(session)
        query = select(Site).where(Site.id == site_id).with_for_update()
        site = session.exec(query.execution_options(populate_existing=True)).one_or_none()
    except BaseException:
        session.rollback()  # ends the transaction, which releases the queue
        raise
    if site is None:
        raise NotFound()
    return site


def _site_queue(site_id: int) -> threading.RLock:
    with _queues_guard:
        return _queues.setdefault(site_id, threading.RLock())


def load(session: Session, site: Site, now: datetime) -> Roster:
    """Today's roster of the site, as seats the rules can work on."""
    day = local_day(site, now)
    entries = {
        e.staff_id: e
        for e in session.exec(
            select(RosterEntry)
            .where(RosterEntry.site_id == site.id, RosterEntry.day == day)
            .execution_options(populate_existing=True)
        )
    }
    # only the columns the rules need: whole Staff objects for every seat cost a burst of sign-ins dearly
    query = select(col(Staff.id), col(Staff.joined_on), col(Staff.mentor_id), col(Staff.active)).where(
        col(Staff.id).in_(entries)
    )
    staff = {staff_id: (joined_on, mentor_id, active) for staff_id, joined_on, mentor_id, active in session.exec(query)}
    trainees = {i: mentor or 0 for i, (joined, mentor, _) in staff.items() if i is not None and first_month(joined)}
    held = held_out(session, site, set(entries) - set(trainees), now)
    seats = [
        Seat(
            e.staff_id,
            e.position,
            StaffState(e.state),
            kept_turns=e.kept_turns,
            eligible=e.staff_id not in trainees and e.staff_id not in held and staff[e.staff_id][2],
        )
        for e in entries.values()
    ]
    return Roster(site, day, entries, seats, trainees)


def save(roster: Roster, now: datetime) -> None:
    """Copy the seats back to the entries; a changed state restarts its clock."""
    for seat in roster.seats:
        entry = roster.entries[seat.staff_id]
        if entry.state != seat.state:
            entry.state, entry.state_since = seat.state, now
        if entry.position != seat.position:  # most seats do not move: touching them all costs a burst dearly
            entry.position = seat.position
        if entry.kept_turns != seat.kept_turns:
            entry.kept_turns = seat.kept_turns


def held_out(session: Session, site: Site, staff_ids: set[int], now: datetime) -> set[int]:
    """Salespeople the site's settings hold out of the rotation right now."""
    if not staff_ids or not sites.setting(site, 'hold_out_overdue_followups'):
        return set()
    return set().union(*(check(session, site, staff_ids, now) for check in HOLD_OUT_CHECKS))


def ledger(
    session: Session,
    roster: Roster,
    now: datetime,
    *,
    staff_id: int,
    kind: str,
    visit_id: int | None = None,
    reason: str = '',
    actor_id: int | None = None,
) -> TurnEntry:
    """Add one line to the turn ledger, remembering the seat as it was (for undo)."""
    seat = next((s for s in roster.seats if s.staff_id == staff_id), None)
    entry = TurnEntry(
        site_id=roster.site.id or 0,
        day=roster.day,
        at=now,
        staff_id=staff_id,
        kind=kind,
        visit_id=visit_id,
        reason=reason[:200],
        actor_id=actor_id,
        position_before=seat.position if seat else None,
        state_before=seat.state if seat else None,
    )
    session.add(entry)
    return entry


def add_seat(session: Session, roster: Roster, staff: Staff, now: datetime) -> RosterEntry:
    """Put someone on today's roster at the back, available."""
    back = max((s.position for s in roster.seats), default=0) + 1
    entry = RosterEntry(
        site_id=roster.site.id or 0,
        day=roster.day,
        staff_id=staff.id or 0,
        position=back,
        state=StaffState.AVAILABLE,
        state_since=now,
        checked_in_at=now,
    )
    session.add(entry)
    roster.entries[entry.staff_id] = entry
    first_month = in_first_month(staff)
    if first_month:
        roster.trainees[entry.staff_id] = staff.mentor_id or 0
    roster.seats.append(Seat(entry.staff_id, back, StaffState.AVAILABLE, eligible=not first_month))
    return entry
