"""Photo proof rows: run an upload through the pipeline, store it by date, flag near-copies, serve it to its site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from models import Complaint, Photo, Site, Staff, utcnow
from services.core import authz, events
from services.core.errors import NotFound
from services.core.events import emit_duty
from services.photos.pipeline import Stamp, is_near_copy, process_photo, store_photo

NEAR_COPY_DAYS = 60  # a picture sent again is compared with the site's photos of this many days


@dataclass(frozen=True)
class Subject:
    """What a photo proves: one of a checklist item, a rectification, a discipline record, a complaint or a
    competitor survey entry.

    A complaint's or a survey's photos are taken on its form before it exists: they stay unattached (seen by their
    taker alone) until the form is sent and `claim` hands them over (`complaint=True` tells the complaint pages)."""

    label: str  # stamped into the picture: the item's title, 整改 …
    checklist_item_id: int | None = None
    rectification_id: int | None = None
    discipline_id: int | None = None
    complaint_id: int | None = None
    complaint: bool = False
    survey: bool = False  # a competitor survey's: no duty or complaint page to tell


def add_photo(
    session: Session, *, actor: Staff, data: bytes, subject: Subject, root: Path, now: datetime | None = None
) -> Photo:
    """Check, stamp, store and record an upload (blocking: run it with run.io_bound); refusals: ValidationError."""
    now = now or utcnow()
    authz.require(actor)
    site = session.get(Site, actor.site_id or 0)
    if site is None:
        raise NotFound()
    stamp = Stamp(taken_at=now, site=site.name, person=actor.name, item=subject.label, tz=site.timezone)
    processed = process_photo(data, stamp=stamp)
    paths = store_photo(processed, root=root, taken_at=now, tz=site.timezone)
    photo = Photo(
        site_id=site.id or 0,
        checklist_item_id=subject.checklist_item_id,
        rectification_id=subject.rectification_id,
        discipline_id=subject.discipline_id,
        complaint_id=subject.complaint_id,
        path=paths.image,
        thumb_path=paths.thumbnail,
        sha256=processed.sha256,
        phash=processed.phash,
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.image),
        taken_at=now,
        taken_by_id=actor.id,
        near_copy_of_id=_earlier_copy(session, site.id or 0, processed.phash, now),
    )
    session.add(photo)
    session.commit()
    if not subject.survey:
        _emit(photo, complaint=subject.complaint or subject.complaint_id is not None)
    return photo


def claim(session: Session, *, actor: Staff, site_id: int, photo_ids: list[int]) -> list[Photo]:
    """The photos (at most 20) `actor` took on a form of the site that prove nothing yet: the caller links them."""
    if not photo_ids:
        return []
    query = select(Photo).where(
        col(Photo.id).in_(photo_ids[:20]),
        Photo.site_id == site_id,
        Photo.taken_by_id == actor.id,
        col(Photo.removed_at).is_(None),
        col(Photo.complaint_id).is_(None),
        col(Photo.competitor_survey_id).is_(None),
        col(Photo.checklist_item_id).is_(None),
        col(Photo.rectification_id).is_(None),
        col(Photo.discipline_id).is_(None),
    )
    return list(session.exec(query.order_by(col(Photo.id))))


def _earlier_copy(session: Session, site_id: int, phash: str, now: datetime) -> int | None:
    """The site's latest recent photo this one looks like, if any."""
    query = select(Photo.id, Photo.phash).where(
        Photo.site_id == site_id, Photo.taken_at >= now - timedelta(days=NEAR_COPY_DAYS)
    )
    for photo_id, other in session.exec(query.order_by(col(Photo.id).desc())):
        if is_near_copy(phash, [other]):
            return photo_id
    return None


def remove_photo(session: Session, *, actor: Staff, photo_id: int, now: datetime | None = None) -> Photo:
    """Take back a photo its taker (or a manager) sent by mistake; the file stays for the record."""
    photo = _photo(session, actor, photo_id)
    if photo.taken_by_id != actor.id and not authz.allowed(actor, authz.MANAGERS):
        raise NotFound()
    photo.removed_at = now or utcnow()
    session.commit()
    _emit(photo, complaint=photo.complaint_id is not None)
    return photo


def photo_file(session: Session, *, actor: Staff, photo_id: int, root: Path, thumb: bool = False) -> Path:
    """The file of a photo of the actor's own site (the admin's: any)."""
    photo = _photo(session, actor, photo_id)
    path = (root / (photo.thumb_path if thumb else photo.path)).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        raise NotFound()
    return path


def photos_of(
    session: Session,
    *,
    site_id: int,
    item_ids: list[int] | None = None,
    rectification_ids: list[int] | None = None,
    discipline_ids: list[int] | None = None,
    complaint_ids: list[int] | None = None,
    survey_ids: list[int] | None = None,
) -> list[Photo]:
    """The photos, not taken back, of the given items, rectifications, discipline records, complaints or competitor
    survey entries, oldest first."""
    query = select(Photo).where(Photo.site_id == site_id, col(Photo.removed_at).is_(None))
    if item_ids is not None:
        query = query.where(col(Photo.checklist_item_id).in_(item_ids or [-1]))
    if rectification_ids is not None:
        query = query.where(col(Photo.rectification_id).in_(rectification_ids or [-1]))
    if discipline_ids is not None:
        query = query.where(col(Photo.discipline_id).in_(discipline_ids or [-1]))
    if complaint_ids is not None:
        query = query.where(col(Photo.complaint_id).in_(complaint_ids or [-1]))
    if survey_ids is not None:
        query = query.where(col(Photo.competitor_survey_id).in_(survey_ids or [-1]))
    return list(session.exec(query.order_by(col(Photo.id))))


def _emit(photo: Photo, *, complaint: bool) -> None:
    if complaint:
        events.emit(events.complaint_changed, photo.site_id)
    else:
        emit_duty(photo.site_id)


def _photo(session: Session, actor: Staff, photo_id: int) -> Photo:
    photo = session.get(Photo, photo_id)
    if photo is None or not authz.allowed(actor, site_id=photo.site_id):
        raise NotFound()
    if photo.complaint_id is not None:  # a complaint's photos: only those who may see the complaint
        complaint = session.get(Complaint, photo.complaint_id)
        if complaint is None or not authz.may_see_complaint(actor, complaint):
            raise NotFound()
    elif _unattached(photo) and photo.taken_by_id != actor.id and not authz.allowed(actor, authz.MANAGERS):
        raise NotFound()  # taken on a complaint form not yet sent: only its taker
    return photo


def _unattached(photo: Photo) -> bool:
    return not (photo.checklist_item_id or photo.rectification_id or photo.discipline_id or photo.competitor_survey_id)
