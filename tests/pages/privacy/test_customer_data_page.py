"""The manager's 个人信息 page: export a customer's data as a file, anonymise it with a reason."""

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

import db
from models import AuditLog, Customer, Role
from services import privacy
from tests.helpers.factories import PASSWORD, make_site, make_staff


def seed() -> int:
    with db.session() as s:
        site = make_site(s, name='滨江·云庐售楼处')
        make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        make_staff(s, site=site, role=Role.SALESPERSON, name='李娜', username='lina')
        customer = Customer(site_id=site.id or 0, surname='陈', title='先生', phone='13912345678')
        s.add(customer)
        s.commit()
        return customer.id or 0


async def log_in(user: User, login: str) -> None:
    await user.open('/login')
    user.find('手机号或用户名').type(login)
    user.find('密码').type(PASSWORD)
    user.find(kind=ui.button, content='登录').click()
    await user.should_see('您好', retries=30)


async def test_the_manager_exports_and_anonymises_a_customer(user: User) -> None:
    customer_id = seed()
    await log_in(user, 'wangjing')
    await user.open(f'/customers/{customer_id}')
    user.find(marker='customer-data').click()
    await user.should_see(marker='privacy-name', retries=30)
    await user.should_see('陈先生')
    user.find(marker='privacy-export').click()
    await user.should_see('陈先生')
    for _ in range(50):
        with db.session() as s:
            if s.exec(select(AuditLog).where(AuditLog.action == 'export_customer')).first():
                break
        await user.should_see('陈先生')
    user.find(marker='privacy-anonymise').click()
    user.find(marker='privacy-reason').type('客户本人要求删除')
    user.find(marker='privacy-confirm').click()
    await user.should_see('个人信息已删除', retries=30)
    with db.session() as s:
        customer = s.get(Customer, customer_id)
        assert customer is not None and customer.surname == privacy.ANONYMOUS and customer.anonymised_at
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.entity_id == customer_id))]
    assert 'export_customer' in actions and 'anonymise_customer' in actions


async def test_a_salesperson_cannot_open_it(user: User) -> None:
    customer_id = seed()
    await log_in(user, 'lina')
    await user.open(f'/customers/{customer_id}/data')
    await user.should_see('您的角色无权打开此页面')
    await user.should_not_see('导出个人信息')
