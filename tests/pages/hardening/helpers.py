"""Seeds and a log-in helper shared by the hardening page tests."""

from nicegui import ui
from nicegui.testing import User

import db
from models import Role, Site
from tests.helpers.factories import PASSWORD, make_site, make_staff


def seed_manager(role: Role = Role.MANAGER, **kw: object) -> Site:
    with db.session() as s:
        site = make_site(s, name='滨江·云庐售楼处')
        make_staff(s, site=site, role=role, name='王静', username='wangjing', phone='13800000001', **kw)
    return site


async def log_in(user: User, login: str = 'wangjing', password: str = PASSWORD, next_: str | None = None) -> None:
    if next_ is None:
        await user.open('/login')
    else:
        from urllib.parse import quote

        await user.open(f'/login?next={quote(next_)}')
    user.find('手机号或用户名').type(login)
    user.find('密码').type(password)
    user.find(kind=ui.button, content='登录').click()
