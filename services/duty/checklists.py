"""Doing the day's checklists: made from the templates, answered item by item, submitted when complete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import begin_write
from models import (
    Anchor,
    Checklist,
    ChecklistItem,
    ChecklistStatus,
    ChecklistTemplate,
    ItemResult,
    Photo,
    Rectification,
    Site,
    Staff,
    utcnow,
)
from services.core import audit, authz
from services.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from services.core.events import emit_duty
from services.core.validation import clean_text
from services.duty import rectification
from services.duty import roster as duty_roster
from services.duty import templates as duty_templates
from services.photos import store as photo_store
from services.rotation import roster


@dataclass(frozen=True)
class ItemView:
    item: ChecklistItem
    photos: list[Photo]
    rectification: Rectification | None


@dataclass(frozen=True)
class ChecklistView:
    checklist: Checklist
    items: list[ItemView]
    overdue: bool
    may_work: bool  # the actor may answer it (the day's duty officer, or a manager)

    @property
    def answered(self) -> int:
        return sum(i.item.result is not None for i in self.items)

    @property
    def problems(self) -> int:
        return sum(i.item.result == ItemResult.PROBLEM for i in self.items)

    @property
    def photo_count(self) -> int:
        return sum(len(i.photos) for i in self.items)


@dataclass(frozen=True)
class DutyDay:
    site: Site
    day: date
    officer: Staff | None
    checklists: list[ChecklistView]

    @property
    def overdue(self) -> list[ChecklistView]:
        return [c for c in self.checklists if c.overdue]


def due_at(site: Site, day: date, template: ChecklistTemplate) -> datetime:
    """When a template's checklist is due on a day: the site's opening or closing time plus its offset."""
    anchor = site.opens_at if template.anchor == Anchor.OPENS else site.closes_at
    local = datetime.combine(day, anchor, tzinfo=ZoneInfo(site.timezone))
    return (local + timedelta(minutes=template.due_offset_minutes)).astimezone(ZoneInfo('UTC'))


def is_overdue(checklist: Checklist, now: datetime) -> bool:
    return checklist.status == ChecklistStatus.OPEN and now > checklist.due_at


def duty_day(session: Session, *, actor: Staff, day: date | None = None, now: datetime | None = None) -> DutyDay:
    """A day's duty officer and checklists (made from the templates on first look), as the actor sees them."""
    now = now or utcnow()
    site = duty_roster.site_of(session, actor)
    day = day or roster.local_day(site, now)
    officer = duty_roster.on_duty(session, site_id=site.id or 0, day=day)
    lists = ensure_day(session, site, day) if day <= roster.local_day(site, now) + timedelta(days=1) else []
    return DutyDay(site, day, officer, [_view(session, actor, c, officer, now) for c in lists])


def checklist(session: Session, *, actor: Staff, checklist_id: int, now: datetime | None = None) -> ChecklistView:
    """One checklist of the actor's site with its items, photos and rectifications."""
    found = _checklist(session, actor, checklist_id)
    officer = duty_roster.on_duty(session, site_id=found.site_id, day=found.day)
    return _view(session, actor, found, officer, now or utcnow())


def ensure_day(session: Session, site: Site, day: date) -> list[Checklist]:
    """The day's checklists, one per active template, copying the template's items when first made."""
    duty_templates.ensure_defaults(session, site.id or 0)
    templates = session.exec(
        select(ChecklistTemplate).where(ChecklistTemplate.site_id == site.id, ChecklistTemplate.active)
    ).all()
    if {t.id for t in templates} - {c.template_id for c in _of_day(session, site.id or 0, day)}:
        begin_write(session)  # it read, now it writes: on SQLite a transaction begun as a reader may not write
        made = {c.template_id for c in _of_day(session, site.id or 0, day)}
        for template in (t for t in templates if t.id not in made):
            _make(session, site, day, template)
    return sorted(_of_day(session, site.id or 0, day), key=lambda c: c.due_at)


def answer(
    session: Session,
    *,
    actor: Staff,
    item_id: int,
    result: str,
    note: str = '',
    owner_id: int | None = None,
    due: datetime | None = None,
    now: datetime | None = None,
) -> ChecklistItem:
    """Save one item's answer at once (OK or problem, with a note); a problem opens or updates its 整改."""
    now = now or utcnow()
    item, found = _item_to_work(session, actor, item_id)
    if result not in set(ItemResult):
        raise ValidationError('result', '请选择正常或有问题')
    item.note = clean_text(note, field='note', max_length=500)
    if result == ItemResult.PROBLEM and not item.note:
        raise ValidationError('note', '请说明发现的问题')
    item.result, item.answered_at, item.answered_by_id = result, now, actor.id
    rectification.sync_for_item(session, actor, found, item, owner_id=owner_id, due=due, now=now)
    session.commit()
    emit_duty(found.site_id)
    return item


