"""The reception record (客户信息资料表): written before a reception can end; it feeds grades and follow-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

import db
from models import ContactKind, Customer, ReceptionRecord, Role, Site, Staff, Visit, VisitStatus, utcnow
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text, normalise_phone
from services.customers import contacts, followups

AGE_BANDS = ('25岁以下', '26-35岁', '36-45岁', '46-55岁', '56岁以上')
PURPOSES = ('自住', '改善', '投资')
UNIT_TYPES = ('一房', '两房', '三房', '四房及以上', '别墅', '商铺')
PAYMENTS = ('一次性', '商业贷款', '公积金贷款', '组合贷款')
AREA_RANGE, BUDGET_RANGE = (10, 2000), (1, 100_000)  # m², 万元


@dataclass
class RecordForm:
    """What the salesperson fills in on the phone; everything but name, title and grade may stay empty."""

    name: str
    title: str
    grade: str
    other_phone: str = ''
    age_band: str = ''
    residence: str = ''
    work_area: str = ''
    family: str = ''
    channel: str = ''
    purpose: str = ''
    unit_type: str = ''
    area_wanted: int | str | None = None
    budget_wan: int | str | None = None
    payment: str = ''
    cares: list[str] = field(default_factory=list)
    objections: list[str] = field(default_factory=list)
    next_follow_up_on: date | None = None
    next_method: str = '电话'
    notes: str = ''
    version: int | None = None  # the customer's version the form was opened on


def prefill(session: Session, *, actor: Staff, visit_id: int) -> RecordForm:
    """The form as the visitor signed in (or as the last record left it), with the day after tomorrow to follow up."""
    _, customer = _visit(session, actor, visit_id)
    query = select(ReceptionRecord).where(ReceptionRecord.customer_id == customer.id)
    last = session.exec(query.order_by(col(ReceptionRecord.id).desc())).first()
    form = RecordForm(name=customer.surname, title=customer.title, grade=customer.grade or '', channel=customer.channel)
    if last is not None:
        for key in ('other_phone', 'age_band', 'residence', 'work_area', 'family', 'purpose', 'unit_type', 'payment'):
            setattr(form, key, getattr(last, key))
        form.area_wanted, form.budget_wan, form.cares = last.area_wanted, last.budget_wan, list(last.cares)
    form.unit_type = form.unit_type or _interest(customer, 'unit_type', UNIT_TYPES)
    form.area_wanted = form.area_wanted or _midpoint(customer, 'area')
    form.budget_wan = form.budget_wan or _midpoint(customer, 'budget')
    site = contacts.site_of(session, actor)
    form.next_follow_up_on, form.version = contacts.local_today(site, utcnow()) + timedelta(days=2), customer.version
    return form


def save(
    session: Session, *, actor: Staff, visit_id: int, form: RecordForm, now: datetime | None = None
) -> ReceptionRecord:
    """Write (or rewrite) the visit's record; the grade and the next follow-up go to the customer."""
    now = now or utcnow()
    db.begin_write(session)  # it reads, then writes: take the write lock first
    visit, customer = _visit(session, actor, visit_id)
    record = _write(session, actor, visit, customer, contacts.site_of(session, actor), form, now)
    session.commit()
    return record


def write_locked(
    session: Session, *, actor: Staff, visit_id: int, site: Site, form: RecordForm, now: datetime
) -> Visit:
    """The record written inside the caller's site lock (ending a reception); returns the visit it belongs to."""
    visit, customer = _visit(session, actor, visit_id)
    _write(session, actor, visit, customer, site, form, now)
    return visit


def _write(
    session: Session, actor: Staff, visit: Visit, customer: Customer, site: Site, form: RecordForm, now: datetime
) -> ReceptionRecord:
    record = session.exec(select(ReceptionRecord).where(ReceptionRecord.visit_id == visit.id)).first()
    record = record or ReceptionRecord(
        site_id=visit.site_id,
        visit_id=visit.id or 0,
        customer_id=customer.id or 0,
        staff_id=actor.id or 0,
        name='',
        title='',
        grade='',
    )
    _fill(record, form, site, contacts.local_today(site, now))
    contacts.check_version(customer, form.version)
    customer.surname, customer.title = record.name, record.title
    customer.channel = record.channel or customer.channel
    contacts.set_grade(session, customer, record.grade, staff_id=actor.id, at=now)
    contacts.log(
        session,
        customer,
        kind=ContactKind.RECORD,
        at=now,
        staff_id=actor.id,
        summary=summary(record),
        grade=record.grade,
    )
    if record.next_follow_up_on and customer.follow_up:
        followups.schedule(
            session,
            customer,
            staff_id=customer.owner_id or actor.id or 0,
            due_on=record.next_follow_up_on,
            method=record.next_method,
            created_by=actor,
        )
    session.add(record)
    audit.record(
        session,
        actor=actor,
        action='save_record',
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
        after=audit.snapshot(record),
    )
    return record


