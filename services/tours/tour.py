"""Tours (带看): the site's route, a tour from a reception stop by stop, and the touring state on the rotation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import (
    ContactKind,
    Customer,
    Role,
    Staff,
    StaffState,
    Tour,
    TourStop,
    TourStopVisit,
    Visit,
    VisitStatus,
    utcnow,
)
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.events import emit_rotation
from services.core.validation import clean_text
from services.customers import contacts, followups
from services.customers.followups import followup_date
from services.rotation import roster

DEFAULT_ROUTE = [  # name, talking points, needs a helmet
    ('沙盘区', '区位与交通：地铁站步行距离\n规划：社区总体布局、楼栋分布\n配套：学校、商业、公园', False),
    ('区域模型与户型模型', '主力户型与面积段\n得房率与赠送面积', False),
    ('样板房', '空间尺度与采光\n精装标准与品牌\n收纳与动线', False),
    ('工地实景', '施工进度与交房时间\n建筑质量与用材\n请佩戴安全帽', True),
    ('洽谈区', '价格与付款方式\n优惠政策\n确认意向与下次到访', False),
]
CHECKLIST = ('车辆', '安全帽', '雨伞/遮阳伞', '楼书与户型图')


@dataclass(frozen=True)
class StopView:
    stop_id: int
    name: str
    talking_points: list[str]
    needs_helmet: bool
    arrived_at: datetime | None
    minutes: float | None  # time spent there (so far, for the current stop)
    notes: str
    liked_units: str
    objections: list[str]


@dataclass(frozen=True)
class TourView:
    tour_id: int
    visit_id: int
    customer: str
    started_at: datetime
    ended_at: datetime | None
    stops: list[StopView]
    current: int | None  # index into stops of the stop the tour is at


def route(session: Session, *, actor: Staff) -> list[TourStop]:
    """The site's route in order; a site that has none gets the default route."""
    site = contacts.site_of(session, actor)
    stops = list(
        session.exec(
            select(TourStop)
            .where(TourStop.site_id == site.id, col(TourStop.active))
            .order_by(col(TourStop.position), col(TourStop.id))
        )
    )
    if stops or session.exec(select(TourStop.id).where(TourStop.site_id == site.id)).first():
        return stops
    for n, (name, points, helmet) in enumerate(DEFAULT_ROUTE):
        session.add(TourStop(site_id=site.id or 0, position=n, name=name, talking_points=points, needs_helmet=helmet))
    session.commit()
    return route(session, actor=actor)


def save_stop(
    session: Session, *, actor: Staff, name: str, talking_points: str, needs_helmet: bool, stop_id: int | None = None
) -> TourStop:
    """The manager adds a stop at the end of the route, or edits one."""
    authz.require(actor, authz.MANAGERS)
    stops = route(session, actor=actor)
    stop = next((s for s in stops if s.id == stop_id), None) if stop_id else None
    if stop_id and stop is None:
        raise NotFound()
    stop = stop or TourStop(
        site_id=actor.site_id or 0, position=max((s.position for s in stops), default=0) + 1, name=''
    )
    stop.name = clean_text(name, field='name', max_length=30, required=True)
    stop.talking_points = clean_text(talking_points, field='talking_points', max_length=1000)
    stop.needs_helmet = bool(needs_helmet)
    session.add(stop)
    session.flush()  # a new stop's id, for the audit log
    audit.record(
        session,
        actor=actor,
        action='save_tour_stop',
        entity='tour_stop',
        entity_id=stop.id,
        site_id=actor.site_id,
        after=audit.snapshot(stop),
    )
    session.commit()
    return stop


def move_stop(session: Session, *, actor: Staff, stop_id: int, by: int) -> None:
    """Move a stop up (-1) or down (+1) the route."""
    authz.require(actor, authz.MANAGERS)
    stops = route(session, actor=actor)
    i = next((n for n, s in enumerate(stops) if s.id == stop_id), None)
    if i is None:
        raise NotFound()
    j = max(0, min(len(stops) - 1, i + by))
    stops.insert(j, stops.pop(i))
    for n, stop in enumerate(stops):
        stop.position = n
    audit.record(
        session,
        actor=actor,
        action='move_route_stop',
        entity='tour_stop',
        entity_id=stop_id,
        site_id=actor.site_id,
        after={'position': j},
    )
    session.commit()


