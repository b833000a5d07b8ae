"""Customer ownership (客户权属): protection from the last contact, masking, transfers and merges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session

from models import Customer, Role, Site, Staff, utcnow
from services.accounts import sites
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text, mask_phone


def protected_owner(session: Session, customer: Customer, now: datetime) -> int | None:
    """The owner while protection lasts and they still work here; None: the customer is in the shared pool."""
    if customer.owner_id is None or customer.protected_until is None or customer.protected_until <= now:
        return None
    owner = session.get(Staff, customer.owner_id)
    return owner.id if owner and owner.active and owner.site_id == customer.site_id else None


def record_contact(customer: Customer, site: Site, now: datetime) -> None:
    """A visit, call, tour or follow-up: renews the owner's protection."""
    customer.last_contact_at = now
    if customer.owner_id is not None:
        customer.protected_until = now + timedelta(days=int(sites.setting(site, 'protection_days')))


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
    customer.owner_id = owner.id
    record_contact(customer, site, now or utcnow())


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
