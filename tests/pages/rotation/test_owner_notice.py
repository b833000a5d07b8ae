"""The owner's phone: told at once who receives their customer on their behalf, and 接手 once free."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from nicegui.testing import User
from sqlmodel import select

import db
from models import NotifyAlert, StaffState, utcnow
from services.rotation import reception
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive, finish, set_state
from tests.helpers.team import seed


async def test_the_owner_is_told_of_the_代接_and_takes_over_when_free(
    user: User, create_user: Callable[[], User]
) -> None:
    people = seed()
    for person in (people['a'], people['b']):
        with db.session() as s:
            reception.check_in(s, actor=person)
    first = arrive(people['site'], phone='13912345678')
    finish(people['a'], first.visit_id)  # 李娜 received 王先生 first: he is hers
    set_state(people['a'], StaffState.MEETING)
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/rotation')
    await user.should_see('今日轮序')
    arrive(people['site'], phone='13912345678')
    await user.should_see('您的客户 王先生 到访，由 张伟 代接', retries=30)
    user.find(marker='set-available').click()
    await user.should_see('下一位就是您', retries=30)
    user.find('接手').click()
    await user.should_see('正在接待：王先生', retries=30)
    await user.should_not_see('由 张伟 代接', retries=30)


@pytest.fixture
def sweep_a_minute_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """The running app's greet sweep, fast, on a clock past the site's answer time."""
    from components import greet_sweep

    monkeypatch.setattr(greet_sweep, 'SWEEP_SECONDS', 0.1)
    monkeypatch.setattr(greet_sweep, 'utcnow', lambda: utcnow() + timedelta(seconds=61))


async def test_the_manager_is_told_when_an_alert_goes_unanswered(sweep_a_minute_ahead: None, user: User) -> None:
    people = seed()
    for person in (people['a'], people['b']):
        with db.session() as s:
            reception.check_in(s, actor=person)
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/rotation/manage')
    await user.should_see('今日轮次记录', retries=30)
    arrive(people['site'])  # nobody taps 我来接待: the running app's sweep reminds, then passes the visitor on
    await user.should_see('李娜 未响应来访提醒', retries=50)
    await user.should_see('王先生 已转给 张伟')
    with db.session() as s:  # each step also went to the phones' channels through the outbox
        kinds = {(a.kind, a.staff_id) for a in s.exec(select(NotifyAlert))}
    a, b, manager = people['a'].id, people['b'].id, people['manager'].id
    assert {('reminder', a), ('unanswered', manager), ('visitor_assigned', b)} <= kinds
