"""Fairness (公平性): per person per day, what the rotation gave and why, from the turn ledger and the visits; and
the spread of turn counts among those available all day. A section the manager's reports reuse (site_fairness)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import RosterEntry, Site, Staff, StaffState, TurnEntry, TurnKind, Visit, VisitStatus, utcnow
from services.accounts.staff import first_month
from services.core import authz
from services.core.errors import NotFound
from services.rotation import roster

TAKES = (TurnKind.ASSIGNED, TurnKind.MADE_UP, TurnKind.OWNER, TurnKind.ON_BEHALF)
TURNS = (TurnKind.ASSIGNED, TurnKind.MADE_UP)
ON_FLOOR = (StaffState.AVAILABLE, StaffState.RECEIVING, StaffState.TOURING)
NOT_ALL_DAY = frozenset(
    {
        TurnKind.SKIPPED_KEPT,
        TurnKind.SKIPPED_FORFEITED,
        TurnKind.UNANSWERED,
        TurnKind.HELD_OUT,
        TurnKind.MOVED,
        TurnKind.REJOINED,
        TurnKind.RETURNED_INVALID,  # a turn given back is owed, like a kept place: they take the next one
        TurnKind.UNDONE,
        TurnKind.TAKEN_OVER,
    }
)
RECEIVED = (VisitStatus.ASSIGNED, VisitStatus.RECEIVING, VisitStatus.ENDED)


@dataclass(frozen=True)
class PersonDay:
    """One salesperson's day in the rotation."""

    staff_id: int
    name: str
    trainee: bool
    receptions: int  # visitors received (not invalid)
    turns: int  # … of them by turn (轮到 or 补接)
    owner: int  # … of them their own customers (no turn)
    on_behalf_given: int  # 代接: customers of colleagues they received
    on_behalf_received: int  # their own customers a colleague received for them
    kept: int  # kept places (one per absence)
    made_up: int  # … made up
    owed: int  # … still owed
    lost: int  # … ended by a forfeit before the make-up
    forfeited: int
    unanswered: int
    held_out: int  # hold-outs (one per hold-out), passing over `held_out_skipped` visitors
    held_out_skipped: int
    invalid_returned: int
    all_day: bool  # available all day: on the roster from the start, never passed over, moved, absent or owed

    @property
    def balanced(self) -> bool:
        """Every kept place is made up, still owed, or was lost to a forfeit."""
        return self.kept == self.made_up + self.owed + self.lost


@dataclass(frozen=True)
class Fairness:
    day: date
    people: list[PersonDay]
    spread: int | None  # max − min turns among those available all day (None: fewer than two)


def day_fairness(session: Session, *, actor: Staff, now: datetime | None = None) -> Fairness:
    """Today's fairness of the manager's site."""
    authz.require(actor, authz.MANAGERS)
    site = session.get(Site, actor.site_id) if actor.site_id else None
    if site is None:
        raise NotFound()
    return site_fairness(session, site=site, day=roster.local_day(site, now or utcnow()))


def site_fairness(session: Session, *, site: Site, day: date) -> Fairness:
    """One site's day, for a caller that has checked access (a page, a report)."""
    entries = list(session.exec(select(TurnEntry).where(TurnEntry.site_id == site.id, TurnEntry.day == day)))
    visits = list(session.exec(select(Visit).where(Visit.site_id == site.id, Visit.day == day)))
    seats = list(session.exec(select(RosterEntry).where(RosterEntry.site_id == site.id, RosterEntry.day == day)))
    ids = {s.staff_id for s in seats} | {e.staff_id for e in entries}
    staff = {p.id: p for p in session.exec(select(Staff).where(col(Staff.id).in_(ids)))} if ids else {}
    people = [_person(staff[i], day, entries, visits, seats) for i in sorted(ids, key=lambda i: staff[i].name)]
    counts = [p.turns for p in people if p.all_day]
    return Fairness(day, people, max(counts) - min(counts) if len(counts) > 1 else None)


def _person(
    person: Staff, day: date, entries: list[TurnEntry], visits: list[Visit], seats: list[RosterEntry]
) -> PersonDay:
    pid = person.id or 0
    mine = [e for e in entries if e.staff_id == pid]
    kinds = Counter(e.kind for e in mine)
    by_id = {e.id: e for e in entries}
    kept = [e for e in mine if e.kind == TurnKind.SKIPPED_KEPT]
    closed_by = [by_id.get(e.closed_by_id) for e in kept if e.closed_at is not None]
    received = [v for v in visits if v.assigned_id == pid and v.status in RECEIVED]
    held = [e for e in mine if e.kind == TurnKind.HELD_OUT]
    return PersonDay(
        staff_id=pid,
        name=person.name,
        trainee=first_month(person.joined_on, day),
        receptions=len(received),
        turns=sum(_took(v, pid, entries) in TURNS for v in received),
        owner=sum(v.by_owner for v in received),
        on_behalf_given=sum(_behalf(e) for e in mine),
        on_behalf_received=sum(_owner_of(e, visits) == pid for e in entries if _behalf(e)),
        kept=len(kept),
        made_up=sum(b is not None and b.kind == TurnKind.MADE_UP for b in closed_by),
        owed=sum(e.closed_at is None for e in kept),
        lost=sum(b is None or b.kind != TurnKind.MADE_UP for b in closed_by),
        forfeited=kinds[TurnKind.SKIPPED_FORFEITED],
        unanswered=kinds[TurnKind.UNANSWERED],
        held_out=len(held),
        held_out_skipped=sum(e.skipped for e in held),
        invalid_returned=kinds[TurnKind.RETURNED_INVALID],
        all_day=_all_day(person, mine, visits, seats, day),
    )


def _took(visit: Visit, staff_id: int, entries: list[TurnEntry]) -> str | None:
    """How this person came to receive this visit: the latest taking line of theirs for it."""
    taking = [e for e in entries if e.visit_id == visit.id and e.staff_id == staff_id and e.kind in TAKES]
    return max(taking, key=lambda e: e.id or 0).kind if taking else None


def _behalf(entry: TurnEntry) -> bool:
    return entry.kind == TurnKind.ON_BEHALF or (entry.kind in TURNS and entry.reason == 'on_behalf')


def _owner_of(entry: TurnEntry, visits: list[Visit]) -> int | None:
    visit = next((v for v in visits if v.id == entry.visit_id), None)
    if visit is None:
        return None
    return visit.on_behalf_of_id or (visit.assigned_id if visit.by_owner else None)


def _all_day(person: Staff, mine: list[TurnEntry], visits: list[Visit], seats: list[RosterEntry], day: date) -> bool:
    """On the roster before the day's first visitor and to its last, and never passed over, moved or absent."""
    seat = next((s for s in seats if s.staff_id == person.id), None)
    if seat is None or first_month(person.joined_on, day) or any(e.kind in NOT_ALL_DAY for e in mine):
        return False
    if any(e.reason == 'manager' for e in mine):  # the manager's assign is a turn out of order
        return False
    arrivals = [v.arrived_at for v in visits]
    if not arrivals:
        return True
    # away when the day's last visitor came (off shift, or on a break, a meeting or an errand never ended): a colleague
    # covering their returning customer (代接) took a turn they could not, and no make-up line records it
    away_at_end = seat.state not in ON_FLOOR and seat.state_since < max(arrivals)
    return seat.checked_in_at <= min(arrivals) and not away_at_end
