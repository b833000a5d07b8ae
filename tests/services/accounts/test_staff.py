"""Managers run their own site's salespeople; the admin runs sites and managers; every change is logged."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from models import AuditLog, Role, Staff
from services.accounts import auth
from services.accounts import staff as service
from services.core.errors import NotFound, PermissionDenied, ValidationError
from tests.helpers.factories import make_site, make_staff


def form(**kw: object) -> service.StaffForm:
    values: dict = {'name': '周杰', 'phone': '13700000001', 'joined_on': date.today() - timedelta(days=400)} | kw
    return service.StaffForm(**values)


@pytest.fixture
def two_sites(session: Session) -> dict[str, Staff]:
    a, b = make_site(session, name='A 项目'), make_site(session, name='B 项目')
    return {
        'manager_a': make_staff(session, site=a, role=Role.MANAGER),
        'sales_a': make_staff(session, site=a, name='甲'),
        'manager_b': make_staff(session, site=b, role=Role.MANAGER),
        'sales_b': make_staff(session, site=b, name='乙'),
        'admin': make_staff(session, site=None, role=Role.ADMIN),
    }


def test_a_manager_adds_a_salesperson_with_a_one_time_password(session: Session, two_sites: dict) -> None:
    manager = two_sites['manager_a']
    staff, password = service.create_staff(session, actor=manager, form=form(site_id=999))
    assert (staff.site_id, staff.role, staff.must_change_password) == (manager.site_id, Role.SALESPERSON, True)
    assert auth.authenticate(session, login='13700000001', password=password, client='c').id == staff.id
    entry = session.exec(select(AuditLog).where(AuditLog.action == 'create_staff')).one()
    assert entry.actor_id == manager.id and entry.after and 'password_hash' not in entry.after


def test_a_manager_never_sees_or_touches_another_site(session: Session, two_sites: dict) -> None:
    manager, other = two_sites['manager_a'], two_sites['sales_b']
    assert {s.site_id for s in service.list_staff(session, actor=manager)} == {manager.site_id}
    with pytest.raises(PermissionDenied):
        service.list_staff(session, actor=manager, site_id=other.site_id)
    for action in (
        lambda: service.update_staff(session, actor=manager, staff_id=other.id, form=form()),
        lambda: service.set_active(session, actor=manager, staff_id=other.id, active=False),
        lambda: service.reset_password(session, actor=manager, staff_id=other.id),
    ):
        with pytest.raises(NotFound):
            action()


def test_salespeople_cannot_manage_staff(session: Session, two_sites: dict) -> None:
    with pytest.raises(PermissionDenied):
        service.list_staff(session, actor=two_sites['sales_a'])
    with pytest.raises(PermissionDenied):
        service.create_staff(session, actor=two_sites['sales_a'], form=form())


def test_only_the_admin_makes_managers(session: Session, two_sites: dict) -> None:
    with pytest.raises(PermissionDenied):
        service.create_staff(session, actor=two_sites['manager_a'], form=form(role=Role.MANAGER))
    with pytest.raises(PermissionDenied):
        service.update_staff(session, actor=two_sites['manager_a'], staff_id=two_sites['manager_a'].id, form=form())
    site_b = two_sites['manager_b'].site_id
    staff, _ = service.create_staff(session, actor=two_sites['admin'], form=form(role=Role.MANAGER, site_id=site_b))
    assert (staff.role, staff.site_id) == (Role.MANAGER, site_b)
    with pytest.raises(ValidationError):
        service.create_staff(session, actor=two_sites['admin'], form=form(role=Role.ADMIN, phone='13700000002'))


def test_deactivation_ends_sessions_and_login(session: Session, two_sites: dict) -> None:
    person = two_sites['sales_a']
    service.set_active(session, actor=two_sites['manager_a'], staff_id=person.id, active=False)
    assert auth.session_staff(session, staff_id=person.id, epoch=0, logged_in_at=0.0, max_hours=1e9) is None
    with pytest.raises(ValidationError, match='不能停用自己'):
        service.set_active(session, actor=two_sites['admin'], staff_id=two_sites['admin'].id, active=False)


def test_first_month_salespeople_need_a_mentor_of_the_same_site(session: Session, two_sites: dict) -> None:
    manager = two_sites['manager_a']
    new = form(joined_on=date.today())
    with pytest.raises(ValidationError, match='带教师傅'):
        service.create_staff(session, actor=manager, form=new)
    with pytest.raises(ValidationError, match='带教师傅'):
        service.create_staff(
            session, actor=manager, form=form(joined_on=date.today(), mentor_id=two_sites['sales_b'].id)
        )
    staff, _ = service.create_staff(
        session, actor=manager, form=form(joined_on=date.today(), mentor_id=two_sites['sales_a'].id)
    )
    assert staff.mentor_id == two_sites['sales_a'].id and service.in_first_month(staff)


@pytest.mark.parametrize(
    ('field', 'values'),
    [
        ('name', {'name': ''}),
        ('name', {'name': '长' * 41}),
        ('phone', {'phone': '12345'}),
        ('phone', {'phone': '<script>alert(1)</script>'}),
        ('username', {'username': '1abc'}),
        ('name', {'name': '   '}),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_stored(
    session: Session, two_sites: dict, field: str, values: dict
) -> None:
    before = len(service.list_staff(session, actor=two_sites['manager_a']))
    with pytest.raises(ValidationError) as error:
        service.create_staff(session, actor=two_sites['manager_a'], form=form(**values))
    assert error.value.field == field
    assert len(service.list_staff(session, actor=two_sites['manager_a'])) == before


def test_a_phone_or_username_in_use_is_refused(session: Session, two_sites: dict) -> None:
    taken = two_sites['sales_b']
    assert taken.phone
    with pytest.raises(ValidationError, match='已被其他账号使用'):
        service.create_staff(session, actor=two_sites['manager_a'], form=form(phone=taken.phone))
    with pytest.raises(ValidationError, match='已被其他账号使用'):
        service.create_staff(session, actor=two_sites['manager_a'], form=form(username=taken.username or ''))


def test_html_in_a_name_is_stored_as_text(session: Session, two_sites: dict) -> None:
    staff, _ = service.create_staff(session, actor=two_sites['manager_a'], form=form(name='<b>周</b>😀'))
    assert staff.name == '<b>周</b>😀'
