"""Tours: the default route, touring on the rotation, stops timed, ending with a grade (once)."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

import db
from models import FollowUp, ReceptionRecord, StaffState, TourStopVisit, utcnow
from services.core.errors import ValidationError
from services.customers import records
from services.rotation import board, reception
from services.tours import tour as tours
from tests.helpers.customers import customer, form, received
from tests.helpers.rotation import arrive, manager_of, staffed_site


def test_a_new_site_gets_the_default_route_and_the_manager_edits_it(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    manager = manager_of(session, site)
    with db.session() as s:
        names = [stop.name for stop in tours.route(s, actor=a)]
        assert names[0] == '沙盘区' and any(stop.needs_helmet for stop in tours.route(s, actor=a))
        added = tours.save_stop(s, actor=manager, name='会所', talking_points='泳池\n健身房', needs_helmet=False)
        tours.move_stop(s, actor=manager, stop_id=added.id or 0, by=-10)
        assert next(stop.name for stop in tours.route(s, actor=a)) == '会所'
        with pytest.raises(Exception, match='没有权限'):
            tours.save_stop(s, actor=a, name='x', talking_points='', needs_helmet=False)


def test_touring_shows_on_the_board_and_keeps_the_turn(session: Session) -> None:
    site, (a, _b) = staffed_site(session, ['甲', '乙'])
    manager = manager_of(session, site)
    v = received(site, a)
    with db.session() as s:
        tour = tours.start(s, actor=a, visit_id=v.id or 0, checklist={'车辆': True, '安全帽': True})
        states = {r.staff_id: r.state for r in board.board(s, actor=manager).rows}
    assert states[a.id] == StaffState.TOURING
    assert arrive(site).consultant == '乙'
    with db.session() as s:
        stops = tours.route(s, actor=a)
        tours.arrive(s, actor=a, tour_id=tour.id or 0, stop_id=stops[1].id or 0)
        tours.note(s, actor=a, tour_id=tour.id or 0, notes='喜欢南向', liked_units='3-1201', objections=['价格高'])
        due = date.today() + timedelta(days=1)
        tours.end(s, actor=a, tour_id=tour.id or 0, grade='A', follow_up_on=due)
        states = {r.staff_id: r.state for r in board.board(s, actor=manager).rows}
        visited = list(s.exec(select(TourStopVisit).order_by(TourStopVisit.id)))  # type: ignore[arg-type]
        task = s.exec(select(FollowUp)).one()
    assert states[a.id] == StaffState.RECEIVING
    assert [v.name for v in visited] == [stops[0].name, stops[1].name]
    assert all(v.left_at is not None and v.left_at >= v.arrived_at for v in visited)
    assert visited[1].objections == ['价格高'] and task.due_on == due
    assert customer(v.customer_id).grade == 'A'


def test_a_tour_ends_only_once_and_the_reception_cannot_end_during_it(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with db.session() as s:
        tour = tours.start(s, actor=a, visit_id=v.id or 0, checklist={})
    with pytest.raises(ValidationError) as refused, db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=form())
    assert refused.value.field == 'tour'
    with db.session() as s:
        tours.end(s, actor=a, tour_id=tour.id or 0, grade='C', follow_up_on=None)
    with pytest.raises(ValidationError, match='该带看已结束'), db.session() as s:
        tours.end(s, actor=a, tour_id=tour.id or 0, grade='B', follow_up_on=None)
    with db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=form())
        view = tours.view(s, actor=a, visit_id=v.id or 0)
    assert view is not None and view.ended_at is not None and view.current is None


def test_a_tour_needs_a_grade_and_a_sane_follow_up_date(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with db.session() as s:
        tour = tours.start(s, actor=a, visit_id=v.id or 0, checklist={})
    for grade, due in (('', None), ('A', date(1999, 1, 1)), ('Z', None)):
        with pytest.raises(ValidationError), db.session() as s:
            tours.end(s, actor=a, tour_id=tour.id or 0, grade=grade, follow_up_on=due)
    with db.session() as s:
        assert tours.open_tour_of(s, actor=a) is not None


def test_a_tour_starts_only_after_greeting_and_only_once(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    result = arrive(site)
    with pytest.raises(ValidationError), db.session() as s:
        tours.start(s, actor=a, visit_id=result.visit_id, checklist={})
    with db.session() as s:
        reception.acknowledge(s, actor=a, visit_id=result.visit_id)
        tours.start(s, actor=a, visit_id=result.visit_id, checklist={}, now=utcnow())
    with pytest.raises(ValidationError, match='带看已经开始'), db.session() as s:
        tours.start(s, actor=a, visit_id=result.visit_id, checklist={})


def test_an_end_refused_for_a_tour_still_out_keeps_nothing_of_the_record(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with db.session() as s:
        tour = tours.start(s, actor=a, visit_id=v.id or 0, checklist={})
        opened = records.prefill(s, actor=a, visit_id=v.id or 0)  # the dialog, with the customer's version
    opened.grade, opened.notes = 'A', '想看南向三房'
    with pytest.raises(ValidationError) as refused, db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=opened)
    assert refused.value.field == 'tour'
    with db.session() as s:
        assert s.exec(select(ReceptionRecord)).first() is None  # one transaction: the record went with the end
        assert customer(v.customer_id).grade is None
        tours.end(s, actor=a, tour_id=tour.id or 0, grade='B', follow_up_on=None)
        again = records.prefill(s, actor=a, visit_id=v.id or 0)
    again.grade, again.notes = 'A', '想看南向三房'
    with db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=again)
        record = s.exec(select(ReceptionRecord)).one()
    assert record.grade == 'A' and record.notes == '想看南向三房'
    assert customer(v.customer_id).grade == 'A'
