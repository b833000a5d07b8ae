"""Tour mode, the customer page and my follow-ups on a phone (NiceGUI's simulated user)."""

from datetime import date, timedelta

from nicegui.testing import User
from sqlmodel import select

import db
from models import Customer, FollowUp, RosterEntry, StaffState, Tour, TourStop
from services.rotation import reception
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in
from tests.helpers.pages import pick_grade
from tests.helpers.rotation import arrive


def receiving() -> dict:
    """李娜 on shift, greeting a visitor."""
    with db.session() as s:
        site = make_site(s, name='云庐')
        lina = make_staff(s, site=site, name='李娜', username='lina')
        reception.check_in(s, actor=lina)
    result = arrive(site, phone='13912345678')
    with db.session() as s:
        reception.acknowledge(s, actor=lina, visit_id=result.visit_id)
    return {'site': site, 'lina': lina, 'visit_id': result.visit_id}


async def test_a_tour_from_start_to_grade(user: User) -> None:
    data = receiving()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/rotation')
    user.find(marker='tour').click()
    await user.should_see('出发前检查', retries=30)
    user.find(marker='check-车辆').click()
    user.find(marker='tour-start').click()
    await user.should_see('王先生 · 带看中', retries=30)
    await user.should_see('沙盘区')
    with db.session() as s:
        assert s.exec(select(RosterEntry)).one().state == StaffState.TOURING
        second = s.exec(select(TourStop).order_by(TourStop.position)).all()[1]  # type: ignore[arg-type]
    user.find(marker=f'arrive-{second.id}').click()
    await user.should_see(second.talking_points.splitlines()[0], retries=30)
    user.find(marker='liked').type('3-1201')
    user.find(marker='stop-save').click()
    await user.should_see('已记录', retries=30)
    user.find(marker='tour-end').click()
    await user.should_see('意向等级', retries=30)
    user.find(marker='tour-end-confirm').click()
    await user.should_see('请选择意向等级 A/B/C/D', retries=30)
    pick_grade(user, 'A')
    user.find(marker='tour-end-confirm').click()
    await user.should_see('正在接待：王先生', retries=30)
    with db.session() as s:
        tour = s.exec(select(Tour)).one()
        assert tour.ended_at is not None and tour.grade == 'A'
        assert s.exec(select(RosterEntry)).one().state == StaffState.RECEIVING
    assert data['visit_id']


async def test_my_follow_ups_and_logging_one_on_the_customer_page(user: User) -> None:
    data = receiving()
    with db.session() as s:
        customer = s.exec(select(Customer)).one()
        s.add(
            FollowUp(
                site_id=data['site'].id,
                customer_id=customer.id or 0,
                staff_id=data['lina'].id or 0,
                due_on=date.today() - timedelta(days=1),
                method='微信',
            )
        )
        customer.grade = 'B'
        s.commit()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/followups')
    await user.should_see('王先生 · B', retries=30)
    await user.should_see('逾期')
    await user.open(f'/customers/{customer.id}')
    await user.should_see('13912345678')  # the owner sees the whole number
    user.find(marker='log-follow-up').click()
    user.find(marker='follow-up-result').type('约周六来看样板房')
    user.find(marker='follow-up-save').click()
    await user.should_see('微信：约周六来看样板房', retries=30)
    with db.session() as s:
        assert s.exec(select(FollowUp)).one().done_at is not None


async def test_a_colleague_sees_a_masked_phone(user: User) -> None:
    data = receiving()
    with db.session() as s:
        make_staff(s, site=data['site'], name='张伟', username='zhangwei')
        customer_id = s.exec(select(Customer)).one().id
    await log_in(user, 'zhangwei')
    await user.should_see('张伟，您好', retries=30)
    await user.open(f'/customers/{customer_id}')
    await user.should_see('139****5678', retries=30)
    await user.should_not_see('13912345678')


async def test_tour_progress_names_the_stop_and_only_the_next_one_can_be_arrived_at(user: User) -> None:
    receiving()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/rotation')
    user.find(marker='tour').click()
    await user.should_see('出发前检查', retries=30)
    user.find(marker='check-车辆').click()
    user.find(marker='tour-start').click()
    await user.should_see('王先生 · 带看中', retries=30)
    with db.session() as s:
        stops = s.exec(select(TourStop).order_by(TourStop.position)).all()  # type: ignore[arg-type]
    await user.should_see(f'第 1/{len(stops)} 站')
    await user.should_see(marker=f'arrive-{stops[1].id}')
    for later in stops[2:]:
        await user.should_not_see(marker=f'arrive-{later.id}')  # every later stop waits for its turn
    user.find(marker=f'arrive-{stops[1].id}').click()
    await user.should_see(f'第 2/{len(stops)} 站', retries=30)
