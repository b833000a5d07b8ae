"""Comparable projects (可比楼盘调查, part 3 art. 7): the site's list and the dated entries salespeople make."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models import Competitor, CompetitorSurvey, Photo, Staff, utcnow
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text
from services.customers import contacts
from services.photos import store as photo_store

PHOTO_LABEL = '可比楼盘'  # stamped into a survey's photos


@dataclass
class SurveyForm:
    competitor_id: int
    surveyed_on: date
    price_per_m2: int | str | None = None
    offers: str = ''
    stock: str = ''
    pace: str = ''
    moves: str = ''
    photo_ids: list[int] = field(default_factory=list)  # taken on the form (take_photo) before it was saved


@dataclass(frozen=True)
class Latest:
    competitor: str
    surveyed_on: date | None
    price_per_m2: int | None
    offers: str
    stock: str
    pace: str
    moves: str
    by: str
    photos: tuple[Photo, ...] = ()


def add_competitor(session: Session, *, actor: Staff, name: str, address: str = '') -> Competitor:
    """A comparable project the site watches (the manager's list)."""
    authz.require(actor, authz.MANAGERS)
    site = contacts.site_of(session, actor)
    found = Competitor(
        site_id=site.id or 0,
        name=clean_text(name, field='name', max_length=40, required=True),
        address=clean_text(address, field='address', max_length=100),
    )
    session.add(found)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action='competitor_add',
        entity='competitor',
        entity_id=found.id,
        site_id=site.id,
        after=audit.snapshot(found),
    )
    session.commit()
    return found


def competitors_of(session: Session, *, actor: Staff) -> list[Competitor]:
    site = contacts.site_of(session, actor)
    query = select(Competitor).where(Competitor.site_id == site.id, col(Competitor.active).is_(True))
    return list(session.exec(query.order_by(col(Competitor.id))))


def add_survey(session: Session, *, actor: Staff, form: SurveyForm, now: datetime | None = None) -> CompetitorSurvey:
    """A dated survey entry by any salesperson or manager of the site."""
    site = contacts.site_of(session, actor)
    competitor = session.get(Competitor, form.competitor_id)
    if competitor is None or competitor.site_id != site.id:
        raise NotFound()
    if form.surveyed_on > contacts.local_today(site, now or utcnow()):
        raise ValidationError('surveyed_on', '调查日期不能晚于今天')
    entry = CompetitorSurvey(
        site_id=site.id or 0,
        competitor_id=competitor.id or 0,
        surveyed_on=form.surveyed_on,
        by_id=actor.id or 0,
        price_per_m2=_price(form.price_per_m2),
        offers=clean_text(form.offers, field='offers', max_length=200),
        stock=clean_text(form.stock, field='stock', max_length=100),
        pace=clean_text(form.pace, field='pace', max_length=100),
        moves=clean_text(form.moves, field='moves', max_length=300),
        created_at=now or utcnow(),
    )
    session.add(entry)
    session.flush()
    for photo in photo_store.claim(session, actor=actor, site_id=entry.site_id, photo_ids=form.photo_ids):
        photo.competitor_survey_id = entry.id
    session.commit()
    return entry


def take_photo(session: Session, *, actor: Staff, data: bytes, root: Path) -> Photo:
    """A photo taken on the survey form (the price board, an offer poster): its taker's alone until the entry is
    saved with it (blocking: run it with run.io_bound)."""
    contacts.site_of(session, actor)
    subject = photo_store.Subject(PHOTO_LABEL, survey=True)
    return photo_store.add_photo(session, actor=actor, data=data, subject=subject, root=root)


def latest(session: Session, *, site_id: int, until: date, since: date | None = None) -> list[Latest]:
    """Each active competitor's most recent entry on or before `until` (and not before `since`, if given)."""
    names = {
        c.id: c.name
        for c in session.exec(select(Competitor).where(Competitor.site_id == site_id, col(Competitor.active).is_(True)))
    }
    query = select(CompetitorSurvey, Staff.name).join(Staff, col(Staff.id) == CompetitorSurvey.by_id)
    query = query.where(CompetitorSurvey.site_id == site_id, CompetitorSurvey.surveyed_on <= until)
    if since is not None:
        query = query.where(CompetitorSurvey.surveyed_on >= since)
    newest: dict[int, tuple[CompetitorSurvey, str]] = {}
    for entry, by in session.exec(query.order_by(col(CompetitorSurvey.surveyed_on), col(CompetitorSurvey.id))):
        newest[entry.competitor_id] = (entry, by)
    photos: dict[int, list[Photo]] = {}
    survey_ids = [e.id or 0 for e, _ in newest.values()]
    for photo in photo_store.photos_of(session, site_id=site_id, survey_ids=survey_ids) if survey_ids else []:
        photos.setdefault(photo.competitor_survey_id or 0, []).append(photo)
    out = []
    for cid, name in names.items():
        e, by = newest.get(cid or 0, (None, ''))
        out.append(
            Latest(
                name,
                e.surveyed_on,
                e.price_per_m2,
                e.offers,
                e.stock,
                e.pace,
                e.moves,
                by,
                tuple(photos.get(e.id or 0, [])),
            )
            if e
            else Latest(name, None, None, '', '', '', '', '')
        )
    return out


def latest_photos(entries: list[Latest]) -> list[tuple[Photo, str]]:
    """The photos of the latest entries, each captioned with its project: for the morning meeting and the minutes."""
    return [(photo, x.competitor) for x in entries for photo in x.photos]


def _price(raw: int | str | None) -> int | None:
    if raw in (None, ''):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError as e:
        raise ValidationError('price_per_m2', '均价请填整数（元/㎡）') from e
    if not 1000 <= value <= 500_000:
        raise ValidationError('price_per_m2', '均价应在 1000 到 500000 元/㎡ 之间')
    return value
