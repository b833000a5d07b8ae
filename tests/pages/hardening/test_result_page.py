"""Finding 3: a phone number alone never reveals the stored customer's name; staff see the mismatch to confirm."""

import uuid

from nicegui.testing import User
from sqlmodel import select

import config
import db
from models import Customer, Visit
from services.core import events
from services.core.events import VisitorAlert
from services.rotation import reception
from services.signin import display
from tests.helpers.factories import make_site, make_staff

JSON = {'Accept': 'application/json'}
PHONE = '13912345678'


def seed() -> str:
    with db.session() as s:
        site = make_site(s, name='滨江·云庐售楼处')
        person = make_staff(s, site=site, name='李娜')
        with db.session() as s2:
            reception.check_in(s2, actor=person)
        s.add(Customer(site_id=site.id or 0, surname='陈', title='先生', phone=PHONE))
        s.commit()
    return display.tv_token(site, secret=config.current().secret)  # valid now, at any hour


def form(surname: str, title: str = '先生') -> dict[str, str]:
    return {
        'request_key': uuid.uuid4().hex,
        'surname': surname,
        'title': title,
        'phone': PHONE,
        'party_size': '1',
        'first_visit': '0',
        'consent': '1',
    }


async def test_the_result_echoes_only_what_the_visitor_typed(user: User) -> None:
    token = seed()
    answer = (await user.http_client.post(f'/v/{token}', data=form('测'), headers=JSON)).json()
    page = await user.http_client.get(answer['result_url'])
    assert page.status_code == 200 and '测先生，登记成功' in page.text and '陈' not in page.text


async def test_the_echoed_name_cannot_be_changed_in_the_address(user: User) -> None:
    token = seed()
    url = (await user.http_client.post(f'/v/{token}', data=form('测'), headers=JSON)).json()['result_url']
    page = await user.http_client.get(url.replace('n=%E6%B5%8B', 'n=%E9%99%88'))  # 测 -> 陈
    assert page.status_code == 404 and '陈' not in page.text


async def test_a_returning_phone_under_another_name_is_flagged_to_staff(user: User) -> None:
    token = seed()
    alerts: list[VisitorAlert] = []
    events.visitor_assigned.subscribe(alerts.append)
    await user.http_client.post(f'/v/{token}', data=form('测'), headers=JSON)
    assert [a.typed_as for a in alerts] == ['测先生'] and alerts[0].customer == '陈先生'
    with db.session() as s:
        visit = s.exec(select(Visit)).one()
        assert visit.signed_as == '测先生'


async def test_the_same_name_raises_no_flag(user: User) -> None:
    token = seed()
    alerts: list[VisitorAlert] = []
    events.visitor_assigned.subscribe(alerts.append)
    answer = (await user.http_client.post(f'/v/{token}', data=form('陈'), headers=JSON)).json()
    assert [a.typed_as for a in alerts] == [None]
    assert '陈先生，登记成功' in (await user.http_client.get(answer['result_url'])).text
