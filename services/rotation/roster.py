"""Today's roster as stored: locking a site's rotation, loading it as seats, writing the seats back."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Row, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

import db
from models import LunchSlot, RosterEntry, Site, Staff, StaffState, TurnEntry
from services.accounts import sites
from services.accounts.staff import first_month, in_first_month
from services.core.errors import NotFound
from services.rotation.rules import Seat

_queues: dict[Hashable, threading.RLock] = {}  # one per site: a lock, not domain state
_queues_guard = threading.Lock()
HoldOutCheck = Callable[[Session, Site, set[int], datetime], set[int]]
_hold_out_checks: list[HoldOutCheck] = []
"""Checks that hold salespeople out of the rotation, added where the app is composed (services/wiring.py)."""


def add_hold_out_check(check: HoldOutCheck) -> None:
    """Hold out whoever `check` names (e.g. the follow-ups area's 'overdue follow-ups'); adding one twice is a no-op."""
    if check not in _hold_out_checks:
        _hold_out_checks.append(check)


@dataclass
class Entry:
    """A roster entry as stored when loaded: save() writes back only what the rules changed."""

    id: int
    position: int
    state: str
    kept_turns: int


@dataclass
class Roster:
    """The day's entries (staff id → entry), their seats for the rules, first-month trainees (id → mentor id), and
    each seat's name and photo (what a visitor is told of who receives them)."""

    site: Site
    day: date
    entries: dict[int, Entry]
    seats: list[Seat]
    trainees: dict[int, int]
    people: dict[int, tuple[str, str | None]] = field(default_factory=dict)


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
    release = db.release_at_end(session, queue.release)
    try:
        db.begin_write(session)
        query = select(Site).where(Site.id == site_id).with_for_update()
        site = session.exec(query.execution_options(populate_existing=True)).one_or_none()
    except BaseException:
        session.rollback()
        release()
        raise
    if site is None:
        raise NotFound()
    return site


@contextmanager
def site_lock_if_free(site_id: Hashable | None) -> Iterator[bool]:
    """True, holding the site's lock in this process until the block ends, if no other thread holds it now (work on
    the event loop must not wait for a thread's transaction); False, holding nothing, if one does. No site: True."""
    if site_id is None:
        yield True
        return
    with db.held_if_free(_site_queue(site_id)) as taken:
        yield taken


def _site_queue(site_id: Hashable) -> threading.RLock:
    with _queues_guard:
        return _queues.setdefault(site_id, threading.RLock())


def load(session: Session, site: Site, now: datetime) -> Roster:
    """Today's roster of the site, as seats the rules can work on."""
    day = local_day(site, now)
    # plain columns, one query: whole ORM objects for every seat cost a burst of sign-ins dearly
    query = (
        select_columns(
            col(RosterEntry.id),
            col(RosterEntry.staff_id),
            col(RosterEntry.position),
            col(RosterEntry.state),
            col(RosterEntry.kept_turns),
            col(Staff.joined_on),
            col(Staff.mentor_id),
            col(Staff.active),
            col(Staff.name),
            col(Staff.photo),
        )
        .join(Staff, col(Staff.id) == RosterEntry.staff_id)
        .where(col(RosterEntry.site_id) == site.id, col(RosterEntry.day) == day)
    )
    rows: list[Row] = list(session.execute(query).all())
    entries = {row[1]: Entry(row[0] or 0, row[2], row[3], row[4]) for row in rows}
    trainees = {row[1]: row[6] or 0 for row in rows if first_month(row[5], day)}  # by the site's day
    held = held_out(session, site, set(entries) - set(trainees), now)
    lunching = {row[1] for row in rows if row[3] == StaffState.BREAK}
    off_plan = lunch_off_plan(session, site, day, lunching, now) if lunching else set()
    seats = [
        Seat(
            staff_id,
            position,
            StaffState(state),
            kept_turns=kept,
            eligible=staff_id not in trainees and staff_id not in held and active,
            held_out=staff_id in held and active,
            lunch_ok=staff_id not in off_plan,
        )
        for _, staff_id, position, state, kept, _, _, active, _, _ in rows
    ]
    return Roster(site, day, entries, seats, trainees, {row[1]: (row[8], row[9]) for row in rows})


def lunch_off_plan(session: Session, site: Site, day: date, staff_ids: set[int], now: datetime) -> set[int]:
    """Who of these, at lunch now, is outside their slot of the day's plan (no plan set: nobody is)."""
    slots = {
        slot.staff_id: slot
        for slot in session.exec(select(LunchSlot).where(LunchSlot.site_id == site.id, LunchSlot.day == day))
    }
    if not slots:
        return set()
    return {i for i in staff_ids if i not in slots or not slots[i].starts_at <= now <= slots[i].ends_at}


def save(session: Session, roster: Roster, now: datetime) -> None:
    """Write back the seats the rules changed (most do not move); a changed state restarts its clock."""
    changes = []
    for seat in roster.seats:
        entry = roster.entries[seat.staff_id]
        change: dict[str, object] = {}
        if entry.state != seat.state:
            change.update(state=str(seat.state), state_since=now)
        if entry.position != seat.position:
            change['position'] = seat.position
        if entry.kept_turns != seat.kept_turns:
            change['kept_turns'] = seat.kept_turns
        if change:
            changes.append({'id': entry.id, **change})
            entry.state, entry.position, entry.kept_turns = seat.state, seat.position, seat.kept_turns
    table = RosterEntry.__table__  # type: ignore[attr-defined]  # plain SQL: the ORM's bulk update costs more
    for change in changes:  # one statement each: an executemany would need the same columns in every row
        session.execute(update(table).where(table.c.id == change.pop('id')).values(**change))


def set_available(session: Session, site: Site, day: date, staff_ids: list[int], now: datetime) -> None:
    """These people's seats of the day become available (their reception ended), without reading the roster: what
    save() writes for them once the rules set them free, when nothing else on the roster moves."""
    if not staff_ids:
        return
    table = RosterEntry.__table__  # type: ignore[attr-defined]
    available = str(StaffState.AVAILABLE)
    session.execute(
        update(table)
        .where(table.c.site_id == site.id, table.c.day == day, table.c.staff_id.in_(staff_ids))
        .where(table.c.state != available)
        .values(state=available, state_since=now)
    )


def held_out(session: Session, site: Site, staff_ids: set[int], now: datetime) -> set[int]:
    """Salespeople the site's settings hold out of the rotation right now."""
    if not staff_ids or not sites.setting(site, 'hold_out_overdue_followups'):
        return set()
    return set().union(*(check(session, site, staff_ids, now) for check in _hold_out_checks))


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
    session.flush()  # its id, for save()
    roster.entries[entry.staff_id] = Entry(entry.id or 0, back, StaffState.AVAILABLE, 0)
    first_month = in_first_month(staff, roster.day)
    if first_month:
        roster.trainees[entry.staff_id] = staff.mentor_id or 0
    roster.seats.append(Seat(entry.staff_id, back, StaffState.AVAILABLE, eligible=not first_month))
    return entry
