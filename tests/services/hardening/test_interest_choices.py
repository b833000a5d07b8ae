"""Finding 8: interests, cares and objections come from the lists the forms offer, nothing else."""

import pytest
from sqlmodel import Session

import db
from services.core.errors import ValidationError
from services.customers import records
from services.signin import register as signin
from services.tours import tour as tours
from tests.helpers.customers import form, received
from tests.helpers.factories import make_site
from tests.helpers.rotation import staffed_site


def signin_form(**interests: str) -> signin.SignInForm:
    return signin.SignInForm(surname='王', title='先生', phone='13912345678', consent=True, interests=interests)


@pytest.mark.parametrize(
    'interests',
    [{'unit_type': '<b>豪宅</b>'}, {'budget': '1亿'}, {'area': 'x' * 40}, {'favourite_colour': '红'}],
)
def test_a_sign_in_interest_outside_the_offered_choices_is_refused(session: Session, interests: dict) -> None:
    site = make_site(session)
    with pytest.raises(ValidationError) as refused:
        signin.validate(signin_form(**interests), site)
    assert refused.value.field == 'interests'


def test_offered_interests_are_kept_and_empty_ones_dropped(session: Session) -> None:
    site = make_site(session)
    cleaned = signin.validate(signin_form(unit_type='三房', budget='300–500万', area=''), site)
    assert cleaned.interests == {'unit_type': '三房', 'budget': '300–500万'}


@pytest.mark.parametrize('key', ['objections', 'cares'])
def test_a_record_takes_only_the_sites_list(session: Session, key: str) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        records.save(s, actor=a, visit_id=v.id or 0, form=form('A', **{key: ['<img src=x>']}))
    assert refused.value.field == key
    with db.session() as s:
        saved = records.save(s, actor=a, visit_id=v.id or 0, form=form('A', **{key: ['交通', '交通']}))
    assert getattr(saved, key) == ['交通']


def test_a_tour_stops_objections_come_from_the_sites_list(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with db.session() as s:
        tour = tours.start(s, actor=a, visit_id=v.id or 0, checklist={'车辆': True, '安全帽': True})
        tours.arrive(s, actor=a, tour_id=tour.id or 0, stop_id=tours.route(s, actor=a)[0].id or 0)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        tours.note(s, actor=a, tour_id=tour.id or 0, objections=['<script>'])
    assert refused.value.field == 'objections'
    with db.session() as s:
        tours.note(s, actor=a, tour_id=tour.id or 0, objections=['价格高'])
