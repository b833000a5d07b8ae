"""Three months of the demo site's history, through the real services: visits received and recorded, calls, deals
and no-deals, follow-ups done, competitor surveys, two months' reports filed and last week's minutes to sign."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import Customer, FollowUp, Role, Site, Staff, Visit, VisitStatus, utcnow
from services import competitors
from services.core.errors import DomainError
from services.customers import calls, outcomes, records
from services.customers.followups import log_done
from services.rotation import reception
from services.signin import register as signin

from . import filing, minutes
from .period import local_date, previous_month

DAYS = 91
SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁'
CHANNELS = ['网络', '网络', '朋友介绍', '户外广告', '路过', '老客户推荐', '报纸']
DISTRICTS = ['滨江区', '滨江区', '上城区', '西湖区', '萧山区', '拱墅区']
OBJECTIONS = [['价格高'], ['交通'], ['户型'], ['价格高', '配套'], [], ['交房时间'], ['楼层/朝向']]
NO_DEAL = ['价格/总价超预算', '户型不合适', '买了竞品', '暂不购房']
RIVALS = [('江南府', 43000, '总价 98 折'), ('钱塘印', 39500, '首付分期')]


def demo_history(session: Session, *, site_id: int, days: int = DAYS, now: datetime | None = None) -> None:
    """The demo's last three months (today is the morning's): a few visitors a day, more at weekends."""
    now = now or utcnow()
    site = session.get(Site, site_id)
    assert site is not None
    manager = session.exec(select(Staff).where(Staff.site_id == site_id, Staff.role == Role.MANAGER)).one()
    sales = list(
        session.exec(
            select(Staff)
            .where(Staff.site_id == site_id, Staff.role == Role.SALESPERSON, col(Staff.mentor_id).is_(None))
            .order_by(col(Staff.id))
        )
    )
    rng, today = random.Random(14), local_date(site, now)  # noqa: S311 - a demo's made-up history
    rivals = [competitors.add_competitor(session, actor=manager, name=name) for name, _, _ in RIVALS]
    phones: list[str] = []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        _day(session, site, day, sales, rng, phones, today)
        if offset % 10 == 0:
            _surveys(session, site, day, sales[offset % len(sales)], rivals, offset)
    _outcomes(session, site, manager, rng, today)
    _reports(session, site, manager, now)
    _minutes(session, site, manager, today)


def _day(
    session: Session,
    site: Site,
    day: date,
    sales: list[Staff],
    rng: random.Random,
    phones: list[str],
    today: date,
) -> None:
    on_shift = [sales[(day.toordinal() + k) % len(sales)] for k in range(2)]
    clock = _clock(site, day)
    visitors = rng.choice((1, 2, 3) if day.weekday() >= 5 else (0, 0, 0, 1))
    for person in on_shift if visitors else []:
        reception.check_in(session, actor=person, now=next(clock))
    for n in range(visitors):
        returning = phones and rng.random() < 0.2
        phone = rng.choice(phones) if returning else f'1392{len(phones):07d}'
        if not returning:
            phones.append(phone)
        _visit(session, site, phone, rng, clock, on_shift, day, today, key=f'hist-{day}-{n}')
    if visitors and rng.random() < 0.7:
        channel = rng.choice(CHANNELS)
        calls.log_call(
            session,
            actor=on_shift[0],
            now=next(clock),
            form=calls.CallForm(
                f'1375{day.toordinal() % 10_000_000:07d}', rng.choice(SURNAMES), '先生', channel, '问价格和户型'
            ),
        )
    for person in on_shift if visitors else []:
        _follow_ups(session, person, day, next(clock), rng)


def _visit(
    session: Session,
    site: Site,
    phone: str,
    rng: random.Random,
    clock: Iterator[datetime],
    on_shift: list[Staff],
    day: date,
    today: date,
    *,
    key: str,
) -> None:
    form = signin.SignInForm(
        surname=rng.choice(SURNAMES),
        title=rng.choice(('先生', '女士')),
        phone=phone,
        party_size=rng.choice((1, 2, 2, 3)),
        channel=rng.choice(CHANNELS),
        consent=True,
    )
    at = next(clock)
    result = signin.sign_in(session, site_id=site.id or 0, form=form, source='qr', client=key, request_key=key, now=at)
    visit = session.get(Visit, result.visit_id)
    person = next((p for p in on_shift if visit and p.id == visit.assigned_id), None)
    if visit is None or person is None or visit.status != VisitStatus.ASSIGNED:
        return
    reception.acknowledge(
        session, actor=person, visit_id=visit.id or 0, now=at + timedelta(seconds=rng.randint(20, 150))
    )
    record = records.prefill(session, actor=person, visit_id=visit.id or 0)
    record.grade = rng.choice('AABBBCCD')
    record.age_band, record.purpose = rng.choice(records.AGE_BANDS[1:4]), rng.choice(records.PURPOSES)
    record.unit_type = rng.choice(records.UNIT_TYPES[1:4])
    record.area_wanted, record.budget_wan = rng.choice((89, 105, 120, 143, 168)), rng.choice((260, 320, 380, 450, 600))
    record.residence, record.payment = rng.choice(DISTRICTS), rng.choice(records.PAYMENTS)
    record.objections = rng.choice(OBJECTIONS)
    record.next_follow_up_on = min(day + timedelta(days=rng.randint(1, 4)), today)
    reception.save_and_finish(session, actor=person, visit_id=visit.id or 0, form=record, now=next(clock))


def _follow_ups(session: Session, person: Staff, day: date, at: datetime, rng: random.Random) -> None:
    """Most follow-ups due that day are done on the day; some a day late, some never."""
    query = select(FollowUp).where(
        FollowUp.staff_id == person.id,
        FollowUp.due_on <= day,
        col(FollowUp.done_at).is_(None),
        col(FollowUp.cancelled).is_(False),
    )
    for task in session.exec(query).all():
        if task.due_on == day and rng.random() < 0.25:
            continue  # late, or forgotten
        if rng.random() < 0.85:
            log_done(session, actor=person, follow_up_id=task.id or 0, result='电话沟通，约周末再来看房', now=at)


def _outcomes(session: Session, site: Site, manager: Staff, rng: random.Random, today: date) -> None:
    """Deals for a third of the A and B customers, no-deals for some of the others, on days after their visit."""
    graded = session.exec(
        select(Customer)
        .where(
            Customer.site_id == site.id,
            col(Customer.phone).startswith('1392'),
            Customer.outcome == '',
        )
        .order_by(col(Customer.id))
    ).all()
    for c in graded:
        first = session.exec(select(col(Visit.day)).where(Visit.customer_id == c.id).order_by(col(Visit.day))).first()
        if first is None or (today - first).days < 5:
            continue
        on = min(first + timedelta(days=rng.randint(3, 25)), today - timedelta(days=1))
        at = datetime.combine(on, time(16), tzinfo=ZoneInfo(site.timezone))
        try:
            if c.grade in ('A', 'B') and rng.random() < 0.35:
                outcomes.deal(
                    session,
                    actor=manager,
                    customer_id=c.id or 0,
                    unit=f'{rng.randint(1, 9)}-{rng.randint(2, 30)}0{rng.randint(1, 4)}',
                    amount_wan=rng.choice((268, 315, 342.5, 398, 455, 520)),
                    on=on,
                    now=at,
                )
            elif c.grade in ('C', 'D') and rng.random() < 0.4:
                outcomes.no_deal(session, actor=manager, customer_id=c.id or 0, reason=rng.choice(NO_DEAL), now=at)
        except DomainError:
            session.rollback()


def _surveys(session: Session, site: Site, day: date, person: Staff, rivals: list, offset: int) -> None:
    for rival, (_, price, offer) in zip(rivals, RIVALS, strict=True):
        form = competitors.SurveyForm(
            competitor_id=rival.id,
            surveyed_on=day,
            price_per_m2=price + 50 * (offset % 7),
            offers=offer,
            pace=f'本周成交约 {3 + offset % 5} 套',
            stock='三期 2 幢加推',
        )
        competitors.add_survey(
            session, actor=person, form=form, now=datetime.combine(day, time(8), tzinfo=ZoneInfo(site.timezone))
        )


def _reports(session: Session, site: Site, manager: Staff, now: datetime) -> None:
    """The report of two months ago filed on the 3rd; last month's left as a draft for the manager to file."""
    last = filing.report_month(site, now)
    before = previous_month(last)
    filing.save_parts(
        session,
        actor=manager,
        month=before,
        spend={'网络': 18000, '户外广告': 30000, '报纸': 8000},
        targets={'deals': 8, 'new': 60},
        texts={
            'analysis': '本月来访以网络和户外广告为主，周末集中；成交集中在三房。',
            'last_month_work': '完成样板间开放活动，老客户推荐政策上线。',
            'this_month_plan': '加强 A/B 级客户回访，月底前推出三期加推房源。',
        },
    )
    first = datetime.strptime(last + '-03', '%Y-%m-%d').replace(hour=2, tzinfo=ZoneInfo('UTC'))
    filing.file(session, actor=manager, month=before, now=first)
    filing.save_parts(
        session,
        actor=manager,
        month=last,
        spend={'网络': 20000, '户外广告': 30000},
        targets={'deals': 8},
        texts={'analysis': '', 'last_month_work': '', 'this_month_plan': ''},
    )


def _minutes(session: Session, site: Site, manager: Staff, today: date) -> None:
    """Last Monday's meeting, its notes written, waiting for the attendees to sign."""
    monday = today - timedelta(days=today.weekday() or 7)
    held = datetime.combine(monday, time(9, 30), tzinfo=ZoneInfo(site.timezone))
    found = minutes.hold(session, actor=manager, held_at=held, place='售楼处会议室')
    notes = ['', '统一说词：地铁 7 号线 2028 年通车，步行 600 米', '价格抗性：强调精装标准与得房率']
    minutes.edit(session, actor=manager, minutes_id=found.id or 0, header={}, notes=notes)
    minutes.send_for_signing(session, actor=manager, minutes_id=found.id or 0)


def _clock(site: Site, day: date) -> Iterator[datetime]:
    start = datetime.combine(day, time(9), tzinfo=ZoneInfo(site.timezone))
    return iter(start + timedelta(minutes=7 * n) for n in range(200))
