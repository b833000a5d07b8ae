"""The demo site's morning: a roster, visits through the real rotation, and the ledger they leave."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import FollowUp, Role, Site, Staff, StaffState, Visit, VisitStatus, utcnow
from services.customers import calls, records
from services.rotation import reception, roster
from services.signin import register as signin
from services.tours import tour as tours

VISITORS = [  # surname, title, phone, party size, channel
    ('陈', '先生', '13911110001', 2, '网络'),
    ('林', '女士', '13911110002', 1, '朋友介绍'),
    ('黄', '先生', '13911110003', 3, '户外广告'),
    ('周', '女士', '13911110004', 2, '路过'),
    ('吴', '先生', '13911110005', 1, '其他'),  # a courier: an invalid reception
    ('陈', '先生', '13911110001', 2, '网络'),  # back again: goes to his owner
    ('郑', '女士', '13911110006', 4, '老客户推荐'),
]


def demo_morning(session: Session, *, site_id: int, now: datetime | None = None) -> None:
    """Check the demo salespeople in and run a morning of visits through the real services."""
    now = now or utcnow()
    query = select(Staff).where(Staff.site_id == site_id, Staff.role == Role.SALESPERSON)
    people = list(session.exec(query.order_by(col(Staff.id))))
    clock = _clock(session, site_id, now, steps=40)
    for person in people:
        reception.check_in(session, actor=person, now=next(clock))
    reception.set_state(session, actor=people[3], state=StaffState.BREAK, now=next(clock))
    _calls(session, people)
    for n, (surname, title, phone, size, channel) in enumerate(VISITORS):
        _visit(
            session,
            site_id,
            signin.SignInForm(
                surname=surname,
                title=title,
                phone=phone,
                party_size=size,
                first_visit=n != 5,
                channel=channel,
                consent=True,
            ),
            n,
            clock,
            people,
        )
    reception.set_state(session, actor=people[3], state=StaffState.AVAILABLE, now=next(clock))
    _follow_ups_due(session, site_id, _site_today(session, site_id, now))


def _clock(session: Session, site_id: int, now: datetime, *, steps: int) -> Iterator[datetime]:
    """Evenly spaced moments of today (the site's day) up to now: at most the last six hours."""
    site = session.get(Site, site_id)
    assert site is not None
    midnight = datetime.combine(roster.local_day(site, now), time(0, 5), tzinfo=ZoneInfo(site.timezone))
    start = max(now - timedelta(hours=6), midnight)
    step = (now - start) / (steps + 1)
    return iter(start + step * n for n in range(1, steps + 1))


def _visit(
    session: Session, site_id: int, form: signin.SignInForm, n: int, clock: Iterator[datetime], people: list[Staff]
) -> None:
    at = next(clock)
    result = signin.sign_in(
        session,
        site_id=site_id,
        form=form,
        source='qr' if n % 3 else 'desk',
        client=f'demo-{n}',
        request_key=f'demo-{n}',
        now=at,
    )
    visit = session.get(Visit, result.visit_id)
    receiver = next((p for p in people if visit and p.id == visit.assigned_id), None)
    if visit is None or receiver is None or visit.status != VisitStatus.ASSIGNED:
        return
    reception.acknowledge(session, actor=receiver, visit_id=result.visit_id, now=at + timedelta(seconds=40 + 9 * n))
    if form.surname == '吴':
        reception.declare_invalid(
            session, actor=receiver, visit_id=result.visit_id, reason='送快递', now=at + timedelta(minutes=2)
        )
    elif n == len(VISITORS) - 2:  # out on a tour right now
        tours.start(session, actor=receiver, visit_id=result.visit_id, checklist={'车辆': True, '安全帽': True}, now=at)
    elif n < len(VISITORS) - 1:  # the last visitor is still being received
        _tour_and_record(session, receiver, result.visit_id, n, clock)


GRADES = 'ABCBD'
OBJECTIONS = [['价格高'], ['交通', '配套'], ['户型'], [], ['交房时间']]


def _tour_and_record(session: Session, receiver: Staff, visit_id: int, n: int, clock: Iterator[datetime]) -> None:
    """A finished tour for the first visitors, then the reception record that ends the reception."""
    grade, today = GRADES[n % len(GRADES)], _site_today(session, receiver.site_id or 0, utcnow())
    if n < 2:
        tour = tours.start(session, actor=receiver, visit_id=visit_id, checklist={'车辆': True}, now=next(clock))
        for stop in tours.route(session, actor=receiver)[1:3]:
            tours.arrive(session, actor=receiver, tour_id=tour.id or 0, stop_id=stop.id or 0, now=next(clock))
        tours.end(session, actor=receiver, tour_id=tour.id or 0, grade=grade, follow_up_on=None, now=next(clock))
    form = records.prefill(session, actor=receiver, visit_id=visit_id)
    form.grade, form.objections, form.purpose = grade, OBJECTIONS[n % len(OBJECTIONS)], records.PURPOSES[n % 3]
    form.next_follow_up_on = today + timedelta(days=1 + n % 3)
    reception.save_and_finish(session, actor=receiver, visit_id=visit_id, form=form, now=next(clock))


def _calls(session: Session, people: list[Staff]) -> None:
    """Answered calls: 郑女士 calls before she comes (linked when she signs in), 孙先生 has not come yet."""
    calls.log_call(session, actor=people[0], form=calls.CallForm('13911110006', '郑', '女士', '老客户推荐', '四房总价'))
    calls.log_call(session, actor=people[1], form=calls.CallForm('13911110099', '孙', '先生', '网络', '有没有两房'))


def _follow_ups_due(session: Session, site_id: int, today: date) -> None:
    """The morning's follow-ups moved to today or earlier: some due, some overdue, as on any real site."""
    query = select(FollowUp).where(FollowUp.site_id == site_id).order_by(col(FollowUp.id))
    for n, task in enumerate(session.exec(query)):
        task.due_on = today - timedelta(days=n % 3)
    session.commit()


def _site_today(session: Session, site_id: int, now: datetime) -> date:
    """The demo's dates are the site's, not the machine's (a server in UTC just after midnight in Shanghai)."""
    site = session.get(Site, site_id)
    assert site is not None
    return roster.local_day(site, now)
