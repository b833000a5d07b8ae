"""The demo site's morning: a roster, visits through the real rotation, and the ledger they leave."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import Role, Site, Staff, StaffState, Visit, VisitStatus, utcnow

from . import reception, roster, signin

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
    elif n < len(VISITORS) - 2:  # the last visitors are still being received
        reception.finish(session, actor=receiver, visit_id=result.visit_id, now=next(clock))
