"""The turn ledger's bookkeeping: one line per kept place (its count of visitors gone past, closed by its make-up),
one per hold-out, one per forfeit — so that every decision has a line and the lines add up."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models import TurnEntry, TurnKind
from services.rotation import roster
from services.rotation.roster import Roster
from services.rotation.rules import Skip

COUNTED = (TurnKind.SKIPPED_KEPT, TurnKind.HELD_OUT)  # one line per absence, counting the visitors gone past
TAKING = (TurnKind.ASSIGNED, TurnKind.MADE_UP, TurnKind.OWNER, TurnKind.ON_BEHALF)


def record_skips(session: Session, day: Roster, skips: list[Skip], *, visit_id: int | None, now: datetime) -> None:
    """The people passed over for this visitor: a kept place or a hold-out adds to its open line (or opens one);
    a forfeit is a line of its own and ends a kept place still open."""
    if not skips:
        return
    open_lines = open_entries(session, day, {s.staff_id for s in skips})
    for skip in skips:
        line = open_lines.get((skip.staff_id, skip.kind))
        if line is not None and skip.kind == TurnKind.HELD_OUT and _received_since(session, line):
            line.closed_at = now  # that hold-out ended with a reception: this is a new one
            session.add(line)
            line = None
        if skip.kind in COUNTED and line is not None:
            line.skipped += 1
            session.add(line)
            continue
        entry = roster.ledger(session, day, now, staff_id=skip.staff_id, kind=skip.kind, visit_id=visit_id)
        entry.reason = skip.reason
        if skip.kind in COUNTED:
            entry.skipped = 1
            open_lines[(skip.staff_id, skip.kind)] = entry
        elif (kept := open_lines.pop((skip.staff_id, TurnKind.SKIPPED_KEPT), None)) is not None:
            close(session, kept, entry, now)


def close_open(session: Session, day: Roster, staff_id: int, by: TurnEntry, now: datetime) -> None:
    """This person makes up a kept place: its line is closed by this one (a hold-out's line closes when the next
    hold-out begins, see record_skips: no query here for every visitor of a burst)."""
    for (_, kind), line in open_entries(session, day, {staff_id}).items():
        if kind == TurnKind.SKIPPED_KEPT:
            close(session, line, by, now)


def close(session: Session, line: TurnEntry, by: TurnEntry, now: datetime) -> None:
    session.flush()  # `by` needs its id
    line.closed_by_id, line.closed_at = by.id, now
    session.add(line)


def reopen_made_up(session: Session, made_up: TurnEntry) -> bool:
    """An undone (or invalid) make-up: the kept place it closed is owed again."""
    kept = session.exec(select(TurnEntry).where(TurnEntry.closed_by_id == made_up.id)).all()
    for line in kept:
        line.closed_by_id, line.closed_at = None, None
        session.add(line)
    return any(line.kind == TurnKind.SKIPPED_KEPT for line in kept)


def _received_since(session: Session, line: TurnEntry) -> bool:
    query = select(TurnEntry.id).where(
        TurnEntry.site_id == line.site_id,
        TurnEntry.day == line.day,
        TurnEntry.staff_id == line.staff_id,
        col(TurnEntry.kind).in_(TAKING),
        col(TurnEntry.id) > (line.id or 0),
    )
    return session.exec(query.limit(1)).first() is not None


def open_entries(session: Session, day: Roster, staff_ids: set[int]) -> dict[tuple[int, str], TurnEntry]:
    """The open kept-place and hold-out lines of these people today: (staff id, kind) → line."""
    query = select(TurnEntry).where(
        TurnEntry.site_id == day.site.id,
        TurnEntry.day == day.day,
        col(TurnEntry.staff_id).in_(staff_ids),
        col(TurnEntry.kind).in_(COUNTED),
        col(TurnEntry.closed_at).is_(None),
    )
    return {(e.staff_id, e.kind): e for e in session.exec(query)}
