"""Routing visitors through the stored rotation: owners, 代接, make-ups, invalid receptions, overrides, races."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

import db
from models import Customer, StaffState, TurnKind, Visit, VisitStatus, utcnow
from services.core.errors import ValidationError
from services.rotation import board, reception
from services.rotation import overrides as rotation_manage
from tests.helpers.factories import make_staff
from tests.helpers.rotation import arrive, finish, ledger_kinds, manager_of, set_state, staffed_site, visit


def test_new_visitors_go_round_the_roster_in_order(session: Session) -> None:
    site, (a, b, c) = staffed_site(session, ['甲', '乙', '丙'])
    got = []
    for _ in range(4):
        result = arrive(site)
        got.append(result.consultant)
        finish(next(p for p in (a, b, c) if p.name == result.consultant), result.visit_id)
    assert got == ['甲', '乙', '丙', '甲']


def test_the_first_receiver_owns_the_customer_and_a_returning_one_goes_back_to_them(session: Session) -> None:
    site, (a, _b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone='13912340000')
    finish(a, first.visit_id)
    again = arrive(site, phone='139 1234 0000')
    assert again.consultant == '甲'
    returning = visit(again.visit_id)
    assert returning.by_owner and returning.returning_customer
    assert (TurnKind.OWNER, a.id) in [(k, s) for s, k in ledger_kinds(site)]
    finish(a, again.visit_id)
    assert arrive(site).consultant == '乙'  # the owner's reception used no turn


def test_an_owner_not_on_shift_is_received_on_their_behalf(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone='13912340000')
    finish(a, first.visit_id)
    set_state(a, StaffState.OFF)
    again = visit(arrive(site, phone='13912340000').visit_id)
    assert again.assigned_id == b.id and again.on_behalf_of_id == a.id
    with db.session() as s:
        customer = s.get(Customer, again.customer_id)
        assert customer is not None and customer.owner_id == a.id


def test_a_lapsed_customer_belongs_to_the_next_receiver(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone='13912340000')
    finish(a, first.visit_id)
    with db.session() as s:  # forty days without contact
        customer = s.get(Customer, visit(first.visit_id).customer_id)
        assert customer is not None and customer.owner_id == a.id
        customer.protected_until = utcnow() - timedelta(days=10)
        s.commit()
    again = visit(arrive(site, phone='13912340000').visit_id)
    assert again.assigned_id == b.id and not again.by_owner  # 乙's turn by order: 甲 no longer owns them
    with db.session() as s:
        assert s.get(Customer, again.customer_id).owner_id == b.id  # type: ignore[union-attr]


def test_lunch_keeps_the_turn_and_it_is_made_up(session: Session) -> None:
    site, (a, _b, _c) = staffed_site(session, ['甲', '乙', '丙'])
    set_state(a, StaffState.BREAK)
    assert arrive(site).consultant == '乙'
    set_state(a, StaffState.AVAILABLE)
    assert arrive(site).consultant == '甲'
    assert (a.id, TurnKind.SKIPPED_KEPT) in ledger_kinds(site) and (a.id, TurnKind.MADE_UP) in ledger_kinds(site)


def test_personal_absence_forfeits_the_turn(session: Session) -> None:
    site, (a, _b, _c) = staffed_site(session, ['甲', '乙', '丙'])
    set_state(a, StaffState.AWAY)
    first = arrive(site)
    assert first.consultant == '乙'
    set_state(a, StaffState.AVAILABLE)
    assert arrive(site).consultant == '丙'  # 甲 went to the back
    assert (a.id, TurnKind.SKIPPED_FORFEITED) in ledger_kinds(site)


def test_a_first_month_salesperson_only_shadows_their_mentor(session: Session) -> None:
    site, (mentor, other) = staffed_site(session, ['师傅', '同事'])
    trainee = make_staff(session, site=site, name='新人', days_employed=5, mentor=mentor)
    with db.session() as s:
        reception.check_in(s, actor=trainee)
    results = [visit(arrive(site).visit_id) for _ in range(2)]
    assert [v.assigned_id for v in results] == [mentor.id, other.id]
    assert results[0].shadow_id == trainee.id and results[1].shadow_id is None


def test_when_everyone_is_busy_the_visitor_waits_and_goes_to_the_first_one_free(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    first = arrive(site)
    waiting = arrive(site)
    assert waiting.consultant is None and visit(waiting.visit_id).status == VisitStatus.WAITING
    finish(a, first.visit_id)
    assert visit(waiting.visit_id).assigned_id == a.id


def test_a_crowd_waiting_goes_oldest_first_to_those_who_become_free(session: Session) -> None:
    """No more of the waiting are read than there are free seats: each end still hands the longest-waiting visitor."""
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first, second = arrive(site, phone='13912345700'), arrive(site, phone='13912345701')
    crowd = [arrive(site, phone=f'139123457{n:02d}') for n in range(2, 9)]  # seven wait, more than the seats
    finish(a, first.visit_id)
    finish(b, second.visit_id)
    assert [visit(w.visit_id).assigned_id for w in crowd[:2]] == [a.id, b.id]
    assert all(visit(w.visit_id).status == VisitStatus.WAITING for w in crowd[2:])


def test_a_crowd_waiting_is_counted_and_the_board_names_only_the_longest_waiting(session: Session) -> None:
    site, _ = staffed_site(session, ['甲'])
    arrive(site, phone='13912345600')
    waited = [arrive(site, phone=f'139123456{n:02d}') for n in range(1, board.WAITING_KEPT + 4)]
    with db.session() as s:
        shown = board.site_board(s, site_id=site.id or 0, now=utcnow())
    assert shown.waiting_total == board.WAITING_KEPT + 3
    assert [w.visit_id for w in shown.waiting] == [w.visit_id for w in waited[: board.WAITING_KEPT]]


def test_an_invalid_reception_gives_the_turn_back_and_the_customer_back_to_the_pool(session: Session) -> None:
    site, (a, _b) = staffed_site(session, ['甲', '乙'])
    courier = arrive(site)
    with db.session() as s:
        reception.declare_invalid(s, actor=a, visit_id=courier.visit_id, reason='送快递')
    assert arrive(site).consultant == '甲'
    ended = visit(courier.visit_id)
    assert ended.status == VisitStatus.INVALID and ended.invalid_reason == '送快递'
    with db.session() as s:
        assert s.get(Customer, ended.customer_id).owner_id is None  # type: ignore[union-attr]
    with pytest.raises(ValidationError), db.session() as s:
        reception.declare_invalid(s, actor=a, visit_id=courier.visit_id, reason='again')


def test_an_invalid_reception_needs_a_reason(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    result = arrive(site)
    with pytest.raises(ValidationError, match='必填'), db.session() as s:
        reception.declare_invalid(s, actor=a, visit_id=result.visit_id, reason='  ')


def test_nobody_leaves_receiving_by_changing_state(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    arrive(site)
    with pytest.raises(ValidationError, match='请先结束当前接待'):
        set_state(a, StaffState.BREAK)


def test_the_manager_undoes_the_last_assignment_within_two_minutes(session: Session) -> None:
    site, (_a, b) = staffed_site(session, ['甲', '乙'])
    manager = manager_of(session, site)
    result = arrive(site)
    with db.session() as s:
        undone = rotation_manage.undo_last(s, actor=manager)
    assert undone.status == VisitStatus.WAITING and undone.assigned_id is None
    with db.session() as s:
        rows = board.board(s, actor=manager).rows
    assert [r.name for r in rows][:2] == ['甲', '乙'] and rows[0].state == StaffState.AVAILABLE
    with db.session() as s:
        rotation_manage.assign_to(s, actor=manager, visit_id=result.visit_id, staff_id=b.id or 0)
    assert visit(result.visit_id).assigned_id == b.id
    later = utcnow() + timedelta(minutes=3)
    with pytest.raises(ValidationError, match='2 分钟'), db.session() as s:
        rotation_manage.undo_last(s, actor=manager, now=later)


def test_the_manager_reorders_and_moves_someone_back_with_a_reason(session: Session) -> None:
    site, (a, _b, c) = staffed_site(session, ['甲', '乙', '丙'])
    manager = manager_of(session, site)
    with db.session() as s:
        rotation_manage.reorder(s, actor=manager, staff_ids=[c.id or 0, a.id or 0])
    assert arrive(site).consultant == '丙'
    with db.session() as s:
        rotation_manage.move_to_back(s, actor=manager, staff_id=a.id or 0, reason='培训')
    assert arrive(site).consultant == '乙'
    with db.session() as s:
        moves = [e for e in rotation_manage.turn_ledger(s, actor=manager) if e.kind == TurnKind.MOVED]
    assert any(e.reason == '培训' and e.actor_id == manager.id for e in moves)


def test_salespeople_cannot_override_the_rotation(session: Session) -> None:
    _site, (a, b) = staffed_site(session, ['甲', '乙'])
    with pytest.raises(Exception, match='没有权限'), db.session() as s:
        rotation_manage.move_to_back(s, actor=a, staff_id=b.id or 0, reason='x')


def test_concurrent_sign_ins_are_never_assigned_twice_or_lost(session: Session) -> None:
    names = [f'顾问{i}' for i in range(6)]
    site, _people = staffed_site(session, names)
    results, errors = [], []

    def sign_in() -> None:
        try:
            results.append(arrive(site))
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=sign_in) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as s:
        visits = list(s.exec(select(Visit).where(Visit.site_id == site.id)))
    assert len(visits) == 12
    assigned = [v.assigned_id for v in visits if v.assigned_id]
    assert len(assigned) == len(set(assigned)) == 6  # six people, one visitor each; six wait
    assert sum(v.status == VisitStatus.WAITING for v in visits) == 6
