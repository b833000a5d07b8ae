"""Managing staff through the pages: roles, site scoping, live updates between phones."""

from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

import db
from models import Role, Site, Staff
from tests.helpers.factories import PASSWORD, make_site, make_staff
from tests.helpers.login import log_in


def seed() -> dict[str, Staff]:
    with db.session() as s:
        a, b = make_site(s, name='云庐'), make_site(s, name='西溪')
        return {
            'manager': make_staff(s, site=a, role=Role.MANAGER, name='王静', username='wangjing'),
            'sales': make_staff(s, site=a, name='李娜', username='lina'),
            'other': make_staff(s, site=b, name='别家员工', username='other'),
            'admin': make_staff(s, site=None, role=Role.ADMIN, name='管理员', username='boss'),
        }


async def test_a_salesperson_cannot_open_the_staff_page(user: User) -> None:
    seed()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.should_not_see('员工')
    await user.open('/staff')
    await user.should_see('您的角色无权打开此页面')
    await user.should_not_see('添加员工')


async def test_a_salesperson_cannot_open_the_sites_page(user: User) -> None:
    seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/sites')
    await user.should_see('您的角色无权打开此页面')


async def test_a_manager_sees_only_their_own_site(user: User) -> None:
    seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/staff')
    await user.should_see('李娜')
    await user.should_not_see('别家员工')
    await user.open('/staff?site=2')  # asking for another site changes nothing
    await user.should_not_see('别家员工')


async def test_a_manager_adds_a_salesperson_who_can_then_log_in(user: User, create_user: Callable[[], User]) -> None:
    people = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/staff')
    user.find('添加员工').click()
    user.find('姓名').type('周杰')
    user.find('手机号').type('137 0000 0001')
    mentor = next(iter(user.find('带教师傅（入职首月必填）').elements))
    mentor.value = people['sales'].id  # what picking 李娜 in the list does
    user.find(kind=ui.button, content='保存').click()
    await user.should_see('周杰 的初始密码', retries=30)
    password = next(iter(user.find(marker='one-time-password').elements)).text
    newcomer = create_user()
    await log_in(newcomer, '13700000001', password)
    await newcomer.should_see('首次登录，请先修改密码', retries=30)


async def test_bad_fields_show_messages_and_store_nothing(user: User) -> None:
    seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/staff')
    user.find('添加员工').click()
    user.find('姓名').type('<script>alert(1)</script>')
    user.find('手机号').type('12345')
    user.find(kind=ui.button, content='保存').click()
    await user.should_see('请输入正确的11位手机号', retries=20)
    with db.session() as s:
        assert s.exec(select(Staff).where(Staff.name == '<script>alert(1)</script>')).first() is None


async def test_deactivating_shows_on_every_managers_phone_and_ends_the_session(
    user: User, create_user: Callable[[], User]
) -> None:
    people = seed()
    salesperson = create_user()
    await log_in(salesperson, 'lina')
    await salesperson.should_see('李娜，您好', retries=30)
    second = create_user()
    for phone in (user, second):
        await log_in(phone, 'wangjing')
        await phone.should_see('王静，您好', retries=30)
        await phone.open('/staff')
    user.find(marker=f'toggle-{people["sales"].id}').click()
    await user.should_see('停用 李娜？')  # asked first: one tap never locks someone out
    await second.should_not_see('已停用')
    user.find(marker='confirm-deactivate').click()
    await second.should_see('已停用', retries=30)
    await salesperson.open('/')
    await salesperson.should_see('员工登录')


async def test_the_admin_adds_a_site_and_a_manager_for_it(user: User) -> None:
    seed()
    await log_in(user, 'boss')
    await user.should_see('管理员，您好', retries=30)
    await user.open('/sites')
    user.find('新建项目').click()
    user.find('项目名称').type('湖畔·春晓')
    user.find('项目编号').type('hp01')
    user.find(kind=ui.button, content='保存').click()
    await user.should_see('HP01', retries=30)
    with db.session() as s:
        site = s.exec(select(Site).where(Site.code == 'HP01')).one()
    await user.open(f'/staff?site={site.id}')
    user.find('添加员工').click()
    user.find('姓名').type('孙经理')
    user.find('手机号').type('13700000009')
    user.find('角色').click()
    user.find('销售经理').click()
    user.find(kind=ui.button, content='保存').click()
    await user.should_see('孙经理 的初始密码', retries=30)
    with db.session() as s:
        manager = s.exec(select(Staff).where(Staff.phone == '13700000009')).one()
    assert (manager.role, manager.site_id) == (Role.MANAGER, site.id)


async def test_a_10000_character_name_is_refused_clearly(user: User) -> None:
    seed()
    await log_in(user, 'wangjing', PASSWORD)
    await user.should_see('王静，您好', retries=30)
    await user.open('/staff')
    user.find('添加员工').click()
    user.find('姓名').type('长' * 10_000)
    user.find('手机号').type('13700000001')
    user.find(kind=ui.button, content='保存').click()
    await user.should_see('不能超过 40 个字', retries=20)


async def test_resetting_a_password_is_asked_first(user: User) -> None:
    people = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/staff')
    user.find(marker=f'reset-{people["sales"].id}').click()
    await user.should_see('重置 李娜 的密码？')
    await user.should_not_see('我已记下')  # nothing changed yet
    user.find(marker='confirm-reset').click()
    await user.should_see('我已记下', retries=30)
