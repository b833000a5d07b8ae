"""The rotation rules (SPEC section 3), as pure functions over the day's seats: no database, no clock.

Order is by `position`; a lower number is nearer the front. Whoever receives goes to the back. Someone
ahead of the receiver who cannot take the visitor either keeps their place (receiving, touring, lunch
inside their slot of the plan, a meeting: they get the next one when free — 补接) or, away on personal
business (or at lunch outside their slot), forfeits it and goes to the back. First-month staff are not
in the rotation; those held out are passed over with a ledger line and keep their place.
A kept place is owed once per absence, however many visitors went past during it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from models import StaffState, TurnKind

KEEPS_TURN = frozenset({StaffState.RECEIVING, StaffState.TOURING, StaffState.BREAK, StaffState.MEETING})
ON_SHIFT = frozenset(StaffState) - {StaffState.OFF, StaffState.AWAY}
HELD_OUT = 'held_out'


@dataclass
class Seat:
    """One salesperson on today's roster, as the rules see them."""

    staff_id: int
    position: int
    state: StaffState
    eligible: bool = True  # False for first-month staff, those held out and inactive accounts
    kept_turns: int = 0  # 1 while a kept place is owed (one per absence)
    held_out: bool = False  # held out by a site rule (overdue follow-ups): passed over, with a ledger line
    lunch_ok: bool = True  # at lunch inside their slot of the day's plan (or no plan set): lunch keeps the turn


@dataclass(frozen=True)
class Skip:
    staff_id: int
    kind: TurnKind
    reason: str


@dataclass(frozen=True)
class Decision:
    """Who receives (None: nobody free, the visitor waits), and who was passed over on the way."""

    receiver: int | None
    skips: list[Skip] = field(default_factory=list)
    make_up: bool = False


def choose(seats: list[Seat], *, exclude: Collection[int] = ()) -> Decision:
    """The first available eligible salesperson in order; those ahead keep or forfeit their turn."""
    skips: list[Skip] = []
    for seat in sorted(seats, key=lambda s: s.position):
        if seat.staff_id in exclude or seat.state == StaffState.OFF:
            continue
        if not seat.eligible:
            if seat.held_out:
                skips.append(Skip(seat.staff_id, TurnKind.HELD_OUT, HELD_OUT))
            continue
        if seat.state == StaffState.AVAILABLE:
            return Decision(seat.staff_id, skips, make_up=seat.kept_turns > 0)
        skips.append(Skip(seat.staff_id, skip_kind(seat), str(seat.state)))
    return Decision(None)


def skip_kind(seat: Seat) -> TurnKind:
    """Keeps (busy, a meeting, lunch by the plan) or forfeits (personal business, lunch outside the plan)."""
    keeps = seat.state in KEEPS_TURN and (seat.state != StaffState.BREAK or seat.lunch_ok)
    return TurnKind.SKIPPED_KEPT if keeps else TurnKind.SKIPPED_FORFEITED


def apply(seats: list[Seat], decision: Decision) -> None:
    """Move seats as the decision says: forfeiters, then the receiver, to the back; keepers owe one place."""
    by_id = {s.staff_id: s for s in seats}
    back = max((s.position for s in seats), default=0)
    for skip in decision.skips:
        seat = by_id[skip.staff_id]
        if skip.kind == TurnKind.SKIPPED_FORFEITED:
            back += 1
            seat.position, seat.kept_turns = back, 0
        elif skip.kind == TurnKind.SKIPPED_KEPT:
            seat.kept_turns = 1
    if decision.receiver is not None:
        seat = by_id[decision.receiver]
        seat.position, seat.state, seat.kept_turns = back + 1, StaffState.RECEIVING, 0


def owner_free(seats: list[Seat], owner_id: int, trainees: Collection[int] = ()) -> bool:
    """Whether a customer's owner can receive them now: on today's roster and free (空闲), not a trainee."""
    return owner_id not in trainees and any(s.staff_id == owner_id and s.state == StaffState.AVAILABLE for s in seats)


def owner_on_shift(seats: list[Seat], owner_id: int) -> bool:
    """Whether a customer's owner is on today's roster and at work (not away, not gone)."""
    return any(s.staff_id == owner_id and s.state in ON_SHIFT for s in seats)


def up_next(seats: list[Seat]) -> int | None:
    """Who would receive the next new visitor now."""
    return choose(seats).receiver


def shadow_for(mentor_id: int, trainees: dict[int, int], seats: list[Seat]) -> int | None:
    """An available first-month colleague (trainee id → mentor id) who shadows this mentor."""
    free = {s.staff_id for s in seats if s.state == StaffState.AVAILABLE}
    return next((t for t, m in sorted(trainees.items()) if m == mentor_id and t in free), None)
