"""The call register: validated, linked to a known customer at once, or to a caller who later signs in."""

import pytest
from sqlmodel import Session, select

import db
from models import PhoneCall
from services.core.errors import ValidationError
from services.customers import calls, timeline
from tests.helpers.customers import customer, received
from tests.helpers.rotation import arrive, staffed_site


def test_a_caller_who_later_signs_in_is_linked_by_phone(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    with db.session() as s:
        calls.log_call(
            s,
            actor=a,
            form=calls.CallForm(phone='139 0000 1111', surname='赵', title='女士', channel='网络', asked='三房价格'),
        )
        assert s.exec(select(PhoneCall)).one().customer_id is None
    result = arrive(site, phone='13900001111')
    with db.session() as s:
        call = s.exec(select(PhoneCall)).one()
        assert call.customer_id is not None
        items = timeline.customer_file(s, actor=a, customer_id=call.customer_id).items
    assert {'call', 'visit'} <= {i.kind for i in items}
    assert customer(call.customer_id).channel == '网络' and result.visit_id


def test_a_call_from_a_known_customer_renews_protection(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    v = received(site, a, phone='13900002222')
    before = customer(v.customer_id).protected_until
    with db.session() as s:
        calls.log_call(s, actor=a, form=calls.CallForm(phone='13900002222', asked='交房时间'))
        rows = calls.recent(s, actor=a)
    assert rows[0].customer_id == v.customer_id
    after = customer(v.customer_id).protected_until
    assert before is not None and after is not None and after >= before


@pytest.mark.parametrize(
    'bad',
    [
        calls.CallForm(phone='12345'),
        calls.CallForm(phone='13900003333', channel='卫星'),
        calls.CallForm(phone='13900003333', title='大人'),
        calls.CallForm(phone='13900003333', asked='x' * 501),
    ],
)
def test_bad_calls_are_refused(session: Session, bad: calls.CallForm) -> None:
    _site, (a,) = staffed_site(session, ['甲'])
    with pytest.raises(ValidationError), db.session() as s:
        calls.log_call(s, actor=a, form=bad)
    with db.session() as s:
        assert s.exec(select(PhoneCall)).first() is None
