"""Protection and the pool through the rotation: a lapse is not revived by a colleague; the manager's assign
follows the routing's rules."""

from datetime import timedelta

import pytest
from sqlmodel import Session

import db
from models import Customer, StaffState, utcnow
from services.core.errors import ValidationError
from services.customers import calls
from services.rotation import overrides
from tests.helpers.rotation import arrive, finish, manager_of, set_state, staffed_site, visit

PHONE = '13912340000'


def lapse(customer_id: int) -> None:
    with db.session() as s:
        customer = s.get(Customer, customer_id)
        assert customer is not None
        customer.protected_until = utcnow() - timedelta(days=1)
        s.commit()


def customer(customer_id: int) -> Customer:
    with db.session() as s:
        found = s.get(Customer, customer_id)
        assert found is not None
        return found


def test_a_colleagues_call_does_not_revive_a_lapse_and_the_next_reception_makes_a_new_owner(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone=PHONE)
    finish(a, first.visit_id)
    customer_id = visit(first.visit_id).customer_id
    lapse(customer_id)
    with db.session() as s:
        calls.log_call(s, actor=b, form=calls.CallForm(phone=PHONE, asked='价格'))
    assert customer(customer_id).protected_until < utcnow()  # type: ignore[operator]
    again = visit(arrive(site, phone=PHONE).visit_id)
    assert again.assigned_id == b.id and not again.by_owner and again.made_owner
    assert customer(customer_id).owner_id == b.id and customer(customer_id).protected_until > utcnow()  # type: ignore[operator]


def test_the_owners_call_renews_and_a_colleagues_does_not(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone=PHONE)
    finish(a, first.visit_id)
    customer_id = visit(first.visit_id).customer_id
    before = customer(customer_id).protected_until
    with db.session() as s:
        calls.log_call(s, actor=b, form=calls.CallForm(phone=PHONE), now=utcnow() + timedelta(days=3))
    assert customer(customer_id).protected_until == before
    with db.session() as s:
        calls.log_call(s, actor=a, form=calls.CallForm(phone=PHONE), now=utcnow() + timedelta(days=3))
    assert customer(customer_id).protected_until > before  # type: ignore[operator]


def test_the_managers_assign_of_a_lapsed_waiting_customer_makes_a_new_protected_owner(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    manager = manager_of(session, site)
    first = arrive(site, phone=PHONE)
    finish(a, first.visit_id)
    customer_id = visit(first.visit_id).customer_id
    lapse(customer_id)
    set_state(a, StaffState.MEETING)
    set_state(b, StaffState.MEETING)
    waiting = arrive(site, phone=PHONE)
    assert visit(waiting.visit_id).assigned_id is None
    with db.session() as s, pytest.raises(ValidationError, match='不空闲'):
        overrides.assign_to(s, actor=manager, visit_id=waiting.visit_id, staff_id=b.id)
    set_state(b, StaffState.AVAILABLE)  # 乙 free: routing gives it at once; undo so the manager can assign it
    with db.session() as s:
        overrides.undo_last(s, actor=manager)
        overrides.assign_to(s, actor=manager, visit_id=waiting.visit_id, staff_id=b.id)
    found = customer(customer_id)
    assert found.owner_id == b.id and found.protected_until > utcnow() + timedelta(days=29)  # type: ignore[operator]


def test_the_managers_assign_of_a_protected_customer_to_a_colleague_is_a_代接(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    manager = manager_of(session, site)
    first = arrive(site, phone=PHONE)
    finish(a, first.visit_id)
    set_state(a, StaffState.MEETING)
    set_state(b, StaffState.MEETING)
    waiting = arrive(site, phone=PHONE)
    set_state(b, StaffState.AVAILABLE)
    with db.session() as s:
        overrides.undo_last(s, actor=manager)
        overrides.assign_to(s, actor=manager, visit_id=waiting.visit_id, staff_id=b.id)
    assigned = visit(waiting.visit_id)
    assert assigned.assigned_id == b.id and assigned.on_behalf_of_id == a.id
    assert customer(assigned.customer_id).owner_id == a.id
