"""Sign-ins that arrive together are written together (group commit), each with its own outcome."""

import asyncio
import uuid

from nicegui.testing import User
from sqlmodel import Session, col, func, select

import db
from models import NotifyAlert, Staff, TurnEntry, TurnKind, Visit
from services.core.errors import DomainError, ValidationError
from services.signin import register as signin
from tests.helpers.customers import reads
from tests.helpers.rotation import arrive, staffed_site
from tests.helpers.signin import JSON, fields, seed


def request(phone: str, *, surname: str = '王', key: str | None = None, client: str = 'c') -> signin.SignInRequest:
    form = signin.SignInForm(surname=surname, title='先生', phone=phone, consent=True)
    return signin.SignInRequest(form, 'qr', f'{client}{phone}', key or uuid.uuid4().hex)


def group(site_id: int, requests: list[signin.SignInRequest]) -> list[signin.SignInResult | DomainError]:
    with db.session() as s:
        return signin.sign_in_group(s, site_id=site_id, requests=requests)


def test_a_group_gives_each_visitor_the_next_salesperson_in_order(session: Session) -> None:
    site, people = staffed_site(session, ['甲', '乙', '丙'])
    outcomes = group(site.id or 0, [request(f'1390000000{n}') for n in range(4)])
    assert [o.consultant for o in outcomes if isinstance(o, signin.SignInResult)] == ['甲', '乙', '丙', None]
    with db.session() as s:
        assigned = s.exec(select(Visit.assigned_id).order_by(col(Visit.id))).all()
        turns = s.exec(select(func.count()).select_from(TurnEntry).where(TurnEntry.kind == TurnKind.ASSIGNED)).one()
    assert assigned == [p.id for p in people] + [None] and turns == 3
    assert arrive(site).consultant is None  # everyone is receiving: the next one waits too


def test_a_refused_visitor_in_a_group_stops_no_other(session: Session) -> None:
    site, _ = staffed_site(session, ['甲', '乙'])
    outcomes = group(site.id or 0, [request('13900000001'), request('12345'), request('13900000002')])
    assert isinstance(outcomes[1], ValidationError) and outcomes[1].field == 'phone'
    assert [o.consultant for o in (outcomes[0], outcomes[2]) if isinstance(o, signin.SignInResult)] == ['甲', '乙']


def test_the_same_form_twice_in_one_group_makes_one_visit(session: Session) -> None:
    site, _ = staffed_site(session, ['甲', '乙'])
    key = uuid.uuid4().hex
    first, again = group(site.id or 0, [request('13900000001', key=key), request('13900000001', key=key)])
    assert isinstance(first, signin.SignInResult) and isinstance(again, signin.SignInResult)
    assert again.duplicate and again.visit_id == first.visit_id and again.consultant == '甲'
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Visit)).one() == 1


async def test_a_burst_over_http_each_gets_their_own_consultant(user: User) -> None:
    _, token = seed()  # 李娜 and 张伟 on the roster
    forms = [fields(phone=f'1390000000{n}', surname=s) for n, s in enumerate(['赵', '钱', '孙'])]
    answers = await asyncio.gather(*(user.http_client.post(f'/v/{token}', data=f, headers=JSON) for f in forms))
    assert all(a.json()['ok'] for a in answers)
    with db.session() as s:
        visits = s.exec(select(Visit).order_by(col(Visit.id))).all()
        names = {p.id: p.name for p in s.exec(select(Staff))}
    assert len(visits) == 3
    assert sorted(names.get(v.assigned_id or 0, '') for v in visits) == ['', '张伟', '李娜']


def test_an_assigned_sign_in_reads_its_consultant_from_the_roster_and_no_alert_key(session: Session) -> None:
    """Every SELECT is a round trip on PostgreSQL: the roster already names who receives, and an alert of a visit made
    in this very transaction cannot have been sent before."""
    site, _ = staffed_site(session, ['甲', '乙'])
    with reads() as sent:
        (outcome,) = group(site.id or 0, [request('13900000001')])
    assert isinstance(outcome, signin.SignInResult) and outcome.consultant == '甲'
    assert not [s for s in sent if s.lstrip().upper().startswith(('SELECT STAFF.', 'SELECT NOTIFYALERT.'))]
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(NotifyAlert)).one() == 1  # the outbox row is written


def test_the_same_form_in_a_later_group_names_its_consultant(session: Session) -> None:
    site, _ = staffed_site(session, ['甲', '乙'])
    key = uuid.uuid4().hex
    (first,) = group(site.id or 0, [request('13900000001', key=key)])
    (again,) = group(site.id or 0, [request('13900000001', key=key)])  # no visit routed: the roster is not read
    assert isinstance(first, signin.SignInResult) and isinstance(again, signin.SignInResult)
    assert again.duplicate and again.visit_id == first.visit_id and again.consultant == '甲'
