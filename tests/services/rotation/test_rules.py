"""The rotation rules as pure functions, including properties over random sequences of events."""

from hypothesis import given, settings
from hypothesis import strategies as st

from models import StaffState, TurnKind
from services.rotation.rules import Seat, apply, choose, owner_on_shift, shadow_for

A = StaffState.AVAILABLE


def seats(*states: StaffState) -> list[Seat]:
    return [Seat(staff_id=i + 1, position=i + 1, state=s) for i, s in enumerate(states)]


def test_first_available_in_order_receives_and_goes_to_the_back() -> None:
    day = seats(A, A, A)
    decision = choose(day)
    apply(day, decision)
    assert decision.receiver == 1
    assert [s.staff_id for s in sorted(day, key=lambda s: s.position)] == [2, 3, 1]
    assert day[0].state == StaffState.RECEIVING


def test_lunch_and_meetings_keep_the_turn_and_are_made_up() -> None:
    day = seats(StaffState.BREAK, StaffState.MEETING, A)
    decision = choose(day)
    assert decision.receiver == 3
    assert [(s.staff_id, s.kind) for s in decision.skips] == [(1, TurnKind.SKIPPED_KEPT), (2, TurnKind.SKIPPED_KEPT)]
    apply(day, decision)
    day[0].state = A  # back from lunch: still at the front, and it is a make-up
    again = choose(day)
    assert again.receiver == 1 and again.make_up


def test_personal_absence_forfeits_the_turn() -> None:
    day = seats(StaffState.AWAY, A)
    decision = choose(day)
    apply(day, decision)
    assert decision.skips[0].kind == TurnKind.SKIPPED_FORFEITED
    assert [s.staff_id for s in sorted(day, key=lambda s: s.position)] == [1, 2]  # away went back, then receiver


def test_nobody_free_means_the_visitor_waits_and_nobody_is_skipped() -> None:
    decision = choose(seats(StaffState.RECEIVING, StaffState.AWAY))
    assert decision.receiver is None and decision.skips == []


def test_first_month_staff_never_receive_alone_but_shadow_their_mentor() -> None:
    day = [Seat(1, 1, A, eligible=False), Seat(2, 2, A)]
    assert choose(day).receiver == 2
    assert shadow_for(2, {1: 2}, day) == 1
    assert shadow_for(3, {1: 2}, day) is None


def test_owner_on_shift_excludes_away_and_off() -> None:
    day = seats(StaffState.AWAY, StaffState.BREAK, StaffState.OFF)
    assert [owner_on_shift(day, i) for i in (1, 2, 3, 4)] == [False, True, False, False]


events = st.lists(
    st.tuples(st.sampled_from(['arrive', 'finish', 'state']), st.integers(0, 7), st.sampled_from(list(StaffState))),
    max_size=80,
)


@settings(max_examples=300)
@given(n=st.integers(1, 8), trainees=st.sets(st.integers(1, 8), max_size=3), script=events)
def test_every_visitor_goes_to_exactly_one_eligible_available_person(n: int, trainees: set[int], script: list) -> None:
    day = [Seat(i, i, A, eligible=i not in trainees) for i in range(1, n + 1)]
    for action, who, state in script:
        seat = day[who % n]
        if action == 'arrive':
            before = {s.staff_id: (s.state, s.eligible) for s in day}
            decision = choose(day)
            apply(day, decision)
            if decision.receiver is not None:
                assert before[decision.receiver] == (A, True)
                assert sum(s.state == StaffState.RECEIVING for s in day) >= 1
            else:
                assert not any(s.eligible and s.state == A for s in day)
        elif action == 'finish' and seat.state == StaffState.RECEIVING:
            seat.state = A
        elif action == 'state' and seat.state != StaffState.RECEIVING:
            seat.state = state
        assert len({s.position for s in day}) == n  # a strict order, always


@settings(max_examples=200)
@given(n=st.integers(1, 10), arrivals=st.integers(0, 60), finishers=st.lists(st.integers(0, 9), max_size=60))
def test_among_always_available_staff_counts_differ_by_at_most_one(n: int, arrivals: int, finishers: list[int]) -> None:
    day = [Seat(i, i, A) for i in range(1, n + 1)]
    counts = dict.fromkeys(range(1, n + 1), 0)
    for _ in range(arrivals):
        decision = choose(day)
        apply(day, decision)
        assert decision.receiver is not None
        counts[decision.receiver] += 1
        for seat in day:  # always available: each reception ends before the next visitor
            seat.state = A
    assert max(counts.values()) - min(counts.values()) <= 1
