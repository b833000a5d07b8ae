"""周例会纪要 (part 4 art. 4): held, written with the nine items pre-filled, signed on each attendee's phone, filed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

import db
from models import ActionItem, MinutesSignature, MinutesStatus, Photo, Role, Site, Staff, WeeklyMinutes, utcnow
from services import competitors
from services.core import audit, authz
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.validation import clean_text
from services.customers import contacts

from . import week as week_data
from .period import local_date, week_of

NOTES_LIMIT = 2000
DUE = timedelta(days=2)  # to the group within two days of the meeting


@dataclass
class MinutesView:
    minutes: WeeklyMinutes
    site: Site
    names: dict[int, str]
    signed: dict[int, datetime]  # attendee → when
    actions: list[ActionItem]  # agreed at this meeting
    earlier: list[ActionItem]  # still open from earlier meetings
    survey_photos: list[tuple[Photo, str]]  # of each competitor's latest survey by the meeting, with its name

    @property
    def overdue(self) -> bool:
        return self.minutes.status != MinutesStatus.FILED and utcnow() > self.minutes.held_at + DUE

    def waiting_for(self) -> list[str]:
        return [self.names.get(i, '') for i in self.minutes.attendee_ids if i not in self.signed]


def hold(
    session: Session, *, actor: Staff, held_at: datetime, place: str = '', now: datetime | None = None
) -> WeeklyMinutes:
    """A new meeting's minutes: the week before it, every active colleague invited, the nine items pre-filled."""
    authz.require(actor, frozenset({Role.MANAGER}))
    site = contacts.site_of(session, actor)
    week = week_of(site, local_date(site, held_at) - timedelta(days=1))
    people = session.exec(
        select(Staff.id).where(Staff.site_id == site.id, col(Staff.active).is_(True)).order_by(col(Staff.id))
    ).all()
    minutes = WeeklyMinutes(
        site_id=site.id or 0,
        week_start=week.first,
        held_at=held_at,
        place=clean_text(place, field='place', max_length=60) or site.name,
        chair=actor.name,
        minute_taker_id=actor.id,
        attendee_ids=[i for i in people if i is not None],
        items=week_data.prefill(session, site, week),
        created_by_id=actor.id,
        created_at=now or utcnow(),
    )
    session.add(minutes)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action='minutes_hold',
        entity='weekly_minutes',
        entity_id=minutes.id,
        site_id=site.id,
        after={'week_start': week.first.isoformat()},
    )
    session.commit()
    return minutes


def edit(session: Session, *, actor: Staff, minutes_id: int, header: dict[str, Any], notes: list[str]) -> WeeklyMinutes:
    """The header (chair, minute-taker, attendees, absentees, others) and each item's notes, while a draft."""
    db.begin_write(session)  # it reads, then writes: on SQLite a transaction begun as a reader may not write
    minutes = _own(session, actor, minutes_id)
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError('status', '纪要已提交会签，不能再修改')
    minutes.chair = clean_text(header.get('chair', minutes.chair), field='chair', max_length=40)
    minutes.place = clean_text(header.get('place', minutes.place), field='place', max_length=60)
    minutes.absentees = clean_text(header.get('absentees', minutes.absentees), field='absentees', max_length=200)
    minutes.others = clean_text(header.get('others', minutes.others), field='others', max_length=200)
    if 'attendee_ids' in header:
        allowed = set(_site_people(session, minutes.site_id))
        minutes.attendee_ids = [i for i in header['attendee_ids'] if i in allowed]
    if 'minute_taker_id' in header and header['minute_taker_id'] in _site_people(session, minutes.site_id):
        minutes.minute_taker_id = header['minute_taker_id']
    items = [dict(item) for item in minutes.items]
    for item, text in zip(items, notes, strict=False):
        item['notes'] = clean_text(text, field='notes', max_length=NOTES_LIMIT)
    minutes.items = items
    session.commit()
    return minutes


def add_action(
    session: Session, *, actor: Staff, minutes_id: int, text: str, owner_id: int, due_on: date
) -> ActionItem:
    """A task agreed at the meeting, with its owner and due date."""
    minutes = _own(session, actor, minutes_id)
    if owner_id not in _site_people(session, minutes.site_id):
        raise ValidationError('owner', '请选择本项目的员工')
    item = ActionItem(
        site_id=minutes.site_id,
        minutes_id=minutes.id or 0,
        owner_id=owner_id,
        due_on=due_on,
        text=clean_text(text, field='text', max_length=200, required=True),
    )
    session.add(item)
    session.commit()
    return item


