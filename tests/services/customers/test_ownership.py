"""Customer ownership: protection, masking, transfer and merge with a reason in the audit log."""

from datetime import timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import Session, select

import db
from models import AuditLog, Customer, Role, utcnow
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.customers import ownership
from services.customers import search as customers
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive, finish, staffed_site, visit


def owned_customer(session: Session) -> tuple:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone='13912340000')
    finish(a, first.visit_id)
    with db.session() as s:
        customer = s.get(Customer, visit(first.visit_id).customer_id)
    return site, a, b, customer


def test_phones_are_masked_for_everyone_but_the_owner_and_managers(session: Session) -> None:
    site, a, b, customer = owned_customer(session)
    manager = make_staff(session, site=site, role=Role.MANAGER)
    assert ownership.visible_phone(a, customer) == '13912340000'
    assert ownership.visible_phone(manager, customer) == '13912340000'
    assert ownership.visible_phone(b, customer) == '139****0000'
    assert [r.phone for r in customers.search(session, actor=b, query='1391234')] == ['139****0000']


def test_the_owners_contact_renews_protection(session: Session) -> None:
    site, a, _b, customer = owned_customer(session)
    later = utcnow() + timedelta(days=20)
    ownership.record_contact(customer, site, later, staff_id=a.id)
    assert customer.protected_until == later + timedelta(days=30)


def test_a_colleagues_contact_does_not_renew_the_owners_protection(session: Session) -> None:
    site, _a, b, customer = owned_customer(session)
    until = customer.protected_until
    later = utcnow() + timedelta(days=20)
    ownership.record_contact(customer, site, later, staff_id=b.id)
    assert customer.protected_until == until and customer.last_contact_at == later


def test_a_lapsed_customer_is_in_the_pool_and_no_call_revives_the_old_owner(session: Session) -> None:
    site, a, b, customer = owned_customer(session)
    lapsed = utcnow() + timedelta(days=31)
    assert ownership.in_pool(customer, lapsed)
    for caller in (b, a):
        ownership.record_contact(customer, site, lapsed, staff_id=caller.id)
        assert ownership.in_pool(customer, lapsed + timedelta(seconds=1))


def test_a_transfer_to_a_first_month_trainee_is_refused(session: Session) -> None:
    site, a, _b, customer = owned_customer(session)
    manager = make_staff(session, site=site, role=Role.MANAGER)
    trainee = make_staff(session, site=site, name='新人', days_employed=5, mentor=a)
    with pytest.raises(ValidationError, match='入职首月'):
        ownership.transfer(session, actor=manager, customer_id=customer.id, new_owner_id=trainee.id, reason='试试')
    assert session.get(Customer, customer.id).owner_id == a.id  # type: ignore[union-attr]


def test_the_manager_transfers_with_a_reason_in_the_audit_log(session: Session) -> None:
    site, a, b, customer = owned_customer(session)
    manager = make_staff(session, site=site, role=Role.MANAGER)
    with pytest.raises(ValidationError, match='必填'):
        ownership.transfer(session, actor=manager, customer_id=customer.id, new_owner_id=b.id, reason='')
    ownership.transfer(session, actor=manager, customer_id=customer.id, new_owner_id=b.id, reason='甲离职交接')
    entry = session.exec(select(AuditLog).where(AuditLog.action == 'transfer_customer')).one()
    assert entry.before and entry.before['owner_id'] == a.id
    assert entry.after and entry.after['owner_id'] == b.id and entry.after['reason'] == '甲离职交接'
    with pytest.raises(PermissionDenied):
        customers.find_by_phone(session, actor=a, phone='13912340000')
    with pytest.raises(NotFound):
        ownership.transfer(session, actor=a, customer_id=customer.id, new_owner_id=a.id, reason='mine')


def test_merging_duplicates_keeps_one_record_and_routes_the_other_phone_to_it(session: Session) -> None:
    site, a, b, customer = owned_customer(session)
    manager = make_staff(session, site=site, role=Role.MANAGER)
    second = arrive(site, phone='13912340001')
    finish(b, second.visit_id)
    duplicate = customers.find_by_phone(session, actor=manager, phone='13912340001')
    ownership.merge(session, actor=manager, keep_id=customer.id, merge_id=duplicate.id, reason='同一家庭')
    again = visit(arrive(site, phone='13912340001').visit_id)
    assert again.customer_id == customer.id and again.assigned_id == a.id and again.by_owner
    assert [r.id for r in customers.search(session, actor=manager, query='1391234')] == [customer.id]


def test_another_sites_customers_are_invisible(session: Session) -> None:
    _site, a, _b, _customer = owned_customer(session)
    stranger = make_staff(session, site=make_site(session), role=Role.MANAGER)
    assert customers.search(session, actor=stranger) == []
    with pytest.raises(NotFound):
        customers.find_by_phone(session, actor=stranger, phone='13912340000')
    assert customers.search(session, actor=a)[0].owned_by_me


async def test_the_customers_page_masks_and_the_manager_transfers(user: User) -> None:
    with db.session() as s:
        site = make_site(s)
        make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        colleague = make_staff(s, site=site, name='乙', username='yi')
    await log_in(user, 'yi')
    await user.should_see('乙，您好', retries=30)
    with db.session() as s:
        s.add(Customer(site_id=site.id or 0, surname='王', title='先生', phone='13912340000', owner_id=None))
        s.commit()
    await user.open('/customers')
    await user.should_see('王先生 · 139****0000')
    await user.should_see('公共客户池')
    await user.open('/logout')
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/customers?q=1391234')
    await user.should_see('王先生 · 13912340000')
    user.find(marker='transfer-1').click()
    await user.should_see('转移 王先生 的归属')
    user.find(kind=ui.input, content='原因').type('重新分配')
    user.find(marker='confirm').click()
    await user.should_see('新的归属人须是本项目在职员工', retries=30)  # nobody chosen yet
    next(iter(user.find(kind=ui.select, content='新的归属人').elements)).value = colleague.id
    user.find(marker='confirm').click()
    await user.should_see('归属 乙，保护至', retries=30)
