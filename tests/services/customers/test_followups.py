"""Follow-ups: today's and overdue, logging one renews protection, the hold-out setting, outcomes."""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session

import db
from models import Customer
from services.core.errors import NotFound, ValidationError
from services.customers import followups, outcomes
from services.rotation import reception
from tests.helpers.customers import customer, form, reads, received
from tests.helpers.factories import site_today
from tests.helpers.rotation import arrive, manager_of, staffed_site


def recorded(session: Session, due: date, names: list[str] | None = None) -> tuple:
    site, people = staffed_site(session, names or ['甲', '乙'])
    v = received(site, people[0])
    with db.session() as s:
        reception.save_and_finish(s, actor=people[0], visit_id=v.id or 0, form=form('B', next_follow_up_on=None))
        c = s.get(Customer, v.customer_id)
        assert c is not None
        followups.schedule(s, c, staff_id=people[0].id or 0, due_on=due, method='微信', created_by=people[0])
        s.commit()
    return site, people, v.customer_id


def test_due_today_and_overdue_are_told_apart(session: Session) -> None:
    _, (a, _b), _ = recorded(session, site_today() - timedelta(days=1))
    with db.session() as s:
        rows = followups.mine(s, actor=a)
    assert [(r.overdue, r.method) for r in rows] == [(True, '微信')]
    site, (c, _d), _ = recorded(session, site_today(), names=['丙', '丁'])
    with db.session() as s:
        assert [r.overdue for r in followups.mine(s, actor=c)] == [False]
        manager = manager_of(s, site)
        assert followups.overdue(s, actor=manager) == []


def test_the_lists_name_the_customer_and_salesperson_in_one_read(session: Session) -> None:
    site, (a, _b), _ = recorded(session, site_today() - timedelta(days=1))
    manager = manager_of(session, site)
    with db.reading() as s, reads() as sent:
        mine = followups.mine(s, actor=a)
    with db.reading() as s:
        late = followups.overdue(s, actor=manager)
    assert [(r.customer, r.staff, r.grade, r.overdue) for r in mine] == [('王先生', '甲', 'B', True)]
    assert [(r.customer, r.staff) for r in late] == [('王先生', '甲')]
    assert len(sent) == 2  # the site (for its day), then the list


def test_logging_a_follow_up_renews_protection_and_sets_the_next(session: Session) -> None:
    _, (a, _b), customer_id = recorded(session, site_today())
    before = customer(customer_id).protected_until
    later = datetime.now().astimezone() + timedelta(days=20)
    with db.session() as s:
        task = followups.mine(s, actor=a)[0]
        followups.log_done(
            s,
            actor=a,
            follow_up_id=task.id,
            result='约周六再来',
            grade='A',
            next_on=site_today() + timedelta(21),
            now=later,
        )
        rows = followups.mine(s, actor=a)
    after = customer(customer_id)
    assert before is not None and after.protected_until is not None and after.protected_until > before
    assert after.grade == 'A' and [r.due_on for r in rows] == [site_today() + timedelta(21)]
    with pytest.raises(ValidationError), db.session() as s:
        followups.log_done(s, actor=a, follow_up_id=task.id, result='again')


def test_a_colleague_cannot_log_my_follow_up(session: Session) -> None:
    _, (a, b), _ = recorded(session, site_today())
    with db.session() as s:
        task = followups.mine(s, actor=a)[0]
    with pytest.raises(NotFound), db.session() as s:
        followups.log_done(s, actor=b, follow_up_id=task.id, result='x')


def test_overdue_salespeople_are_held_out_only_when_the_manager_switches_it_on(session: Session) -> None:
    site, (_a, b), _ = recorded(session, site_today() - timedelta(days=2))
    manager = manager_of(session, site)
    assert arrive(site).consultant == '乙'  # 甲 received last: 乙 is up anyway
    with db.session() as s:
        reception.save_and_finish(s, actor=b, visit_id=_open_visit_of(s, b.id), form=form('C', next_follow_up_on=None))
    with db.session() as s:
        followups.set_hold_out(s, actor=manager, on=True)
    assert arrive(site).consultant == '乙'  # 甲 would be next, but is held out with an overdue follow-up
    with db.session() as s:
        followups.set_hold_out(s, actor=manager, on=False)
    assert arrive(site).consultant == '甲'


def test_only_a_manager_switches_the_hold_out(session: Session) -> None:
    _, (a, _b), _ = recorded(session, site_today())
    with pytest.raises(Exception, match='没有权限'), db.session() as s:
        followups.set_hold_out(s, actor=a, on=True)


def test_a_deal_closes_the_follow_ups_and_a_cold_customer_is_the_managers_call(session: Session) -> None:
    site, (a, _b), customer_id = recorded(session, site_today())
    manager = manager_of(session, site)
    with db.session() as s:
        outcomes.deal(s, actor=a, customer_id=customer_id, unit='3-1201', amount_wan='268.5', on=site_today())
        assert followups.mine(s, actor=a) == []
        assert s.get(Customer, customer_id).outcome == 'deal'  # type: ignore[union-attr]
    with pytest.raises(ValidationError), db.session() as s:
        outcomes.deal(s, actor=a, customer_id=customer_id, unit='x', amount_wan='9999999', on=site_today())
    with pytest.raises(ValidationError), db.session() as s:
        outcomes.no_deal(s, actor=a, customer_id=customer_id, reason='天气不好')
    with db.session() as s:
        outcomes.no_deal(s, actor=a, customer_id=customer_id, reason='买了竞品')
        outcomes.keep_following(s, actor=manager, customer_id=customer_id, keep=False)
    assert customer(customer_id).follow_up is False and customer(customer_id).lost_reason == '买了竞品'


def test_a_deal_date_in_the_future_is_refused(session: Session) -> None:
    _, (a, _b), customer_id = recorded(session, site_today())
    with pytest.raises(ValidationError) as refused, db.session() as s:
        outcomes.deal(s, actor=a, customer_id=customer_id, unit='1-101', amount_wan=200, on=site_today() + timedelta(9))
    assert refused.value.field == 'on'


def _open_visit_of(s: Session, staff_id: int | None) -> int:
    from sqlmodel import select

    from models import Visit, VisitStatus

    found = s.exec(select(Visit).where(Visit.assigned_id == staff_id, Visit.status == VisitStatus.ASSIGNED)).one()
    return found.id or 0