def finish_action(
    session: Session, *, actor: Staff, action_id: int, note: str = '', now: datetime | None = None
) -> ActionItem:
    """Done: by its owner or the manager, in a later week as often as not."""
    item = session.get(ActionItem, action_id)
    if item is None or item.site_id != actor.site_id:
        raise NotFound()
    if actor.id != item.owner_id and actor.role != Role.MANAGER:
        raise PermissionDenied()
    item.done_at, item.done_note = now or utcnow(), clean_text(note, field='note', max_length=200)
    session.commit()
    return item


def send_for_signing(session: Session, *, actor: Staff, minutes_id: int) -> WeeklyMinutes:
    """The text is final: attendees now sign it (会签) on their phones."""
    minutes = _own(session, actor, minutes_id)
    if not minutes.attendee_ids:
        raise ValidationError('attendees', '请至少选择一位与会人员')
    minutes.status = MinutesStatus.SIGNING
    session.commit()
    return minutes


def sign(session: Session, *, actor: Staff, minutes_id: int, now: datetime | None = None) -> WeeklyMinutes:
    """An attendee signs; when the last one has, the minutes are filed."""
    minutes = _visible(session, actor, minutes_id)
    if minutes.status != MinutesStatus.SIGNING:
        raise ValidationError('status', '纪要尚未提交会签')
    if actor.id not in minutes.attendee_ids:
        raise PermissionDenied()
    now = now or utcnow()
    if not session.exec(
        select(MinutesSignature).where(MinutesSignature.minutes_id == minutes.id, MinutesSignature.staff_id == actor.id)
    ).first():
        session.add(MinutesSignature(minutes_id=minutes.id or 0, staff_id=actor.id or 0, signed_at=now))
        session.flush()
    signed = set(session.exec(select(MinutesSignature.staff_id).where(MinutesSignature.minutes_id == minutes.id)))
    if set(minutes.attendee_ids) <= signed:
        minutes.status, minutes.filed_at = MinutesStatus.FILED, now
    session.commit()
    return minutes


def detail(session: Session, *, actor: Staff, minutes_id: int) -> MinutesView:
    minutes = _visible(session, actor, minutes_id)
    site = session.get(Site, minutes.site_id)
    assert site is not None
    names = {s.id or 0: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    signed = dict(
        session.exec(
            select(MinutesSignature.staff_id, MinutesSignature.signed_at).where(
                MinutesSignature.minutes_id == minutes.id
            )
        ).all()
    )
    actions = list(session.exec(select(ActionItem).where(ActionItem.minutes_id == minutes.id)))
    earlier = list(
        session.exec(
            select(ActionItem)
            .join(WeeklyMinutes, col(WeeklyMinutes.id) == ActionItem.minutes_id)
            .where(
                ActionItem.site_id == site.id,
                col(ActionItem.done_at).is_(None),
                WeeklyMinutes.held_at < minutes.held_at,
            )
            .order_by(col(ActionItem.due_on))
        )
    )
    latest = competitors.latest(session, site_id=site.id or 0, until=local_date(site, minutes.held_at))
    return MinutesView(minutes, site, names, signed, actions, earlier, competitors.latest_photos(latest))


def listing(session: Session, *, actor: Staff) -> list[WeeklyMinutes]:
    """The site's minutes, newest first (everyone on the site may read them)."""
    site = contacts.site_of(session, actor)
    query = select(WeeklyMinutes).where(WeeklyMinutes.site_id == site.id)
    return list(session.exec(query.order_by(col(WeeklyMinutes.held_at).desc()).limit(52)))


def to_sign(session: Session, *, actor: Staff) -> list[WeeklyMinutes]:
    """Minutes waiting for this person's signature."""
    if actor.site_id is None:
        return []
    query = select(WeeklyMinutes).where(
        WeeklyMinutes.site_id == actor.site_id, WeeklyMinutes.status == MinutesStatus.SIGNING
    )
    signed = set(session.exec(select(MinutesSignature.minutes_id).where(MinutesSignature.staff_id == actor.id)))
    return [m for m in session.exec(query) if actor.id in m.attendee_ids and m.id not in signed]


def _own(session: Session, actor: Staff, minutes_id: int) -> WeeklyMinutes:
    authz.require(actor, frozenset({Role.MANAGER}))
    return _visible(session, actor, minutes_id)


def _visible(session: Session, actor: Staff, minutes_id: int) -> WeeklyMinutes:
    minutes = session.get(WeeklyMinutes, minutes_id)
    if minutes is None or not authz.allowed(actor, site_id=minutes.site_id):
        raise NotFound()
    return minutes


def _site_people(session: Session, site_id: int) -> list[int]:
    query = select(Staff.id).where(Staff.site_id == site_id, col(Staff.active).is_(True))
    return [i for i in session.exec(query) if i is not None]
