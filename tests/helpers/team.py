"""A site with two salespeople and their manager, and a phone opened on its rotation, for page tests."""

from nicegui.testing import User

import db
from models import Role
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in


def seed() -> dict:
    with db.session() as s:
        site = make_site(s, name='云庐')
        return {
            'site': site,
            'a': make_staff(s, site=site, name='李娜', username='lina'),
            'b': make_staff(s, site=site, name='张伟', username='zhangwei'),
            'manager': make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing'),
        }


async def on_rotation(phone: User, login: str, greeting: str) -> None:
    await log_in(phone, login)
    await phone.should_see(greeting, retries=30)
    await phone.open('/rotation')
    await phone.should_see('今日轮序')
