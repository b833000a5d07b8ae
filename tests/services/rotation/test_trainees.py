"""First-month trainees (manual part 4 art. 7) never own or receive alone; they shadow their mentor."""

from datetime import timedelta

import pytest
from sqlmodel import Session

import db
from models import Customer, Site, StaffState, utcnow
from services.core.errors import ValidationError
from services.customers import ownership
from services.rotation import overrides, reception, roster
from tests.helpers.factories import make_staff
from tests.helpers.rotation import arrive, finish, manager_of, set_state, staffed_site, visit


def test_a_trainee_is_not_in_the_rotation_and_shadows_the_mentor(session: Session) -> None:
    site, (mentor, _other) = staffed_site(session, ['师傅', '乙'])
    trainee = make_staff(session, site=site, name='新人', days_employed=3, mentor=mentor)
    with db.session() as s:
        reception.check_in(s, actor=trainee)
    first = visit(arrive(site).visit_id)
    assert first.assigned_id == mentor.id and first.shadow_id == trainee.id
    assert arrive(site).consultant == '乙'  # not the trainee, though free a moment ago... they are shadowing


def test_the_first_month_is_counted_by_the_sites_day(session: Session) -> None:
    site, (mentor,) = staffed_site(session, ['师傅'])
    trainee = make_staff(session, site=site, name='新人', days_employed=27, mentor=mentor)
    with db.session() as s:
        reception.check_in(s, actor=trainee)
        today = roster.load(s, s.get(Site, site.id), utcnow())  # type: ignore[arg-type]
        in_two_days = roster.load(s, s.get(Site, site.id), utcnow() + timedelta(days=2))  # type: ignore[arg-type]
    assert trainee.id in today.trainees and trainee.id not in in_two_days.trainees


def test_nobody_can_make_a_trainee_owner_or_give_them_a_visitor(session: Session) -> None:
    site, (mentor,) = staffed_site(session, ['师傅'])
    trainee = make_staff(session, site=site, name='新人', days_employed=3, mentor=mentor)
    manager = manager_of(session, site)
    with db.session() as s:
        reception.check_in(s, actor=trainee)
    first = arrive(site)
    finish(mentor, first.visit_id)
    customer_id = visit(first.visit_id).customer_id
    with db.session() as s, pytest.raises(ValidationError, match='入职首月'):
        ownership.transfer(s, actor=manager, customer_id=customer_id, new_owner_id=trainee.id, reason='交接')
    set_state(mentor, StaffState.MEETING)
    waiting = arrive(site)
    assert visit(waiting.visit_id).assigned_id is None  # the trainee is free but never receives alone
    with db.session() as s, pytest.raises(ValidationError):
        overrides.assign_to(s, actor=manager, visit_id=waiting.visit_id, staff_id=trainee.id)
    with db.session() as s:
        assert s.get(Customer, customer_id).owner_id == mentor.id  # type: ignore[union-attr]
