"""The manager's review: sign a day's checklists off or comment on them; the photo gallery by date and by item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import Checklist, ChecklistItem, ChecklistStatus, Photo, Role, Staff, utcnow
from services.core import audit, authz
from services.core.errors import DomainError, NotFound
from services.core.events import emit_duty
from services.core.validation import clean_text

SITE_MANAGER = frozenset({Role.MANAGER})


@dataclass(frozen=True)
class GalleryPhoto:
    photo: Photo
    day: date
    checklist: str
    item: str


def review(
    session: Session, *, actor: Staff, checklist_id: int, sign_off: bool, comment: str = '', now: datetime | None = None
) -> Checklist:
    """Sign a submitted checklist off, or only leave a comment (on any checklist of the site)."""
    authz.require(actor, SITE_MANAGER)
    found = session.get(Checklist, checklist_id)
    if found is None or found.site_id != actor.site_id:
        raise NotFound()
    text = clean_text(comment, field='comment', max_length=500)
    if sign_off and found.status != ChecklistStatus.SUBMITTED:
        raise DomainError('只能签收已提交的检查表' if found.status == ChecklistStatus.OPEN else '该检查表已签收')
    if not sign_off and not text:
        raise DomainError('请填写评语')
    before = audit.snapshot(found)
    found.review_comment = text or found.review_comment
    found.reviewed_at, found.reviewed_by_id = now or utcnow(), actor.id
    if sign_off:
        found.status = ChecklistStatus.SIGNED_OFF
    audit.record(
        session,
        actor=actor,
        action='sign_off_checklist' if sign_off else 'comment_checklist',
        entity='checklist',
        entity_id=found.id,
        site_id=found.site_id,
        before=before,
        after=audit.snapshot(found),
    )
    session.commit()
    emit_duty(found.site_id)
    return found


def gallery(
    session: Session, *, actor: Staff, start: date, end: date, item: str | None = None, limit: int = 200
) -> list[GalleryPhoto]:
    """Checklist photos of the site between two days (and of one item title), newest first: managers only."""
    authz.require(actor, SITE_MANAGER)
    query = (
        select(Photo, Checklist, ChecklistItem)
        .join(ChecklistItem, col(ChecklistItem.id) == col(Photo.checklist_item_id))
        .join(Checklist, col(Checklist.id) == col(ChecklistItem.checklist_id))
        .where(Photo.site_id == actor.site_id, col(Photo.removed_at).is_(None))
        .where(Checklist.day >= start, Checklist.day <= end)
    )
    if item:
        query = query.where(ChecklistItem.title == item)
    rows = session.exec(query.order_by(col(Photo.taken_at).desc()).limit(limit))
    return [GalleryPhoto(p, c.day, c.name, i.title) for p, c, i in rows]


def item_titles(session: Session, *, actor: Staff) -> list[str]:
    """The item titles that have photos, for the gallery's filter."""
    authz.require(actor, SITE_MANAGER)
    query = (
        select(ChecklistItem.title)
        .join(Photo, col(Photo.checklist_item_id) == col(ChecklistItem.id))
        .where(Photo.site_id == actor.site_id)
        .distinct()
    )
    return sorted(session.exec(query))
