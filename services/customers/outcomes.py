"""Outcomes: a deal (成交) or no deal with a reason; the manager decides whether a cold customer is still followed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from models import ContactKind, Customer, Role, Staff, utcnow
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text
from services.customers import contacts, followups

MAX_DEAL_WAN = 100_000  # 10 亿元: anything above is a typo


def deal(
    session: Session,
    *,
    actor: Staff,
    customer_id: int,
    unit: str,
    amount_wan: float | str,
    on: date,
    version: int | None = None,
    now: datetime | None = None,
) -> Customer:
    """成交: the unit, the amount (万元) and the day; nothing is left to follow up."""
    now = now or utcnow()
    customer = _editable(session, actor, customer_id, version)
    customer.deal_unit = clean_text(unit, field='unit', max_length=30, required=True)
    customer.deal_amount_wan = _amount(amount_wan)
    site = contacts.site_of(session, actor)
    if not contacts.local_today(site, now) - timedelta(days=366) <= on <= contacts.local_today(site, now):
        raise ValidationError('on', '成交日期须在过去一年内，且不晚于今天')
    customer.outcome, customer.outcome_on, customer.lost_reason = 'deal', on, ''
    followups.cancel_open(session, customer.id or 0)
    summary = f'成交 {customer.deal_unit} · {customer.deal_amount_wan:g} 万'
    return _finish(session, actor, customer, summary, now)


def no_deal(
    session: Session,
    *,
    actor: Staff,
    customer_id: int,
    reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Customer:
    """未成交 with a reason from the site's list; the manager then decides whether to keep following up."""
    now = now or utcnow()
    customer = _editable(session, actor, customer_id, version)
    if reason not in contacts.setting(contacts.site_of(session, actor), 'no_deal_reasons'):
        raise ValidationError('reason', '请从列表中选择未成交原因')
    customer.outcome, customer.outcome_on, customer.lost_reason = (
        'lost',
        contacts.local_today(contacts.site_of(session, actor), now),
        reason,
    )
    return _finish(session, actor, customer, f'未成交：{reason}', now)


def keep_following(
    session: Session, *, actor: Staff, customer_id: int, keep: bool, now: datetime | None = None
) -> Customer:
    """The manager's decision on a cold customer: still followed up, or let go (open follow-ups are cancelled)."""
    authz.require(actor, authz.MANAGERS)
    customer = contacts.customer_of(session, actor, customer_id)
    before = audit.snapshot(customer)
    customer.follow_up = bool(keep)
    if not keep:
        followups.cancel_open(session, customer.id or 0)
    audit.record(
        session,
        actor=actor,
        action='keep_following',
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
        before=before,
        after=audit.snapshot(customer),
    )
    contacts.log(
        session,
        customer,
        kind=ContactKind.OUTCOME,
        at=now or utcnow(),
        staff_id=actor.id,
        summary='继续追访' if keep else '不再追访',
    )
    session.commit()
    return customer


def _editable(session: Session, actor: Staff, customer_id: int, version: int | None) -> Customer:
    """The owner or a manager may record an outcome."""
    customer = contacts.customer_of(session, actor, customer_id)
    if actor.role == Role.SALESPERSON and customer.owner_id != actor.id:
        raise NotFound()
    contacts.check_version(customer, version)
    return customer


def _amount(raw: float | str) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValidationError('amount', '成交金额请填 1–{n} 万元', n=MAX_DEAL_WAN) from None
    if not 1 <= value <= MAX_DEAL_WAN:
        raise ValidationError('amount', '成交金额请填 1–{n} 万元', n=MAX_DEAL_WAN)
    return round(value, 2)


def _finish(session: Session, actor: Staff, customer: Customer, summary: str, now: datetime) -> Customer:
    contacts.log(session, customer, kind=ContactKind.OUTCOME, at=now, staff_id=actor.id, summary=summary)
    audit.record(
        session,
        actor=actor,
        action='outcome',
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
        after=audit.snapshot(customer),
    )
    session.commit()
    return customer
