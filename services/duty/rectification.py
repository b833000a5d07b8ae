"""整改: a problem found on a checklist becomes a task with an owner and a due time, closed with a photo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import Checklist, ChecklistItem, ItemResult, Photo, Rectification, Site, Staff, utcnow
from services.core import audit, authz
from services.core.errors import DomainError, NotFound, ValidationError
from services.core.events import emit_duty
from services.core.validation import clean_text
from services.photos import store as photo_store


@dataclass(frozen=True)
class RectificationView:
    task: Rectification
    owner: str
    photos: list[Photo]
    overdue: bool


def sync_for_item(
    session: Session,
    actor: Staff,
    checklist: Checklist,
    item: ChecklistItem,
    *,
    owner_id: int | None,
    due: datetime | None,
    now: datetime,
) -> None:
    """Inside the caller's transaction: a problem item has an open task; an item set back to OK has none."""
    task = session.exec(select(Rectification).where(Rectification.checklist_item_id == item.id)).first()
    if item.result != ItemResult.PROBLEM:
        if task is not None and task.closed_at is None:
            session.delete(task)
        return
    owner = _owner(session, checklist.site_id, owner_id or (task.owner_id if task else actor.id) or 0)
    when = due or (task.due_at if task else default_due(session, checklist, now))
    if task is None:
        task = Rectification(
            site_id=checklist.site_id,
            checklist_item_id=item.id,
            title=item.title,
            owner_id=owner,
            due_at=when,
            created_by_id=actor.id,
            created_at=now,
        )
        session.add(task)
    task.description, task.owner_id, task.due_at = item.note, owner, when


def default_due(session: Session, checklist: Checklist, now: datetime) -> datetime:
    """The day's closing time, or two hours from now when that has passed."""
    site = session.get(Site, checklist.site_id)
    assert site is not None
    closing = datetime.combine(checklist.day, site.closes_at, tzinfo=ZoneInfo(site.timezone))
    return max(closing, now + timedelta(hours=2))


def for_items(session: Session, item_ids: list[int]) -> dict[int, Rectification]:
    query = select(Rectification).where(col(Rectification.checklist_item_id).in_(item_ids or [-1]))
    return {r.checklist_item_id: r for r in session.exec(query) if r.checklist_item_id is not None}


def open_tasks(
    session: Session, *, actor: Staff, now: datetime | None = None, mine: bool = False
) -> list[RectificationView]:
    """The site's open rectifications, soonest due first (only the actor's own when `mine`)."""
    authz.require(actor)
    now = now or utcnow()
    query = select(Rectification).where(Rectification.site_id == actor.site_id, col(Rectification.closed_at).is_(None))
    if mine:
        query = query.where(Rectification.owner_id == actor.id)
    tasks = list(session.exec(query.order_by(col(Rectification.due_at))))
    photos = photo_store.photos_of(session, site_id=actor.site_id or 0, rectification_ids=[t.id or 0 for t in tasks])
    names = {s.id: s.name for s in session.exec(select(Staff).where(Staff.site_id == actor.site_id))}
    return [
        RectificationView(
            t, names.get(t.owner_id, ''), [p for p in photos if p.rectification_id == t.id], now > t.due_at
        )
        for t in tasks
    ]


def subject(session: Session, *, actor: Staff, task_id: int) -> photo_store.Subject:
    """What a photo closing this task proves."""
    task = _task(session, actor, task_id)
    _check_may_close(actor, task)
    return photo_store.Subject(label=f'整改：{task.title}', rectification_id=task.id)


def close(
    session: Session, *, actor: Staff, task_id: int, note: str = '', now: datetime | None = None
) -> Rectification:
    """Done: the owner (or a manager) closes the task with at least one photo of the result."""
    task = _task(session, actor, task_id)
    _check_may_close(actor, task)
    if not photo_store.photos_of(session, site_id=task.site_id, rectification_ids=[task.id or 0]):
        raise DomainError('请先拍照证明整改完成')
    before = audit.snapshot(task)
    task.close_note = clean_text(note, field='note', max_length=500)
    task.closed_at, task.closed_by_id = now or utcnow(), actor.id
    _commit(session, actor, task, 'close_rectification', before)
    return task


def _check_may_close(actor: Staff, task: Rectification) -> None:
    if task.closed_at is not None:
        raise DomainError('该整改已完成')
    if task.owner_id != actor.id and not authz.allowed(actor, authz.MANAGERS):
        raise DomainError('只有整改负责人或经理可以完成整改')


def _owner(session: Session, site_id: int, staff_id: int) -> int:
    person = session.get(Staff, staff_id)
    if person is None or person.site_id != site_id or not person.active:
        raise ValidationError('owner', '请选择本项目在职的员工')
    return staff_id


def _task(session: Session, actor: Staff, task_id: int) -> Rectification:
    authz.require(actor)
    task = session.get(Rectification, task_id)
    if task is None or not authz.allowed(actor, site_id=task.site_id):
        raise NotFound()
    return task


def _commit(session: Session, actor: Staff, task: Rectification, action: str, before: dict | None) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity='rectification',
        entity_id=task.id,
        site_id=task.site_id,
        before=before,
        after=audit.snapshot(task),
    )
    session.commit()
    emit_duty(task.site_id)
