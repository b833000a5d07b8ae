"""Finding 3, the staff side: a known phone signed in under another name is flagged on the receiver's alert."""

from nicegui.testing import User

import db
from models import Customer
from services.signin import register as signin
from tests.helpers.team import on_rotation, seed

PHONE = '13912345678'


def arrive_as(site_id: int, surname: str) -> None:
    form = signin.SignInForm(surname=surname, title='先生', phone=PHONE, consent=True)
    with db.session() as s:
        signin.sign_in(s, site_id=site_id, form=form, source='qr', client='c')


async def test_the_alert_asks_to_confirm_a_name_that_does_not_match(user: User) -> None:
    people = seed()
    with db.session() as s:
        s.add(Customer(site_id=people['site'].id, surname='陈', title='先生', phone=PHONE))
        s.commit()
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='check-in').click()
    await user.should_see('下一位就是您', retries=30)
    arrive_as(people['site'].id, '测')
    await user.should_see('请接待客户', retries=30)
    await user.should_see('陈先生（1 人）')
    await user.should_see('登记姓名为「测先生」，与客户资料不符，请当面核实')
    await user.open('/')  # still there after a reload
    await user.should_see('登记姓名为「测先生」', retries=30)