def remove_stop(session: Session, *, actor: Staff, stop_id: int) -> None:
    authz.require(actor, authz.MANAGERS)
    stop = session.get(TourStop, stop_id)
    if stop is None or stop.site_id != actor.site_id:
        raise NotFound()
    stop.active = False
    audit.record(
        session, actor=actor, action='remove_tour_stop', entity='tour_stop', entity_id=stop.id, site_id=stop.site_id
    )
    session.commit()


def start(
    session: Session, *, actor: Staff, visit_id: int, checklist: dict[str, bool], now: datetime | None = None
) -> Tour:
    """Out with the customer: the salesperson shows as touring (带看中) on the rotation until the tour ends."""
    now = now or utcnow()
    visit = _my_visit(session, actor, visit_id)
    if visit.status != VisitStatus.RECEIVING:
        raise ValidationError('visit', '请先点“我来接待”再开始带看')
    if _open_tour(session, visit_id) is not None:
        raise ValidationError('tour', '带看已经开始')
    stops = route(session, actor=actor)
    day = roster.load(session, roster.lock_site(session, visit.site_id), now)
    tour = Tour(
        site_id=visit.site_id,
        visit_id=visit_id,
        customer_id=visit.customer_id,
        staff_id=actor.id or 0,
        started_at=now,
        checklist={k: bool(v) for k, v in checklist.items() if k in CHECKLIST},
    )
    session.add(tour)
    session.flush()
    if stops:
        session.add(TourStopVisit(tour_id=tour.id or 0, stop_id=stops[0].id, name=stops[0].name, arrived_at=now))
    _set_seat(day, actor.id or 0, StaffState.TOURING)
    roster.save(session, day, now)
    session.commit()
    emit_rotation(visit.site_id, [])
    return tour


def arrive(session: Session, *, actor: Staff, tour_id: int, stop_id: int, now: datetime | None = None) -> None:
    """Tap to arrive at a stop: the one before is left now."""
    now = now or utcnow()
    tour = _my_tour(session, actor, tour_id)
    stop = session.get(TourStop, stop_id)
    if stop is None or stop.site_id != tour.site_id:
        raise NotFound()
    for done in _stop_visits(session, tour.id or 0):
        done.left_at = done.left_at or now
    session.add(TourStopVisit(tour_id=tour.id or 0, stop_id=stop.id, name=stop.name, arrived_at=now))
    session.commit()


def note(
    session: Session,
    *,
    actor: Staff,
    tour_id: int,
    notes: str = '',
    liked_units: str = '',
    objections: list[str] | None = None,
) -> None:
    """Quick notes, units liked and objections heard at the current stop."""
    tour = _my_tour(session, actor, tour_id)
    visits = _stop_visits(session, tour.id or 0)
    if not visits:
        raise ValidationError('stop', '请先到达一个站点')
    here = visits[-1]
    here.notes = clean_text(notes, field='notes', max_length=500)
    here.liked_units = clean_text(liked_units, field='liked_units', max_length=100)
    offered = set(contacts.setting(contacts.site_of(session, actor), 'objections')) | set(here.objections)
    chosen = [o for o in dict.fromkeys((objections or [])[:10]) if o]
    if any(o not in offered for o in chosen):  # the site's list only, as the chips offer it
        raise ValidationError('objections', '请从选项中选择')
    here.objections = chosen
    session.commit()


def end(
    session: Session,
    *,
    actor: Staff,
    tour_id: int,
    grade: str,
    follow_up_on: date | None,
    method: str = '电话',
    now: datetime | None = None,
) -> Tour:
    """Back from the tour with an intent grade and the next follow-up; the salesperson is receiving again."""
    now = now or utcnow()
    tour = _my_tour(session, actor, tour_id)
    customer = session.get(Customer, tour.customer_id)
    assert customer is not None
    site = contacts.site_of(session, actor)
    day_due = followup_date(follow_up_on, contacts.local_today(site, now))
    contacts.check_version(customer, None)
    contacts.set_grade(session, customer, grade, staff_id=actor.id, at=now)
    visits = _stop_visits(session, tour.id or 0)
    for v in visits:
        v.left_at = v.left_at or now
    tour.ended_at, tour.grade = now, grade
    contacts.log(
        session, customer, kind=ContactKind.TOUR, at=now, staff_id=actor.id, summary=_summary(tour, visits), grade=grade
    )
    if day_due and customer.follow_up:
        followups.schedule(
            session,
            customer,
            staff_id=customer.owner_id or actor.id or 0,
            due_on=day_due,
            method=method,
            created_by=actor,
        )
    session.commit()
    _back_to_receiving(session, tour, now)
    return tour


