"""PIPL: a manager exports one customer's data and anonymises it on request (reason audited, statistics kept);
customers past their site's retention are anonymised by the sweep, once across processes."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

import db
from models import (
    AuditLog,
    Complaint,
    Customer,
    PhoneCall,
    ReceptionRecord,
    Role,
    Site,
    Staff,
    Visit,
    utcnow,
)
from services import group, privacy
from services.accounts import sites
from services.core.errors import NotFound, ValidationError
from services.customers import records
from services.group.jobs import Leases
from tests.helpers.customers import form, received
from tests.helpers.factories import make_site, make_staff
from tests.helpers.rotation import manager_of, staffed_site


def demo(session: Session) -> tuple[Site, Staff, Customer]:
    """A site, its manager, and a received customer with a reception record, a complaint and a call."""
    site, (lina,) = staffed_site(session, ['李娜'])
    manager = manager_of(session, site)
    v = received(site, lina, phone='13911112222')
    with db.session() as s:
        records.save(s, actor=lina, visit_id=v.id or 0, form=form('A', other_phone='13633334444', notes='住在滨江'))
    customer = session.exec(select(Customer).where(Customer.id == v.customer_id)).one()
    now = utcnow()
    session.add(
        Complaint(
            site_id=site.id or 0,
            customer_id=customer.id or 0,
            channel='来访',
            category='other',
            severity='normal',
            what_happened='王先生说车位太少',
            taken_by_id=lina.id or 0,
            acknowledge_due_at=now,
            resolve_due_at=now,
        )
    )
    session.add(
        PhoneCall(
            site_id=site.id or 0,
            surname=customer.surname,
            phone=customer.phone,
            answered_by_id=manager.id or 0,
            customer_id=customer.id,
            asked='问价格',
        )
    )
    session.commit()
    return site, manager, customer


def count(session: Session, model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return session.exec(query).one()


def test_the_export_holds_everything_about_the_customer(session: Session) -> None:
    _, manager, customer = demo(session)
    data = privacy.export_customer(session, actor=manager, customer_id=customer.id or 0)
    assert data['customer']['phone'] == customer.phone and data['customer']['surname'] == customer.surname
    assert len(data['visits']) == count(session, Visit, customer_id=customer.id) > 0
    assert data['reception_records'] and data['complaints'] and data['calls'][0]['asked'] == '问价格'
    parsed = json.loads(privacy.export_json(data).decode('utf-8'))
    assert parsed['customer']['surname'] == customer.surname  # Chinese as itself, a file a person can read
    assert session.exec(select(AuditLog).where(AuditLog.action == 'export_customer')).one().actor_id == manager.id


def test_only_the_sites_manager_may_export_or_anonymise(session: Session) -> None:
    _, _, customer = demo(session)
    other = make_staff(session, site=make_site(session), role=Role.MANAGER, name='孙经理')
    salesperson = session.exec(select(Staff).where(Staff.role == Role.SALESPERSON)).first()
    for actor in (other, salesperson):
        with pytest.raises(NotFound):
            privacy.export_customer(session, actor=actor, customer_id=customer.id or 0)
        with pytest.raises(NotFound):
            privacy.anonymise_customer(session, actor=actor, customer_id=customer.id or 0, reason='客户要求')


def test_anonymising_removes_the_person_and_keeps_the_statistics(session: Session) -> None:
    _, manager, customer = demo(session)
    phone, visits, grade = customer.phone, count(session, Visit, customer_id=customer.id), customer.grade
    with pytest.raises(ValidationError):
        privacy.anonymise_customer(session, actor=manager, customer_id=customer.id or 0, reason='  ')
    privacy.anonymise_customer(session, actor=manager, customer_id=customer.id or 0, reason='客户本人要求删除')
    with db.session() as s:
        after = s.get(Customer, customer.id)
        assert after is not None and after.anonymised_at is not None
        assert after.surname == privacy.ANONYMOUS and after.phone != phone and not after.phone.isdigit()
        assert count(s, Visit, customer_id=customer.id) == visits and after.grade == grade  # the counts stay
        for record in s.exec(select(ReceptionRecord).where(ReceptionRecord.customer_id == customer.id)):
            assert record.name == privacy.ANONYMOUS and record.other_phone == '' and record.notes == ''
        assert all(c.phone != phone for c in s.exec(select(PhoneCall)))
        assert all(
            c.what_happened == privacy.ANONYMOUS
            for c in s.exec(select(Complaint).where(Complaint.customer_id == customer.id))
        )
        audit = s.exec(select(AuditLog).where(AuditLog.action == 'anonymise_customer')).one()
        assert audit.actor_id == manager.id and audit.after == {'reason': '客户本人要求删除'}
        snapshots = json.dumps([r.after for r in s.exec(select(AuditLog).where(AuditLog.entity_id == customer.id))])
        assert phone not in snapshots
        exported = privacy.export_customer(s, actor=manager, customer_id=customer.id or 0)
        assert phone not in privacy.export_json(exported).decode()


def customer_last_seen(session: Session, site: Site, phone: str, days_ago: int) -> Customer:
    at = utcnow() - timedelta(days=days_ago)
    customer = Customer(
        site_id=site.id or 0, surname='林', title='女士', phone=phone, last_contact_at=at, created_at=at
    )
    session.add(customer)
    session.commit()
    return customer


def test_the_sweep_anonymises_customers_past_the_sites_retention(session: Session) -> None:
    site = make_site(session)
    long_gone = customer_last_seen(session, site, '13900000001', days_ago=2 * 366)
    recent = customer_last_seen(session, site, '13900000002', days_ago=300)
    patient = make_site(session)
    sites_settings = {**patient.settings, 'retention_years': 5}
    patient.settings = sites_settings
    session.commit()
    kept_longer = customer_last_seen(session, patient, '13900000003', days_ago=3 * 366)
    assert sites.setting(site, 'retention_years') == 2  # the default
    assert privacy.anonymise_expired(session) == 1
    assert privacy.anonymise_expired(session) == 0  # nothing left: a second run (or process) does nothing
    with db.session() as s:
        assert s.get(Customer, long_gone.id).surname == privacy.ANONYMOUS  # type: ignore[union-attr]
        assert s.get(Customer, recent.id).surname == '林'  # type: ignore[union-attr]
        assert s.get(Customer, kept_longer.id).surname == '林'  # type: ignore[union-attr]
        reason = s.exec(select(AuditLog).where(AuditLog.action == 'anonymise_customer')).one().after
        assert reason == {'reason': 'retention', 'years': 2}


def test_the_sweep_runs_in_the_one_process_holding_the_job(session: Session, database_url: str) -> None:
    site = make_site(session)
    customer_last_seen(session, site, '13900000001', days_ago=800)
    if not database_url.startswith('postgresql'):
        pytest.skip('SQLite: one process, which always holds its jobs (tests/services/group)')
    other = Leases(make_url(database_url).set(drivername='postgresql').render_as_string(hide_password=False))
    group.join(db.get_engine())
    try:
        assert other.hold('retention')  # another process of the group took the job first...
        with db.session() as s:
            assert privacy.anonymise_expired(s) == 0  # ...so this one leaves it to them
        other.close()  # that process is gone: this one takes the job over
        with db.session() as s:
            assert privacy.anonymise_expired(s) == 1
    finally:
        other.close()
        group.leave()
