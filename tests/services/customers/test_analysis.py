"""The daily customer analysis (每日客户分析会): today's receptions per salesperson, grades and deadlines confirmed."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

import db
from models import ContactKind, ContactLog, Customer, FollowUp, PhoneCall, Visit
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.customers import analysis, calls, followups
from services.rotation import reception
from tests.helpers.customers import customer, form, received
from tests.helpers.factories import make_site, site_today
from tests.helpers.rotation import arrive, manager_of, staffed_site


def day_of_two(session: Session) -> tuple:
    """甲 records a B customer who objects to the price and proposes a WeChat follow-up; 乙 greets one, no record."""
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = received(site, a)
    proposed = site_today() + timedelta(days=3)
    with db.session() as s:
        reception.save_and_finish(
            s, actor=a, visit_id=first.id or 0, form=form('B', objections=['价格高'], next_follow_up_on=proposed)
        )
    second = received(site, b)
    return site, a, b, first.customer_id, second.customer_id, proposed


def test_todays_receptions_are_listed_per_salesperson_with_grade_objections_and_next_step(session: Session) -> None:
    site, a, b, first, second, proposed = day_of_two(session)
    with db.session() as s:
        groups = analysis.daily(s, actor=manager_of(s, site))
    assert [(g.staff_id, g.name, len(g.rows)) for g in groups] == [(a.id, '甲', 1), (b.id, '乙', 1)]
    row = groups[0].rows[0]
    assert (row.customer_id, row.customer, row.grade, row.objections) == (first, '王先生', 'B', ['价格高'])
    assert row.recorded and row.due_on == proposed and row.next_step.endswith(f'{proposed:%m-%d}')
    other = groups[1].rows[0]
    assert (other.customer_id, other.recorded, other.grade, other.next_step) == (second, False, None, '')


def test_the_manager_changes_the_grade_and_sets_the_deadline(session: Session) -> None:
    site, a, _b, first, _second, _ = day_of_two(session)
    manager = manager_of(session, site)
    deadline = site_today() + timedelta(days=1)
    with db.session() as s:
        analysis.confirm(s, actor=manager, customer_id=first, grade='A', due_on=deadline)
    assert customer(first).grade == 'A'
    with db.session() as s:
        tasks = s.exec(select(FollowUp).where(FollowUp.customer_id == first)).all()
        assert [(t.due_on, t.staff_id, t.done_at) for t in tasks] == [(deadline, a.id, None)]  # moved, not doubled
        kinds = [e.summary for e in s.exec(select(ContactLog).where(ContactLog.customer_id == first))]
        assert 'B → A' in kinds
        assert [r.due_on for r in followups.mine(s, actor=a)] == [deadline]
        row = analysis.daily(s, actor=manager)[0].rows[0]
    assert (row.grade, row.due_on) == ('A', deadline)


def test_confirming_the_same_grade_only_sets_the_deadline(session: Session) -> None:
    site, _a, _b, _first, second, _ = day_of_two(session)
    manager = manager_of(session, site)
    with db.session() as s:
        analysis.confirm(s, actor=manager, customer_id=second, grade='C', due_on=site_today())
        analysis.confirm(s, actor=manager, customer_id=second, grade='C', due_on=None)
        grade_lines = s.exec(
            select(ContactLog).where(ContactLog.customer_id == second, ContactLog.kind == ContactKind.GRADE)
        ).all()
        assert len(grade_lines) == 1
        assert [t.due_on for t in s.exec(select(FollowUp).where(FollowUp.customer_id == second))] == [site_today()]


def test_a_salesperson_is_refused_the_managers_actions(session: Session) -> None:
    _site, a, _b, first, _second, _ = day_of_two(session)
    with pytest.raises(PermissionDenied), db.session() as s:
        analysis.daily(s, actor=a)
    with pytest.raises(PermissionDenied), db.session() as s:
        analysis.confirm(s, actor=a, customer_id=first, grade='A', due_on=None)
    assert customer(first).grade == 'B'


def test_another_sites_manager_sees_and_touches_nothing_of_this_site(session: Session) -> None:
    _site, _a, _b, first, _second, _ = day_of_two(session)
    stranger = manager_of(session, make_site(session, name='别处'))
    with db.session() as s:
        assert analysis.daily(s, actor=stranger) == []
    with pytest.raises(NotFound), db.session() as s:
        analysis.confirm(s, actor=stranger, customer_id=first, grade='D', due_on=None)
    assert customer(first).grade == 'B'


def test_yesterdays_receptions_are_not_in_todays_list(session: Session) -> None:
    site, _people = staffed_site(session, ['甲'])
    yesterday = datetime.now(UTC) - timedelta(days=1)
    old = arrive(site, now=yesterday)
    manager = manager_of(session, site)
    with db.session() as s:
        assert analysis.daily(s, actor=manager) == []
        old_day = s.get(Visit, old.visit_id).day  # type: ignore[union-attr]
        assert [r.visit_id for g in analysis.daily(s, actor=manager, day=old_day) for r in g.rows] == [old.visit_id]


@pytest.mark.parametrize(
    ('grade', 'due_on', 'field'),
    [
        ('E', None, 'grade'),
        ('', None, 'grade'),
        ('<b>A</b>', None, 'grade'),
        ('A', site_today() - timedelta(days=1), 'next_follow_up_on'),
        ('A', site_today() + timedelta(days=3650), 'next_follow_up_on'),
    ],
)
def test_bad_grades_and_deadlines_are_refused_and_change_nothing(
    session: Session, grade: str, due_on: date | None, field: str
) -> None:
    site, _a, _b, first, _second, proposed = day_of_two(session)
    manager = manager_of(session, site)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        analysis.confirm(s, actor=manager, customer_id=first, grade=grade, due_on=due_on)
    assert refused.value.field == field
    assert customer(first).grade == 'B'
    with db.session() as s:
        assert [t.due_on for t in s.exec(select(FollowUp).where(FollowUp.customer_id == first))] == [proposed]


def test_html_in_a_call_note_is_stored_as_plain_text_and_shown_to_the_caller_when_they_visit(
    session: Session,
) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    note = '<script>alert(1)</script> 问<b>三房</b>价格'
    with db.session() as s:
        calls.log_call(s, actor=a, form=calls.CallForm(phone='13712345678', channel='网络', asked=note))
    visit = arrive(site, phone='13712345678')
    with db.session() as s:
        call = s.exec(select(PhoneCall)).one()
        linked = s.get(Customer, call.customer_id)
        came = s.get(Visit, visit.visit_id)
        assert call.asked == note and linked is not None and came is not None and linked.id == came.customer_id
        assert linked.channel == '网络'
        entry = s.exec(select(ContactLog).where(ContactLog.kind == ContactKind.CALL)).one()
        assert entry.summary == f'网络 · {note}'