def submit(session: Session, *, actor: Staff, checklist_id: int, now: datetime | None = None) -> Checklist:
    """Hand in a checklist: every item answered and every required photo there."""
    found = _checklist(session, actor, checklist_id)
    if found.status != ChecklistStatus.OPEN:
        raise DomainError('该检查表已提交')
    view = checklist(session, actor=actor, checklist_id=checklist_id, now=now)
    if not view.may_work:
        raise PermissionDenied('今天的值班人员是其他同事')
    if missing := [i.item.title for i in view.items if i.item.result is None]:
        raise DomainError('还有 {n} 项未检查：{items}', n=len(missing), items='、'.join(missing))
    if missing := [i.item.title for i in view.items if i.item.photo_required and not i.photos]:
        raise DomainError('以下项目须拍照：{items}', items='、'.join(missing))
    found.status, found.submitted_at, found.submitted_by_id = ChecklistStatus.SUBMITTED, now or utcnow(), actor.id
    audit.record(
        session,
        actor=actor,
        action='submit_checklist',
        entity='checklist',
        entity_id=found.id,
        site_id=found.site_id,
        after=audit.snapshot(found),
    )
    session.commit()
    emit_duty(found.site_id)
    return found


def item_subject(session: Session, *, actor: Staff, item_id: int) -> photo_store.Subject:
    """What a photo for this item proves, once the actor is known to be allowed to add it."""
    item, _ = _item_to_work(session, actor, item_id)
    return photo_store.Subject(label=item.title, checklist_item_id=item.id)


@dataclass(frozen=True)
class DayCounts:
    done: int  # handed in (not open)
    total: int  # the site's active templates: one checklist each a day
    overdue: int  # past due and not handed in, made or not


def overdue_count(session: Session, *, site_id: int, now: datetime | None = None) -> int:
    """How many of the site's checklists of today are past due and not handed in (read only: for the TV)."""
    now = now or utcnow()
    site = session.get(Site, site_id)
    return day_counts(session, site, now).overdue if site is not None else 0


def day_counts(session: Session, site: Site, now: datetime) -> DayCounts:
    """The site's checklists of today in two reads (read only: for the TV and the manager's board)."""
    day = roster.local_day(site, now)
    made = {c.template_id: c for c in _of_day(session, site.id or 0, day)}
    templates = duty_templates.active_templates(session, site.id or 0)
    overdue = sum(is_overdue(made[t.id], now) if t.id in made else now > due_at(site, day, t) for t in templates)
    return DayCounts(sum(c.status != ChecklistStatus.OPEN for c in made.values()), len(templates), overdue)


def may_work(actor: Staff, found: Checklist, officer: Staff | None) -> bool:
    """The day's duty officer answers its checklists; managers too; anyone of the site on a day nobody is planned."""
    if not authz.allowed(actor, site_id=found.site_id) or actor.site_id != found.site_id:
        return False
    return authz.allowed(actor, authz.MANAGERS) or officer is None or officer.id == actor.id


def _view(session: Session, actor: Staff, found: Checklist, officer: Staff | None, now: datetime) -> ChecklistView:
    items = list(
        session.exec(
            select(ChecklistItem)
            .where(ChecklistItem.checklist_id == found.id)
            .order_by(col(ChecklistItem.position), col(ChecklistItem.id))
        )
    )
    photos = photo_store.photos_of(session, site_id=found.site_id, item_ids=[i.id or 0 for i in items])
    fixes = rectification.for_items(session, [i.id or 0 for i in items])
    views = [ItemView(i, [p for p in photos if p.checklist_item_id == i.id], fixes.get(i.id or 0)) for i in items]
    return ChecklistView(found, views, is_overdue(found, now), may_work(actor, found, officer))


def _make(session: Session, site: Site, day: date, template: ChecklistTemplate) -> None:
    made = Checklist(
        site_id=site.id or 0,
        day=day,
        template_id=template.id or 0,
        kind=template.kind,
        name=template.name,
        due_at=due_at(site, day, template),
    )
    try:
        with session.begin_nested():
            session.add(made)
            session.flush()
            for item in duty_templates.active_items(session, template.id or 0):
                session.add(
                    ChecklistItem(
                        checklist_id=made.id or 0,
                        position=item.position,
                        title=item.title,
                        hint=item.hint,
                        photo_required=item.photo_required,
                        camera_only=item.camera_only,
                    )
                )
        session.commit()
    except IntegrityError:  # another phone made it at the same moment
        session.rollback()


def _of_day(session: Session, site_id: int, day: date) -> list[Checklist]:
    return list(session.exec(select(Checklist).where(Checklist.site_id == site_id, Checklist.day == day)))


def _checklist(session: Session, actor: Staff, checklist_id: int) -> Checklist:
    authz.require(actor)
    found = session.get(Checklist, checklist_id)
    if found is None or not authz.allowed(actor, site_id=found.site_id):
        raise NotFound()
    return found


def _item_to_work(session: Session, actor: Staff, item_id: int) -> tuple[ChecklistItem, Checklist]:
    item = session.get(ChecklistItem, item_id)
    if item is None:
        raise NotFound()
    found = _checklist(session, actor, item.checklist_id)
    if not may_work(actor, found, duty_roster.on_duty(session, site_id=found.site_id, day=found.day)):
        raise PermissionDenied('今天的值班人员是其他同事')
    if found.status != ChecklistStatus.OPEN:
        raise DomainError('该检查表已提交')
    return item, found
