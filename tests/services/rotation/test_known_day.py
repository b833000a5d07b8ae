"""A phone's day from the board's rows and the visits it knows, when they explain its row (else it reads)."""

from models import Staff, StaffState, VisitStatus, utcnow
from services.core.events import VisitorAlert
from services.rotation import board

NOW = utcnow()
ME = Staff(id=7, name='李娜', site_id=1)


def row(state: StaffState, receptions: int, *, trainee: bool = False) -> board.BoardRow:
    return board.BoardRow(7, '李娜', None, state, NOW, receptions, trainee, 0, up_next=False)


def visit(visit_id: int, status: str, *, shadow: bool = False) -> board.MyVisit:
    return board.MyVisit(visit_id, '王先生', 1, status, NOW, shadow, returning=False, on_behalf_of=None)


def test_a_visitor_alerted_to_me_explains_my_row() -> None:
    alerted = board.alerted_visit(
        VisitorAlert(1, 12, 7, '王先生', 2, returning=False, by_owner=False, on_behalf_of=None, arrived_at=1.0e9)
    )
    assert alerted.status == VisitStatus.ASSIGNED and alerted.arrived_at.timestamp() == 1.0e9
    earlier = visit(3, VisitStatus.ENDED)
    day = board.known_day([row(StaffState.RECEIVING, 2)], ME, [alerted, earlier], 'Asia/Shanghai')
    assert day is not None and day.state == StaffState.RECEIVING and day.visits == [alerted, earlier]


def test_what_the_phone_knows_does_not_explain_every_row() -> None:
    open_visit = visit(12, VisitStatus.ASSIGNED)
    assert board.known_day([row(StaffState.AVAILABLE, 0)], ME, [open_visit], 'UTC') is None  # undone, passed on
    assert board.known_day([row(StaffState.AVAILABLE, 1)], ME, [open_visit], 'UTC') is None  # ended elsewhere
    assert board.known_day([row(StaffState.RECEIVING, 1)], ME, [], 'UTC') is None  # a visit it never heard of
    assert board.known_day([row(StaffState.RECEIVING, 1, trainee=True)], ME, [open_visit], 'UTC') is None
    assert board.known_day([], ME, [open_visit], 'UTC') is None  # off the roster


def test_invalid_and_shadowed_visits_are_not_my_receptions() -> None:
    visits = [visit(1, VisitStatus.INVALID), visit(2, VisitStatus.RECEIVING, shadow=True), visit(3, VisitStatus.ENDED)]
    day = board.known_day([row(StaffState.AVAILABLE, 1)], ME, visits, 'UTC')
    assert day is not None and day.visits == visits
