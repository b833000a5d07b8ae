"""The TV calls the name of whoever is up, large across its bottom quarter."""

from __future__ import annotations

from nicegui.testing import User

import db
from models import Role
from services.signin import display
from tests.helpers.factories import make_staff
from tests.helpers.rotation import arrive, staffed_site


async def test_the_tv_calls_the_receiver_by_name_when_a_visitor_signs_in(user: User) -> None:
    with db.session() as s:
        site, _ = staffed_site(s, ['李娜', '张伟'])
        manager = make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        token = display.create_display_token(s, actor=manager, label='前台大屏')
    await user.open(f'/tv/{token}')
    await user.should_see('启用语音', retries=30)  # a tap (or a remote's key) lets the browser speak
    await user.should_not_see('请 李娜 接待')
    arrive(site)
    await user.should_see('请 李娜 接待 王先生', retries=30)
