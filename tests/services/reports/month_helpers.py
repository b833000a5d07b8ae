"""A site's October 2026, written straight into the tables: what the monthly report must count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import (
    Checklist,
    ChecklistStatus,
    Competitor,
    CompetitorSurvey,
    Complaint,
    ContactKind,
    ContactLog,
    Customer,
    DisciplineRecord,
    FollowUp,
    PhoneCall,
    ReceptionRecord,
    Role,
    Site,
    Staff,
    Visit,
    VisitStatus,
)
from tests.helpers.factories import make_site, make_staff

ZONE = ZoneInfo('Asia/Shanghai')
MONTH = '2026-10'


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@dataclass
class Month:
    site: Site
    manager: Staff
    lina: Staff
    zhang: Staff
    customers: list[Customer]


def october(session: Session) -> Month:
    """Six customers, visits (one invalid, one on each side of the month), calls, a deal, a no-deal, grades,
    follow-ups, a complaint, checklists, a discipline record and a competitor survey."""
    site = make_site(session, name='云庐', code='YL')
    manager = make_staff(session, site=site, role=Role.MANAGER, name='王静')
    lina = make_staff(session, site=site, name='李娜')
    zhang = make_staff(session, site=site, name='张伟')
    channels = ['网络', '网络', '朋友介绍', '路过', '户外广告', '网络']
    customers = []
    for n, channel in enumerate(channels):
        c = Customer(
            site_id=site.id or 0,
            surname='王李张刘陈杨'[n],
            title='先生',
            phone=f'1380000{n:04d}',
            channel=channel,
            owner_id=(lina if n % 2 == 0 else zhang).id,
        )
        session.add(c)
        customers.append(c)
    session.flush()
    ids = [c.id or 0 for c in customers]
    _visits(session, site, ids, lina, zhang)
    _calls(session, site, ids, lina)
    _outcomes(customers)
    _grades(session, site, ids)
    _followups(session, site, ids, lina, zhang)
    _service(session, site, ids, lina, zhang, manager)
    session.commit()
    return Month(site, manager, lina, zhang, customers)


def _visits(session: Session, site: Site, ids: list[int], lina: Staff, zhang: Staff) -> None:
    plan = [  # customer index, day, hour, returning, staff, status
        (0, date(2026, 10, 3), 10, False, lina, VisitStatus.ENDED),
        (1, date(2026, 10, 3), 14, False, zhang, VisitStatus.ENDED),
        (2, date(2026, 10, 12), 10, False, lina, VisitStatus.ENDED),
        (0, date(2026, 10, 18), 15, True, lina, VisitStatus.ENDED),
        (3, date(2026, 10, 25), 11, False, zhang, VisitStatus.RECEIVING),
        (4, date(2026, 10, 26), 16, False, zhang, VisitStatus.INVALID),
        (5, date(2026, 10, 31), 23, False, lina, VisitStatus.ENDED),  # 15:00 UTC: still October in Shanghai
        (2, date(2026, 9, 20), 10, False, lina, VisitStatus.ENDED),  # last month
        (1, date(2026, 11, 1), 0, True, zhang, VisitStatus.ENDED),  # 16:00 UTC on Oct 31: next month
    ]
    records = [  # for the first visits: residence, age, purpose, unit type, area, budget, objections, grade, payment
        ('滨江区', '26-35岁', '自住', '三房', 120, 350, ['价格高', '交通'], 'A', '商业贷款'),
        ('西湖区', '36-45岁', '改善', '四房及以上', 150, 600, ['价格高'], 'B', '一次性'),
        ('滨江区', '26-35岁', '自住', '两房', 89, 250, ['户型'], 'C', ''),
    ]
    for n, (index, day, hour, returning, person, status) in enumerate(plan):
        at = local(day, hour)
        visit = Visit(
            site_id=site.id or 0,
            day=day,
            customer_id=ids[index],
            arrived_at=at,
            returning_customer=returning,
            status=status,
            assigned_id=person.id,
            assigned_at=at,
            acknowledged_at=at + timedelta(seconds=60),
            request_key=f'v{n}',
        )
        session.add(visit)
        session.flush()
        if n < len(records):
            res, age, purpose, unit, area, budget, objections, grade, pay = records[n]
            session.add(
                ReceptionRecord(
                    site_id=site.id or 0,
                    visit_id=visit.id or 0,
                    customer_id=ids[index],
                    staff_id=person.id or 0,
                    name='王',
                    title='先生',
                    residence=res,
                    age_band=age,
                    purpose=purpose,
                    unit_type=unit,
                    area_wanted=area,
                    budget_wan=budget,
                    payment=pay,
                    objections=objections,
                    grade=grade,
                    created_at=at,
                )
            )


def _calls(session: Session, site: Site, ids: list[int], lina: Staff) -> None:
    for at, channel, customer in [
        (local(date(2026, 10, 2), 10), '网络', ids[0]),  # called, then came on the 3rd
        (local(date(2026, 10, 20), 9), '网络', None),
        (local(date(2026, 10, 21), 9), '户外广告', None),
        (local(date(2026, 11, 1), 0, 30), '网络', None),  # Oct 31 16:30 UTC: November in Shanghai
    ]:
        session.add(
            PhoneCall(
                site_id=site.id or 0,
                at=at,
                phone='13900000000',
                channel=channel,
                answered_by_id=lina.id or 0,
                customer_id=customer,
            )
        )


def _outcomes(customers: list[Customer]) -> None:
    deal, lost = customers[0], customers[1]
    deal.outcome, deal.outcome_on, deal.deal_amount_wan, deal.deal_unit = 'deal', date(2026, 10, 20), 352.5, '3-1801'
    lost.outcome, lost.outcome_on, lost.lost_reason = 'lost', date(2026, 10, 25), '户型不合适'


def _grades(session: Session, site: Site, ids: list[int]) -> None:
    for index, day, grade in [
        (2, date(2026, 9, 15), 'B'),
        (2, date(2026, 10, 12), 'A'),
        (3, date(2026, 10, 25), 'C'),
        (1, date(2026, 9, 10), 'B'),
        (0, date(2026, 10, 3), 'A'),
    ]:
        session.add(
            ContactLog(
                site_id=site.id or 0, customer_id=ids[index], at=local(day, 12), kind=ContactKind.GRADE, grade=grade
            )
        )


def _followups(session: Session, site: Site, ids: list[int], lina: Staff, zhang: Staff) -> None:
    for person, due, done, cancelled in [
        (lina, date(2026, 10, 5), local(date(2026, 10, 5), 20), False),  # on time
        (lina, date(2026, 10, 6), local(date(2026, 10, 8), 10), False),  # late
        (zhang, date(2026, 10, 27), None, False),  # not done
        (zhang, date(2026, 10, 28), None, True),  # cancelled: not counted
    ]:
        session.add(
            FollowUp(
                site_id=site.id or 0,
                customer_id=ids[2],
                staff_id=person.id or 0,
                due_on=due,
                done_at=done,
                cancelled=cancelled,
            )
        )


def _service(session: Session, site: Site, ids: list[int], lina: Staff, zhang: Staff, manager: Staff) -> None:
    created = local(date(2026, 10, 9), 10)
    session.add(
        Complaint(
            site_id=site.id or 0,
            customer_id=ids[1],
            channel='来访',
            category='attitude',
            severity='serious',
            what_happened='等了很久',
            status='closed',
            taken_by_id=lina.id or 0,
            created_at=created,
            acknowledge_due_at=created + timedelta(hours=1),
            resolve_due_at=created + timedelta(days=1),
            acknowledged_at=created + timedelta(minutes=30),
            resolved_at=created + timedelta(hours=5),
            satisfaction=4,
        )
    )
    from models import ChecklistTemplate

    template = ChecklistTemplate(site_id=site.id or 0, kind='opening', name='开场')
    session.add(template)
    session.flush()
    for n, (submitted, status) in enumerate(
        [
            (local(date(2026, 10, 2), 8, 30), ChecklistStatus.SIGNED_OFF),
            (local(date(2026, 10, 3), 9, 30), ChecklistStatus.SUBMITTED),
            (None, ChecklistStatus.OPEN),
        ]
    ):
        day = date(2026, 10, 2 + n)
        session.add(
            Checklist(
                site_id=site.id or 0,
                day=day,
                template_id=template.id or 0,
                kind='opening',
                name='开场',
                due_at=local(day, 8, 45),
                status=status,
                submitted_at=submitted,
            )
        )
    session.add(
        DisciplineRecord(
            site_id=site.id or 0, staff_id=zhang.id or 0, rule='接待时玩手机', at=local(date(2026, 10, 14), 15)
        )
    )
    rival = Competitor(site_id=site.id or 0, name='江南府')
    session.add(rival)
    session.flush()
    for day, price in [(date(2026, 10, 8), 42000), (date(2026, 10, 22), 41000), (date(2026, 11, 2), 40000)]:
        session.add(
            CompetitorSurvey(
                site_id=site.id or 0,
                competitor_id=rival.id or 0,
                surveyed_on=day,
                by_id=lina.id or 0,
                price_per_m2=price,
                offers='98折',
            )
        )