def summary(record: ReceptionRecord) -> str:
    """One line for the timeline and the daily analysis."""
    parts = [record.purpose, record.unit_type, f'{record.area_wanted}㎡' if record.area_wanted else '']
    parts += [
        f'{record.budget_wan}万' if record.budget_wan else '',
        '抗性：' + '、'.join(record.objections) if record.objections else '',
    ]
    return ' · '.join(p for p in [*parts, record.notes] if p)


def _fill(record: ReceptionRecord, form: RecordForm, site: Site, today: date) -> None:
    record.name = clean_text(form.name, field='name', max_length=20, required=True)
    if form.title not in ('先生', '女士'):
        raise ValidationError('title', '请选择先生或女士')
    if form.grade not in contacts.GRADES:
        raise ValidationError('grade', '请选择意向等级 A/B/C/D')
    record.title, record.grade = form.title, form.grade
    record.other_phone = normalise_phone(form.other_phone, field='other_phone') if form.other_phone.strip() else ''
    for key, choices in (
        ('age_band', AGE_BANDS),
        ('purpose', PURPOSES),
        ('unit_type', UNIT_TYPES),
        ('payment', PAYMENTS),
    ):
        setattr(record, key, _choice(getattr(form, key), choices, key))
    for key in ('residence', 'work_area', 'family', 'channel'):
        setattr(record, key, clean_text(getattr(form, key), field=key, max_length=40))
    record.area_wanted = _number(form.area_wanted, 'area_wanted', AREA_RANGE, '意向面积请填 {low}–{high} 平方米')
    record.budget_wan = _number(form.budget_wan, 'budget_wan', BUDGET_RANGE, '预算请填 {low}–{high} 万元')
    record.cares = _from_list(form.cares, contacts.setting(site, 'cares'), record.cares, 'cares')
    record.objections = _from_list(
        form.objections, contacts.setting(site, 'objections'), record.objections, 'objections'
    )
    record.next_follow_up_on = followups.followup_date(form.next_follow_up_on, today)
    record.next_method = clean_text(form.next_method, field='next_method', max_length=12)
    record.notes = clean_text(form.notes, field='notes', max_length=500)


def _from_list(given: list[str], offered: list[str], kept: list[str] | None, key: str) -> list[str]:
    """Choices from the site's list (or already on the record, should the manager have dropped one since)."""
    allowed = set(offered) | set(kept or [])
    chosen = [c for c in dict.fromkeys(given[:10]) if c]
    if any(c not in allowed for c in chosen):
        raise ValidationError(key, '请从选项中选择')
    return chosen


def _choice(value: str, choices: tuple[str, ...], key: str) -> str:
    if value and value not in choices:
        raise ValidationError(key, '请从选项中选择')
    return value or ''


def _number(raw: int | str | None, key: str, bounds: tuple[int, int], message: str) -> int | None:
    text = str(raw if raw is not None else '').strip()
    if not text:
        return None
    try:
        value = round(float(text))
    except ValueError:
        raise ValidationError(key, message, low=bounds[0], high=bounds[1]) from None
    if not bounds[0] <= value <= bounds[1]:
        raise ValidationError(key, message, low=bounds[0], high=bounds[1])
    return value


def _interest(customer: Customer, key: str, choices: tuple[str, ...]) -> str:
    value = str(customer.interests.get(key, '')) if isinstance(customer.interests, dict) else ''
    return value if value in choices else ''


def _midpoint(customer: Customer, key: str) -> int | None:
    """'90–120㎡' as 105, '200万以下' as 200: a starting value the salesperson corrects."""
    numbers = [int(n) for n in re.findall(r'\d+', str(customer.interests.get(key, '')))]
    return sum(numbers) // len(numbers) if numbers else None


def _visit(session: Session, actor: Staff, visit_id: int) -> tuple[Visit, Customer]:
    """A visit the actor received (a manager: any of the site's), with its customer."""
    authz.require(actor, contacts.ON_SITE)
    query = select(Visit, Customer).join(Customer, col(Customer.id) == Visit.customer_id).where(Visit.id == visit_id)
    found = session.exec(query).first()
    if found is None:
        raise NotFound()
    visit, customer = found
    if visit.site_id != actor.site_id or visit.status == VisitStatus.INVALID:
        raise NotFound()
    if actor.role == Role.SALESPERSON and actor.id != visit.assigned_id:
        raise NotFound()
    return visit, customer
