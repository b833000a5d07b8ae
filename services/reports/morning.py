"""晨会 notes (part 4 art. 3): the five points, kept by the manager or the duty officer, yesterday's figures in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

import db
from models import MorningMeeting, Photo, Role, Site, Staff, utcnow
from services import competitors
from services.core.errors import PermissionDenied
from services.core.validation import clean_text
from services.customers import contacts
from services.duty import roster as duty_roster

from . import week

POINTS = [  # key, the manual's words
    ('appearance', '仪容仪表及案场整洁'),
    ('plan', '上日工作沟通与当日工作安排'),
    ('competitors', '可比楼盘销售动态'),
    ('focus', '当日接待和追访重点及注意问题'),
    ('difficulties', '销售难点问题与处理意见'),
]
FIGURES = [
    ('new', '新客来访'),
    ('returning', '老客来访'),
    ('valid', '有效接待'),
    ('invalid', '无效接待'),
    ('calls', '来电'),
    ('grades_ab', 'A/B 级'),
    ('deals', '成交套数'),
    ('amount', '成交金额（万元）'),
]


@dataclass
class MorningView:
    notes: MorningMeeting
    may_edit: bool
    kept_by: str
    survey_photos: list[tuple[Photo, str]]  # of each competitor's latest survey, with its name


def today(session: Session, *, actor: Staff, now: datetime | None = None) -> MorningView:
    """Today's notes, made on first opening with yesterday's figures and the points pre-filled."""
    site = contacts.site_of(session, actor)
    day = contacts.local_today(site, now or utcnow())
    notes = session.exec(
        select(MorningMeeting).where(MorningMeeting.site_id == site.id, MorningMeeting.day == day)
    ).first()
    if notes is None:
        notes = MorningMeeting(
            site_id=site.id or 0,
            day=day,
            kept_by_id=actor.id or 0,
            figures=week.day_figures(session, site, day - timedelta(days=1)),
            points=_prefill(session, site, day),
        )
        session.add(notes)
        session.commit()
    kept = session.get(Staff, notes.kept_by_id)
    photos = competitors.latest_photos(competitors.latest(session, site_id=site.id or 0, until=day))
    return MorningView(notes, may_keep(session, actor, site, day), kept.name if kept else '', photos)


def save(session: Session, *, actor: Staff, points: dict[str, str], now: datetime | None = None) -> MorningMeeting:
    """The manager or the duty officer writes the notes."""
    db.begin_write(session)  # it reads, then writes: on SQLite a transaction begun as a reader may not write
    view = today(session, actor=actor, now=now)
    if not view.may_edit:
        raise PermissionDenied()
    notes = view.notes
    notes.points = {k: clean_text(points.get(k, ''), field=k, max_length=1000) for k, _ in POINTS}
    notes.kept_by_id, notes.updated_at = actor.id or 0, utcnow()
    session.commit()
    return notes


def may_keep(session: Session, actor: Staff, site: Site, day: date) -> bool:
    if actor.role == Role.MANAGER:
        return True
    officer = duty_roster.on_duty(session, site_id=site.id or 0, day=day)
    return officer is not None and officer.id == actor.id


def _prefill(session: Session, site: Site, day: date) -> dict[str, str]:
    lines = week.prefill_morning(session, site, day)
    return {
        'appearance': '',
        'plan': '',
        'competitors': '\n'.join(lines['competitors']),
        'focus': '\n'.join(lines['focus']),
        'difficulties': '',
    }
