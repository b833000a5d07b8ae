"""Complaints (投诉): each step of the handling, notes, reassigning the customer; the lock and who may see one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from db import begin_write
from models import Complaint, ComplaintStep, ContactKind, Customer, Photo, Site, Staff, utcnow
from services.complaints import rules
from services.core import audit, authz, events
from services.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from services.core.validation import clean_text
from services.customers import contacts, ownership
from services.photos.store import Subject
from services.photos.store import add_photo as store


class Stale(DomainError):
    """Someone else moved the complaint first (two managers at once, or an old screen)."""

    def __init__(self, status: str) -> None:
        super().__init__('这条投诉刚被更新为“{status}”，请查看最新状态', status=rules.STATUSES.get(status, status))


def take_step(
    session: Session,
    *,
    actor: Staff,
    complaint_id: int,
    action: str,
    text: str = '',
    satisfaction: int | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> Complaint:
    """One step of the handling, by someone allowed to, from the status it starts from; illegal ones refused."""
    now = now or utcnow()
    step = rules.STEPS.get(action)
    if step is None:
        raise ValidationError('action', '不能执行此操作')
    complaint = locked(session, actor, complaint_id)
    if not rules.may_take(step, role=actor.role, is_taker=complaint.taken_by_id == actor.id):
        raise PermissionDenied()
    if complaint.status not in step.sources or (version is not None and version != complaint.version):
        raise Stale(complaint.status)
    said = clean_text(text, field='text', max_length=1000, required=step.text_required)
    if action == 'follow_up':
        if satisfaction not in (1, 2, 3, 4, 5):
            raise ValidationError('satisfaction', '请选择客户满意度（1–5）')
        complaint.satisfaction, complaint.followed_up_at = satisfaction, now
    _apply(session, complaint, action, actor, now)
    record_step(
        session, complaint, actor, action, complaint.status, said, now, satisfaction=satisfaction, target=step.target
    )
    complaint.status = step.target
    audit.record(
        session,
        actor=actor,
        action=f'complaint_{action}',
        entity='complaint',
        entity_id=complaint.id,
        site_id=complaint.site_id,
        after={'status': complaint.status, 'text': said},
    )
    session.commit()
    events.emit(events.complaint_changed, complaint.site_id)
    return complaint


def add_note(session: Session, *, actor: Staff, complaint_id: int, text: str, now: datetime | None = None) -> Complaint:
    """What was said or done meanwhile (a call to the customer, a word with the contractor)."""
    complaint = locked(session, actor, complaint_id)
    if not authz.allowed(actor, authz.MANAGERS) and complaint.taken_by_id != actor.id:
        raise PermissionDenied()
    said = clean_text(text, field='text', max_length=1000, required=True)
    record_step(session, complaint, actor, 'note', complaint.status, said, now or utcnow())
    session.commit()
    events.emit(events.complaint_changed, complaint.site_id)
    return complaint


def reassign_customer(
    session: Session, *, actor: Staff, complaint_id: int, new_owner_id: int, reason: str, now: datetime | None = None
) -> Customer:
    """A complaint about a salesperson: the manager gives the customer to a colleague (in the audit log)."""
    authz.require(actor, authz.MANAGERS)
    complaint = locked(session, actor, complaint_id)
    if complaint.against_staff_id is None:
        raise ValidationError('owner', '这条投诉不涉及置业顾问')
    if new_owner_id == complaint.against_staff_id:
        raise ValidationError('owner', '请选择被投诉人以外的置业顾问')
    owner = session.get(Staff, new_owner_id)
    why = clean_text(reason, field='reason', max_length=200, required=True)
    now = now or utcnow()
    record_step(session, complaint, actor, 'reassign', complaint.status, f'{owner.name if owner else ""}：{why}', now)
    customer = ownership.transfer(  # commits the step with the ownership change
        session,
        actor=actor,
        customer_id=complaint.customer_id,
        new_owner_id=new_owner_id,
        reason=f'投诉 #{complaint.id}：{why}',
        now=now,
    )
    events.emit(events.complaint_changed, complaint.site_id)
    return customer


def add_photo(session: Session, *, actor: Staff, complaint_id: int, data: bytes, root: Path) -> Photo:
    """A photo added later (the damage after repair, a letter), by the complaint's managers or its taker."""

    complaint = session.get(Complaint, complaint_id)
    if complaint is None or not authz.may_see_complaint(actor, complaint):
        raise NotFound()
    return store(session, actor=actor, data=data, subject=Subject('投诉', complaint_id=complaint.id), root=root)


def locked(session: Session, actor: Staff, complaint_id: int) -> Complaint:
    """The complaint, write-locked (SQLite BEGIN IMMEDIATE, PostgreSQL FOR UPDATE), if the actor may see it."""
    begin_write(session)
    complaint = session.exec(select(Complaint).where(Complaint.id == complaint_id).with_for_update()).first()
    if complaint is None or not authz.may_see_complaint(actor, complaint):
        raise NotFound()
    return complaint


def _apply(session: Session, complaint: Complaint, action: str, actor: Staff, now: datetime) -> None:
    complaint.version += 1
    if action == 'acknowledge':
        complaint.acknowledged_at, complaint.handler_id = now, actor.id
    elif action == 'handle':
        complaint.handler_id = complaint.handler_id or actor.id
    elif action == 'resolve':
        complaint.resolved_at = now
    elif action == 'close':
        complaint.closed_at = now
    elif action == 'reopen':  # a new time to resolve, counted from now
        site = session.get(Site, complaint.site_id)
        _, to_resolve = rules.deadlines(site.settings if site else {}, complaint.severity)
        complaint.resolved_at = complaint.followed_up_at = complaint.closed_at = complaint.satisfaction = None
        complaint.resolve_due_at, complaint.resolve_escalated_at = now + to_resolve, None


def record_step(
    session: Session,
    complaint: Complaint,
    actor: Staff | None,
    action: str,
    from_status: str,
    text: str,
    now: datetime,
    *,
    satisfaction: int | None = None,
    target: str | None = None,
) -> None:
    """The step in the complaint's history, and a line on the customer's timeline."""
    to_status = target or complaint.status
    session.add(
        ComplaintStep(
            complaint_id=complaint.id or 0,
            at=now,
            actor_id=actor.id if actor else None,
            action=action,
            from_status=from_status,
            to_status=to_status,
            text=text,
            satisfaction=satisfaction,
        )
    )
    customer = session.get(Customer, complaint.customer_id)
    if customer is not None:
        label = ACTION_LABELS.get(action, action)
        summary = f'{rules.CATEGORIES[complaint.category]} · {label}：{text}'[:500]
        contacts.log(
            session, customer, kind=ContactKind.COMPLAINT, at=now, staff_id=actor.id if actor else None, summary=summary
        )


ACTION_LABELS = {
    'file': '登记投诉',
    'note': '处理记录',
    'escalate': '逾期上报',
    'reassign': '转给其他置业顾问',
    **{key: step.label for key, step in rules.STEPS.items()},
}
