"""The phone-call register (来电登记): answered calls, and the caller linked when they visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import ContactKind, Customer, PhoneCall, Staff, utcnow
from services.accounts import sites
from services.core import audit
from services.core.errors import ValidationError
from services.core.validation import clean_text, normalise_phone
from services.customers import contacts


@dataclass
class CallForm:
    phone: str
    surname: str = ''
    title: str = ''
    channel: str = ''
    asked: str = ''


@dataclass(frozen=True)
class CallRow:
    id: int
    at: datetime
    caller: str
    channel: str
    asked: str
    answered_by: str
    customer_id: int | None


def log_call(session: Session, *, actor: Staff, form: CallForm, now: datetime | None = None) -> PhoneCall:
    """An answered call; a caller already known becomes a contact of that customer at once."""
    now = now or utcnow()
    site = contacts.site_of(session, actor)
    call = PhoneCall(site_id=site.id or 0, at=now, phone=normalise_phone(form.phone), answered_by_id=actor.id or 0)
    call.surname = clean_text(form.surname, field='surname', max_length=20)
    if form.title and form.title not in ('先生', '女士'):
        raise ValidationError('title', '请选择先生或女士')
    if form.channel and form.channel not in sites.setting(site, 'channels'):
        raise ValidationError('channel', '请从列表中选择了解渠道')
    call.title, call.channel = form.title, form.channel
    call.asked = clean_text(form.asked, field='asked', max_length=500)
    session.add(call)
    customer = session.exec(select(Customer).where(Customer.site_id == site.id, Customer.phone == call.phone)).first()
    if customer is not None:
        _link(session, call, customer)
    session.flush()  # the call's id, for the audit log
    audit.record(session, actor=actor, action='log_call', entity='phone_call', entity_id=call.id, site_id=site.id)
    session.commit()
    return call


def waiting_calls(session: Session, *, site_id: int, phones: set[str]) -> dict[str, list[PhoneCall]]:
    """The site's calls from these numbers not yet linked to a customer, by number, in one query."""
    query = select(PhoneCall).where(
        PhoneCall.site_id == site_id, col(PhoneCall.phone).in_(phones), col(PhoneCall.customer_id).is_(None)
    )
    found: dict[str, list[PhoneCall]] = {}
    for call in session.exec(query.order_by(col(PhoneCall.at))):
        found.setdefault(call.phone, []).append(call)
    return found


def link_calls(session: Session, customer: Customer, waiting: list[PhoneCall]) -> int:
    """A caller who signs in at the door: their earlier calls (waiting_calls) join the new customer (the sign-in
    commits)."""
    for call in waiting:
        _link(session, call, customer)
        customer.channel = customer.channel or call.channel
    return len(waiting)


def recent(session: Session, *, actor: Staff, days: int = 7, now: datetime | None = None) -> list[CallRow]:
    """The site's calls of the last days, newest first."""
    site = contacts.site_of(session, actor)
    since = (now or utcnow()) - timedelta(days=days)
    query = select(PhoneCall).where(PhoneCall.site_id == site.id, PhoneCall.at >= since)
    calls = list(session.exec(query.order_by(col(PhoneCall.at).desc()).limit(100)))
    staff = {s.id: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    return [
        CallRow(
            c.id or 0,
            c.at,
            f'{c.surname}{c.title}' or c.phone[-4:],
            c.channel,
            c.asked,
            staff.get(c.answered_by_id, ''),
            c.customer_id,
        )
        for c in calls
    ]


def _link(session: Session, call: PhoneCall, customer: Customer) -> None:
    call.customer_id = customer.id
    summary = ' · '.join(p for p in (call.channel, call.asked) if p)
    contacts.log(session, customer, kind=ContactKind.CALL, at=call.at, staff_id=call.answered_by_id, summary=summary)
