"""Customer ownership (客户权属): protection from the last contact, masking, transfers and merges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import Customer, Role, Site, Staff, utcnow
from services.accounts import sites
from services.accounts.staff import in_first_month
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text, mask_phone


def protected_owner(session: Session, customer: Customer, now: datetime) -> int | None:
    """The owner while protection lasts and they still work here; None: the customer is in the shared pool."""
    if customer.owner_id is None or customer.protected_until is None or customer.protected_until <= now:
        return None
    owner = session.get(Staff, customer.owner_id)
    return owner.id if owner and owner.active and owner.site_id == customer.site_id else None


def record_contact(customer: Customer, site: Site, now: datetime, *, staff_id: int | None) -> None:
    """A visit, call, tour or follow-up: renews the protection only when it is the owner's own contact (or a visit
    received on the owner's behalf, which the caller passes as the owner's) while the protection still runs. A
    lapsed customer is in the shared pool: no contact revives the old owner; the next reception makes a new one."""
    customer.last_contact_at = now
    if staff_id is not None and staff_id == customer.owner_id and protected(customer, now):
        customer.protected_until = now + timedelta(days=int(sites.setting(site, 'protection_days')))


def make_owner(customer: Customer, site: Site, staff_id: int, now: datetime) -> None:
    """A reception (or the manager) makes this salesperson the owner, protected from now."""
    customer.owner_id, customer.last_contact_at = staff_id, now
    customer.protected_until = now + timedelta(days=int(sites.setting(site, 'protection_days')))


def protected(customer: Customer, now: datetime) -> bool:
    """Whether the customer has an owner whose protection still runs (else they are in the shared pool)."""
    return customer.owner_id is not None and customer.protected_until is not None and customer.protected_until > now


def in_pool(customer: Customer, now: datetime) -> bool:
    """公共客户池: nobody owns the customer, or the owner's protection has lapsed."""
    return not protected(customer, now)


def visible_phone(actor: Staff, customer: Customer) -> str:
    """The full number for the owner and managers, 138****1234 for everyone else."""
    if actor.role in (Role.MANAGER, Role.ADMIN) or customer.owner_id == actor.id:
        return customer.phone
    return mask_phone(customer.phone)


def transfer(
    session: Session, *, actor: Staff, customer_id: int, new_owner_id: int, reason: str, now: datetime | None = None
) -> Customer:
    """The manager gives a customer to another salesperson of the site (disputes, a complaint, someone leaving)."""
    customer = _managed_customer(session, actor, customer_id)
    owner = session.get(Staff, new_owner_id)
    if owner is None or owner.site_id != customer.site_id or not owner.active:
        raise ValidationError('owner', '新的归属人须是本项目在职员工')
    site = session.get(Site, customer.site_id)
    assert site is not None
    today = (now or utcnow()).astimezone(ZoneInfo(site.timezone)).date()  # the site's day, not the machine's
    if in_first_month(owner, today):
        raise ValidationError('owner', '入职首月的新员工不能单独拥有客户，请转给其带教师傅')
    return _change(session, actor, customer, reason, 'transfer_customer', lambda c: _give(session, c, owner, now))


def merge(session: Session, *, actor: Staff, keep_id: int, merge_id: int, reason: str) -> Customer:
    """One household, two records: the second points to the first and keeps nothing of its own ownership."""
    keep, duplicate = _managed_customer(session, actor, keep_id), _managed_customer(session, actor, merge_id)
    if keep.id == duplicate.id or keep.site_id != duplicate.site_id or duplicate.merged_into_id:
        raise ValidationError('merge', '不能合并这两条客户记录')

    def mark(c: Customer) -> None:
        c.merged_into_id, c.owner_id, c.protected_until = keep.id, None, None

    _change(session, actor, duplicate, reason, 'merge_customer', mark)
    return keep


def _give(session: Session, customer: Customer, owner: Staff, now: datetime | None) -> None:
    site = session.get(Site, customer.site_id)
    assert site is not None
    make_owner(customer, site, owner.id or 0, now or utcnow())


def _managed_customer(session: Session, actor: Staff, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or not authz.allowed(actor, authz.MANAGERS, site_id=customer.site_id):
        raise NotFound()
    return customer


def _change(
    session: Session, actor: Staff, customer: Customer, reason: str, action: str, change: Callable[[Customer], None]
) -> Customer:
    why = clean_text(reason, field='reason', max_length=200, required=True)
    before = audit.snapshot(customer)
    change(customer)
    after = (audit.snapshot(customer) or {}) | {'reason': why}
    audit.record(
        session,
        actor=actor,
        action=action,
        entity='customer',
        entity_id=customer.id,
        site_id=customer.site_id,
        before=before,
        after=after,
    )
    session.commit()
    return customer
