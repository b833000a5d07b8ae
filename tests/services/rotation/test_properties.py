"""Random days at the sales centre, run through the stored rotation: the rules hold whatever happens."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

import db
from models import StaffState, Visit, VisitStatus
from services.core.errors import ValidationError
from services.rotation import reception
from tests.helpers.factories import make_site, make_staff
from tests.helpers.rotation import arrive, minimal_record

STATES = [StaffState.AVAILABLE, StaffState.BREAK, StaffState.MEETING, StaffState.AWAY]
steps = st.lists(
    st.tuples(st.sampled_from(['arrive', 'finish', 'invalid', 'state']), st.integers(0, 4), st.sampled_from(STATES)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=steps)
def test_a_random_day_keeps_every_rule(session: Session, script: list) -> None:
    site = make_site(session)
    people = [make_staff(session, site=site, name=f'顾问{i}') for i in range(4)]
    trainee = make_staff(session, site=site, name='新人', days_employed=3, mentor=people[0])
    for person in [*people, trainee]:
        with db.session() as s:
            reception.check_in(s, actor=person)
    for action, who, state in script:
        person = people[who % len(people)]
        try:
            with db.session() as s:
                if action == 'arrive':
                    arrive(site)  # a new phone each time: the same numbers again would hit the rate limit
                elif action in ('finish', 'invalid') and (mine := _open_visit(s, person.id)):
                    if action == 'finish':
                        reception.save_and_finish(s, actor=person, visit_id=mine, form=minimal_record())
                    else:
                        reception.declare_invalid(s, actor=person, visit_id=mine, reason='问路')
                elif action == 'state':
                    reception.set_state(s, actor=person, state=state)
        except ValidationError:
            pass  # refused by a rule (e.g. leaving a reception by changing state): nothing changed
        _check(site.id, trainee.id)


def _open_visit(session: Session, staff_id: int | None) -> int | None:
    visit = session.exec(
        select(Visit).where(
            Visit.assigned_id == staff_id, Visit.status.in_([VisitStatus.ASSIGNED, VisitStatus.RECEIVING])
        )
    ).first()  # type: ignore[attr-defined]
    return visit.id if visit else None


def _check(site_id: int | None, trainee_id: int | None) -> None:
    with db.session() as s:
        visits = list(s.exec(select(Visit).where(Visit.site_id == site_id)))
    open_by = Counter(v.assigned_id for v in visits if v.status in (VisitStatus.ASSIGNED, VisitStatus.RECEIVING))
    assert all(n == 1 for n in open_by.values()), 'someone holds two visitors at once'
    assert all(v.assigned_id != trainee_id for v in visits), 'a first-month salesperson received alone'
    for v in visits:
        waiting = v.status == VisitStatus.WAITING
        assert waiting == (v.assigned_id is None), 'a visit is both waiting and assigned'
