"""Logging in and out as a person would, through the pages (NiceGUI's simulated user)."""

from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User

import db
from models import Role, Site
from services.accounts import auth
from tests.helpers.factories import PASSWORD, make_site, make_staff
from tests.helpers.login import log_in


def seed(role: Role = Role.MANAGER, **kw: object) -> Site:
    with db.session() as s:
        site = make_site(s, name='滨江·云庐售楼处')
        make_staff(s, site=site, role=role, name='王静', username='wangjing', phone='13800000001', **kw)
    return site


async def test_staff_pages_send_strangers_to_login(user: User) -> None:
    await user.open('/staff')
    await user.should_see('员工登录')


async def test_manager_logs_in_and_sees_their_site_and_menu(user: User) -> None:
    seed()
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.should_see('滨江·云庐售楼处')
    await user.should_see('员工')


async def test_wrong_password_is_refused_and_stays_on_login(user: User) -> None:
    seed()
    await log_in(user, password='not-it')
    await user.should_see('账号或密码错误', retries=30)
    await user.should_not_see('您好')


async def test_empty_fields_get_a_message(user: User) -> None:
    await user.open('/login')
    user.find(kind=ui.button, content='登录').click()
    await user.should_see('请输入手机号或用户名')


async def test_repeated_failures_lock_the_account(user: User) -> None:
    seed()
    for _ in range(auth.FREE_FAILURES + 1):
        await log_in(user, password='not-it')
        await user.should_see('账号或密码错误', retries=30)
    await log_in(user)
    await user.should_see('尝试次数过多', retries=30)


@pytest.mark.parametrize('login', ["' OR '1'='1", '<img src=x onerror=alert(1)>', 'x' * 10_000, '😀'])
async def test_hostile_logins_get_the_ordinary_message(user: User, login: str) -> None:
    await log_in(user, login=login, password="' OR '1'='1")
    await user.should_see('账号或密码错误', retries=30)


async def test_logout_ends_the_session(user: User) -> None:
    seed()
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.open('/logout')
    await user.should_see('员工登录')
    await user.open('/')
    await user.should_see('员工登录')


async def test_a_first_time_password_must_be_changed_first(user: User) -> None:
    seed(must_change_password=True)
    await log_in(user)
    await user.should_see('首次登录，请先修改密码', retries=30)
    await user.open('/staff')
    await user.should_see('首次登录，请先修改密码')
    user.find('当前密码').type(PASSWORD)
    user.find('新密码（至少 8 位）').type('brand-new-77')
    user.find('再次输入新密码').type('brand-new-77')
    user.find('保存新密码').click()
    await user.should_see('王静，您好', retries=20)
    await user.open('/staff')
    await user.should_see('添加员工')


async def test_mismatched_new_passwords_are_caught(user: User) -> None:
    seed()
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.open('/me')
    user.find('当前密码').type(PASSWORD)
    user.find('新密码（至少 8 位）').type('brand-new-77')
    user.find('再次输入新密码').type('brand-new-78')
    user.find('保存新密码').click()
    await user.should_see('两次输入的新密码不一致')


async def test_english_can_be_switched_on(user: User) -> None:
    await user.open('/login')
    user.find('English').click()
    await user.should_see('Log in')
    user.find(kind=ui.button, content='中文').click()
    await user.should_see('员工登录')


async def test_a_salesperson_lands_on_the_rotation(user: User) -> None:
    seed(Role.SALESPERSON)
    await log_in(user, 'wangjing')
    await user.should_see('接待轮序', retries=30)  # not 首页: its grid only repeats the bar for them
    await user.should_see(marker='desk')


async def test_opening_the_app_takes_a_salesperson_to_the_rotation_and_a_manager_home(
    user: User, create_user: Callable[[], User]
) -> None:
    """'/' is where the app opens (the installed app's start_url): 轮序 for a salesperson, 今日看板 for the manager."""
    site = seed()
    with db.session() as s:
        make_staff(s, site=site, name='李娜', username='lina')
    await log_in(user, 'lina')
    await user.should_see('接待轮序', retries=30)
    await user.open('/')
    await user.should_see('接待轮序', retries=30)
    assert user.client.page.path == '/rotation'
    bar = ''.join(str(e.content) for e in user.find(kind=ui.html).elements)
    assert 'href="/home"' in bar and 'href="/"' not in bar  # their 首页 is still in the bar
    await user.open('/home')
    await user.should_see('李娜，您好', retries=30)
    await user.should_see('来电登记')  # the shortcuts the bar has no room for
    manager = create_user()
    await log_in(manager)
    await manager.should_see('王静，您好', retries=30)  # logged in (opening '/' before that finds the login page)
    await manager.open('/')
    await manager.should_see('今日看板', retries=30)
