"""The reception record: required to end a reception, validated, and a guard against two phones overwriting."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

import db
from models import ContactLog, FollowUp, ReceptionRecord, VisitStatus
from services.core.errors import ValidationError
from services.customers import records, timeline
from services.rotation import reception
from tests.helpers.customers import customer, form, reads, received
from tests.helpers.rotation import manager_of, staffed_site, visit


def test_a_reception_cannot_end_without_its_record(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        reception.finish(s, actor=a, visit_id=v.id or 0)
    assert refused.value.field == 'record'
    assert visit(v.id or 0).status == VisitStatus.RECEIVING
    with db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=form('A', objections=['价格高']))
    assert visit(v.id or 0).status == VisitStatus.ENDED


def test_the_record_sets_grade_name_and_the_next_follow_up(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    due = date.today() + timedelta(days=3)
    with db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=form('A', name='王建国', next_follow_up_on=due))
    c = customer(v.customer_id)
    assert (c.grade, c.surname, c.version) == ('A', '王建国', 1)
    with db.session() as s:
        task = s.exec(select(FollowUp)).one()
        kinds = [log.kind for log in s.exec(select(ContactLog))]
    assert (task.staff_id, task.due_on, task.method) == (a.id, due, '电话')
    assert set(kinds) == {'grade', 'record'}


@pytest.mark.parametrize(
    ('changes', 'field'),
    [
        ({'name': '  '}, 'name'),
        ({'grade': 'E'}, 'grade'),
        ({'grade': ''}, 'grade'),
        ({'budget_wan': '999999'}, 'budget_wan'),
        ({'budget_wan': '-5'}, 'budget_wan'),
        ({'area_wanted': 'abc'}, 'area_wanted'),
        ({'next_follow_up_on': date.today() - timedelta(days=1)}, 'next_follow_up_on'),
        ({'next_follow_up_on': date.today() + timedelta(days=4000)}, 'next_follow_up_on'),
        ({'purpose': '炒房'}, 'purpose'),
        ({'other_phone': '12345'}, 'other_phone'),
        ({'notes': 'x' * 501}, 'notes'),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(session: Session, changes: dict, field: str) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        records.save(s, actor=a, visit_id=v.id or 0, form=form(**changes))
    assert refused.value.field == field
    with db.session() as s:
        assert s.exec(select(ReceptionRecord)).first() is None


def test_html_is_kept_as_text_not_markup(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with db.session() as s:
        records.save(s, actor=a, visit_id=v.id or 0, form=form(notes='<script>alert(1)</script>'))
        record = s.exec(select(ReceptionRecord)).one()
    assert record.notes == '<script>alert(1)</script>'  # shown through labels, which escape it


def test_two_phones_editing_the_same_customer_the_second_is_refused(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    manager = manager_of(session, site)
    v = received(site, a)
    with db.session() as s:
        opened_a = records.prefill(s, actor=a, visit_id=v.id or 0)
        opened_m = records.prefill(s, actor=manager, visit_id=v.id or 0)
    opened_a.grade = opened_m.grade = 'B'
    with db.session() as s:
        records.save(s, actor=a, visit_id=v.id or 0, form=opened_a)
    with pytest.raises(ValidationError) as refused, db.session() as s:
        records.save(s, actor=manager, visit_id=v.id or 0, form=opened_m)
    assert refused.value.field == 'version'


def test_prefill_takes_what_the_visitor_signed_in_with(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a)
    with db.session() as s:
        c = s.get(type(customer(v.customer_id)), v.customer_id)
        assert c is not None
        c.interests = {'unit_type': '三房', 'area': '90–120㎡', 'budget': '200–300万'}
        s.commit()
        opened = records.prefill(s, actor=a, visit_id=v.id or 0)
    assert (opened.name, opened.title, opened.unit_type, opened.area_wanted, opened.budget_wan) == (
        '王',
        '先生',
        '三房',
        105,
        250,
    )


def test_the_file_names_the_owner_who_did_what_and_the_next_follow_up_in_three_reads(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    v = received(site, a)
    due = date.today() + timedelta(days=3)
    with db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=form('A', next_follow_up_on=due))
    with db.reading() as s, reads() as sent:
        file = timeline.customer_file(s, actor=b, customer_id=v.customer_id)
    assert (file.owner, file.protected, file.next_follow_up, file.next_follow_up_method) == ('甲', True, due, '电话')
    assert {(i.kind, i.staff) for i in file.items} == {('visit', '甲'), ('record', '甲'), ('grade', '甲')}
    assert len(sent) == 3  # the customer with site, owner and next follow-up; the visits; the contact log


def test_the_timeline_shows_the_visit_and_record_and_masks_for_others(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    v = received(site, a, phone='13912340001')
    with db.session() as s:
        reception.save_and_finish(s, actor=a, visit_id=v.id or 0, form=form('A'))
        mine = timeline.customer_file(s, actor=a, customer_id=v.customer_id)
        theirs = timeline.customer_file(s, actor=b, customer_id=v.customer_id)
    assert [i.kind for i in mine.items][-1] == 'visit'
    assert {'record', 'grade', 'visit'} <= {i.kind for i in mine.items}
    assert (mine.phone, theirs.phone) == ('13912340001', '139****0001')
    assert mine.owned_by_me and mine.protected and mine.grade == 'A'
