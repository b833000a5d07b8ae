"""Returning customers: the owner receives only when free; otherwise a colleague receives on their behalf (代接)."""

import pytest
from sqlmodel import Session, select

import db
from models import Customer, Site, StaffState, TurnEntry, TurnKind, Visit, VisitStatus
from services.accounts import sites
from services.core.errors import ValidationError
from services.rotation import behalf, board, reception
from services.tours import tour as tours
from tests.helpers.rotation import arrive, finish, ledger_kinds, manager_of, set_state, staffed_site, visit

PHONE = '13912340000'


def owned(session: Session, names: list[str]) -> tuple:
    """甲 received 陈先生 first and owns him; everybody free again."""
    site, people = staffed_site(session, names)
    first = arrive(site, phone=PHONE)
    finish(people[0], first.visit_id)
    return site, people


def open_visits_of(staff_id: int | None) -> int:
    with db.session() as s:
        mine = s.exec(select(Visit).where(Visit.assigned_id == staff_id)).all()
        return sum(v.status in (VisitStatus.ASSIGNED, VisitStatus.RECEIVING) for v in mine)


def test_a_busy_owner_never_gets_a_second_visitor(session: Session) -> None:
    site, (a, b) = owned(session, ['甲', '乙'])
    first, second = arrive(site), arrive(site)
    assert (first.consultant, second.consultant) == ('乙', '甲')  # 甲 is now receiving someone else
    finish(b, first.visit_id)
    again = visit(arrive(site, phone=PHONE).visit_id)
    assert again.assigned_id == b.id and again.on_behalf_of_id == a.id
    assert open_visits_of(a.id) == 1 and open_visits_of(b.id) == 1


@pytest.mark.parametrize('state', [StaffState.BREAK, StaffState.MEETING, StaffState.OFF, StaffState.AWAY])
def test_an_owner_at_lunch_in_a_meeting_or_off_is_received_on_their_behalf(session: Session, state: str) -> None:
    site, (a, b) = owned(session, ['甲', '乙'])
    set_state(a, state)
    again = visit(arrive(site, phone=PHONE).visit_id)
    assert again.assigned_id == b.id and again.on_behalf_of_id == a.id and not again.by_owner
    with db.session() as s:
        assert s.get(Customer, again.customer_id).owner_id == a.id  # type: ignore[union-attr]
        assert s.exec(select(Visit).where(Visit.assigned_id == a.id, Visit.status == VisitStatus.ASSIGNED)).all() == []


def test_an_owner_out_touring_stays_touring(session: Session) -> None:
    site, (a, b) = owned(session, ['甲', '乙'])
    assert arrive(site).consultant == '乙'
    touring = arrive(site)  # 甲 receives this one and goes out on a tour
    with db.session() as s:
        reception.acknowledge(s, actor=a, visit_id=touring.visit_id)
    with db.session() as s:
        tours.start(s, actor=a, visit_id=touring.visit_id, checklist={})
    again = visit(arrive(site, phone=PHONE).visit_id)
    assert b and again.status == VisitStatus.WAITING and again.assigned_id is None  # nobody free: it waits
    with db.session() as s:
        rows = board.site_board(s, site_id=site.id or 0, now=again.arrived_at).rows
    assert {r.staff_id: r.state for r in rows}[a.id] == StaffState.TOURING


def test_by_default_the_colleague_keeps_their_place(session: Session) -> None:
    site, (a, b, _c) = owned(session, ['甲', '乙', '丙'])
    set_state(a, StaffState.MEETING)
    again = arrive(site, phone=PHONE)
    assert again.consultant == '乙'
    assert (b.id, TurnKind.ON_BEHALF) in ledger_kinds(site)
    finish(b, again.visit_id)
    assert arrive(site).consultant == '乙'  # the 代接 used no turn: 乙 is still up


def test_the_site_can_make_a_代接_use_the_colleagues_turn(session: Session) -> None:
    site, (a, b, _c) = owned(session, ['甲', '乙', '丙'])
    manager = manager_of(session, site)
    with db.session() as s:
        sites.change_setting(
            s, actor=manager, site=s.get(Site, site.id), key='on_behalf_uses_turn', value=True, action='rules'
        )
    set_state(a, StaffState.MEETING)
    again = arrive(site, phone=PHONE)
    assert again.consultant == '乙'
    finish(b, again.visit_id)
    assert arrive(site).consultant == '丙'


def test_the_owner_is_told_and_takes_over_when_free(session: Session) -> None:
    site, (a, b) = owned(session, ['甲', '乙'])
    set_state(a, StaffState.MEETING)
    again = arrive(site, phone=PHONE)
    with db.session() as s:
        (notice,) = behalf.notices(s, actor=a)
    assert (notice.customer, notice.received_by) == ('王先生', '乙')
    with db.session() as s, pytest.raises(ValidationError, match='空闲时才能接手'):
        behalf.take_over(s, actor=a, visit_id=again.visit_id)
    set_state(a, StaffState.AVAILABLE)
    with db.session() as s:
        behalf.take_over(s, actor=a, visit_id=again.visit_id)
        assert behalf.notices(s, actor=a) == []
    taken = visit(again.visit_id)
    assert taken.assigned_id == a.id and taken.by_owner and taken.status == VisitStatus.RECEIVING
    assert open_visits_of(b.id) == 0 and (b.id, TurnKind.TAKEN_OVER) in ledger_kinds(site)
    finish(a, again.visit_id)
    assert arrive(site).consultant == '乙'


def test_the_owners_alert_names_them_for_the_notice(session: Session) -> None:
    site, (a, _b) = owned(session, ['甲', '乙'])
    set_state(a, StaffState.BREAK)
    again = arrive(site, phone=PHONE)
    with db.session() as s:
        entries = s.exec(select(TurnEntry).where(TurnEntry.visit_id == again.visit_id)).all()
        (alert,) = reception.alerts_for(s, visit(again.visit_id), s.get(Customer, visit(again.visit_id).customer_id))
    assert alert.owner_id == a.id and alert.on_behalf_of == '甲' and entries