def view(session: Session, *, actor: Staff, visit_id: int, now: datetime | None = None) -> TourView | None:
    """The visit's latest tour as the tour page shows it (None: not started)."""
    visit = _my_visit(session, actor, visit_id)
    tour = session.exec(select(Tour).where(Tour.visit_id == visit_id).order_by(col(Tour.id).desc())).first()
    if tour is None:
        return None
    customer = session.get(Customer, visit.customer_id)
    been = {v.stop_id: v for v in _stop_visits(session, tour.id or 0)}
    last = _stop_visits(session, tour.id or 0)[-1:]
    stops = [_stop_view(s, been.get(s.id), now or utcnow()) for s in route(session, actor=actor)]
    current = next((n for n, s in enumerate(stops) if last and s.stop_id == last[0].stop_id), None)
    name = f'{customer.surname}{customer.title}' if customer else ''
    return TourView(
        tour.id or 0, visit_id, name, tour.started_at, tour.ended_at, stops, None if tour.ended_at else current
    )


def open_tour_of(session: Session, *, actor: Staff) -> Tour | None:
    """The actor's tour still out, if any."""
    return session.exec(select(Tour).where(Tour.staff_id == actor.id, col(Tour.ended_at).is_(None))).first()


def _stop_view(stop: TourStop, been: TourStopVisit | None, now: datetime) -> StopView:
    minutes = ((been.left_at or now) - been.arrived_at).total_seconds() / 60 if been else None
    points = [p for p in stop.talking_points.splitlines() if p.strip()]
    if been is None:
        return StopView(stop.id or 0, stop.name, points, stop.needs_helmet, None, None, '', '', [])
    return StopView(
        stop.id or 0,
        stop.name,
        points,
        stop.needs_helmet,
        been.arrived_at,
        minutes,
        been.notes,
        been.liked_units,
        list(been.objections),
    )


def _summary(tour: Tour, visits: list[TourStopVisit]) -> str:
    minutes = round(((tour.ended_at or utcnow()) - tour.started_at).total_seconds() / 60)
    liked = '、'.join(v.liked_units for v in visits if v.liked_units)
    heard = '、'.join(o for v in visits for o in v.objections)
    parts = [f'{len(visits)} 站 · {minutes} 分钟', f'喜欢：{liked}' if liked else '', f'抗性：{heard}' if heard else '']
    return ' · '.join(p for p in parts if p)


def _back_to_receiving(session: Session, tour: Tour, now: datetime) -> None:
    day = roster.load(session, roster.lock_site(session, tour.site_id), now)
    if tour.staff_id in day.entries:
        _set_seat(day, tour.staff_id, StaffState.RECEIVING)
        roster.save(session, day, now)
    session.commit()
    emit_rotation(tour.site_id, [])


def _set_seat(day: roster.Roster, staff_id: int, state: StaffState) -> None:
    seat = next((s for s in day.seats if s.staff_id == staff_id), None)
    if seat is None:
        raise ValidationError('state', '您今天还没有签到上岗')
    seat.state = state


def _stop_visits(session: Session, tour_id: int) -> list[TourStopVisit]:
    return list(
        session.exec(select(TourStopVisit).where(TourStopVisit.tour_id == tour_id).order_by(col(TourStopVisit.id)))
    )


def _open_tour(session: Session, visit_id: int) -> Tour | None:
    return session.exec(select(Tour).where(Tour.visit_id == visit_id, col(Tour.ended_at).is_(None))).first()


def _my_tour(session: Session, actor: Staff, tour_id: int) -> Tour:
    tour = session.get(Tour, tour_id)
    if tour is None or tour.site_id != actor.site_id or (actor.role == Role.SALESPERSON and tour.staff_id != actor.id):
        raise NotFound()
    if tour.ended_at is not None:
        raise ValidationError('tour', '该带看已结束')
    return tour


def _my_visit(session: Session, actor: Staff, visit_id: int) -> Visit:
    authz.require(actor, contacts.ON_SITE)
    visit = session.get(Visit, visit_id)
    if (
        visit is None
        or visit.site_id != actor.site_id
        or (actor.role == Role.SALESPERSON and visit.assigned_id != actor.id)
    ):
        raise NotFound()
    return visit
