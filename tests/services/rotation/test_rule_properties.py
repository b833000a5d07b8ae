"""The pure rotation rules over random day-long sequences (no database: 500 days in a few seconds)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from models import StaffState, TurnKind
from services.rotation.rules import Seat, apply, choose, skip_kind

A = StaffState.AVAILABLE
STATES = [A, A, StaffState.BREAK, StaffState.MEETING, StaffState.AWAY, StaffState.TOURING, StaffState.OFF]
events = st.lists(
    st.tuples(st.sampled_from(['arrive', 'arrive', 'finish', 'state']), st.integers(0, 5), st.sampled_from(STATES)),
    min_size=1,
    max_size=80,
)
seat_kinds = st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=6)


@settings(max_examples=500, deadline=None)
@given(kinds=seat_kinds, script=events)
def test_every_visitor_goes_to_one_eligible_free_person_and_the_ledger_adds_up(kinds: list, script: list) -> None:
    day = [
        Seat(i, i, A, eligible=eligible, held_out=not eligible and held, lunch_ok=lunch_ok)
        for i, (eligible, held, lunch_ok) in enumerate(kinds, start=1)
    ]
    turns: Counter[int] = Counter()
    passed_over: set[int] = set()
    for action, who, state in script:
        seat = day[who % len(day)]
        if action == 'arrive':
            decision = choose(day)
            _check_decision(day, decision)
            passed_over |= {s.staff_id for s in decision.skips}
            apply(day, decision)
            if decision.receiver is not None:
                turns[decision.receiver] += 1
        elif action == 'finish' and seat.state == StaffState.RECEIVING:
            seat.state = A
        elif action == 'state' and seat.state != StaffState.RECEIVING:
            passed_over.add(seat.staff_id)  # left their post at least once today: not available all day
            seat.state = state
        assert len({s.position for s in day}) == len(day), 'a strict order, always'
        assert all(s.kept_turns in (0, 1) for s in day), 'a kept place is owed once per absence'
    all_day = [turns[s.staff_id] for s in day if s.eligible and s.staff_id not in passed_over]
    assert len(all_day) < 2 or max(all_day) - min(all_day) <= 1, 'counts differ by more than one'


def _check_decision(day: list[Seat], decision) -> None:
    ahead = sorted(day, key=lambda s: s.position)
    if decision.receiver is None:
        assert not any(s.eligible and s.state == A for s in day), 'a visitor waits while someone is free'
        return
    receiver = next(s for s in day if s.staff_id == decision.receiver)
    assert receiver.eligible and receiver.state == A, 'received by someone not free or not in the rotation'
    before = [s for s in ahead[: ahead.index(receiver)] if s.state != StaffState.OFF and (s.eligible or s.held_out)]
    assert [s.staff_id for s in before] == [k.staff_id for k in decision.skips], 'someone passed over without a line'
    for seat, skip in zip(before, decision.skips, strict=True):
        expected = TurnKind.HELD_OUT if not seat.eligible else skip_kind(seat)
        assert skip.kind == expected
    assert decision.make_up == (receiver.kept_turns > 0)
