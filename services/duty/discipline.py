"""违纪记录: breaches of the reception rules seen on patrol — person, rule, time, note and photos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import DisciplineRecord, Photo, Site, Staff, utcnow
from services.core import audit, authz
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.events import emit_duty
from services.core.validation import clean_text
from services.duty import roster as duty_roster
from services.photos import store as photo_store
from services.rotation import roster

RULES = ['接待时使用手机', '仪表不整', '脱岗、串岗', '未按轮序接待', '在案场吃东西', '大声喧哗', '其他']


@dataclass(frozen=True)
class DisciplineView:
    record: DisciplineRecord
    person: str
    recorded_by: str
    photos: list[Photo]


def record(
    session: Session, *, actor: Staff, staff_id: int, rule: str, note: str = '', now: datetime | None = None
) -> DisciplineRecord:
    """The day's duty officer (or a manager) writes down a breach seen on patrol."""
    now = now or utcnow()
    site = duty_roster.site_of(session, actor)
    officer = duty_roster.on_duty(session, site_id=site.id or 0, day=roster.local_day(site, now))
    if not authz.allowed(actor, authz.MANAGERS) and (officer is None or officer.id != actor.id):
        raise PermissionDenied('只有当天值班人员或经理可以记录违纪')
    person = session.get(Staff, staff_id)
    if person is None or person.site_id != site.id:
        raise ValidationError('staff', '请选择本项目在职的员工')
    entry = DisciplineRecord(
        site_id=site.id or 0,
        staff_id=staff_id,
        rule=clean_text(rule, field='rule', max_length=60, required=True),
        note=clean_text(note, field='note', max_length=500),
        at=now,
        recorded_by_id=actor.id,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action='record_discipline',
        entity='discipline_record',
        entity_id=entry.id,
        site_id=entry.site_id,
        after=audit.snapshot(entry),
    )
    session.commit()
    emit_duty(entry.site_id)
    return entry


def subject(session: Session, *, actor: Staff, record_id: int) -> photo_store.Subject:
    """What a photo of this record proves; only its writer or a manager adds one."""
    entry = session.get(DisciplineRecord, record_id)
    if entry is None or not authz.allowed(actor, site_id=entry.site_id):
        raise NotFound()
    if entry.recorded_by_id != actor.id and not authz.allowed(actor, authz.MANAGERS):
        raise PermissionDenied()
    return photo_store.Subject(label=f'违纪：{entry.rule}', discipline_id=entry.id)


def of_day(session: Session, *, actor: Staff, day: date) -> list[DisciplineView]:
    """A day's records: managers see all, the duty officer those they wrote, others their own."""
    site = duty_roster.site_of(session, actor)
    tz = ZoneInfo(site.timezone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    query = select(DisciplineRecord).where(
        DisciplineRecord.site_id == site.id,
        DisciplineRecord.at >= start,
        DisciplineRecord.at < start + timedelta(days=1),
    )
    if not authz.allowed(actor, authz.MANAGERS):
        query = query.where((DisciplineRecord.staff_id == actor.id) | (DisciplineRecord.recorded_by_id == actor.id))
    records = list(session.exec(query.order_by(col(DisciplineRecord.at))))
    return _views(session, site, records)


def _views(session: Session, site: Site, records: list[DisciplineRecord]) -> list[DisciplineView]:
    names = {s.id: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    photos = photo_store.photos_of(session, site_id=site.id or 0, discipline_ids=[r.id or 0 for r in records])
    return [
        DisciplineView(
            r,
            names.get(r.staff_id, ''),
            names.get(r.recorded_by_id, ''),
            [p for p in photos if p.discipline_id == r.id],
        )
        for r in records
    ]
