"""The manager's 公平性 page adds up today's rotation per person."""

from nicegui.testing import User

import db
from services.rotation import reception
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive, finish
from tests.helpers.team import seed


async def test_the_manager_reads_the_days_fairness(user: User) -> None:
    people = seed()
    for person in (people['a'], people['b']):
        with db.session() as s:
            reception.check_in(s, actor=person)
    for person in (people['a'], people['b'], people['a']):
        finish(person, arrive(people['site']).visit_id)
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/rotation/manage')
    user.find(marker='link-fairness').click()
    await user.should_see('全天在岗者轮次接待数相差 1 组', retries=30)
    await user.should_see('公平：相差不超过 1 组')
    await user.should_see('接待 2 · 轮次 2 · 老客户 0 · 代接他人 0 · 被代接 0')


async def test_a_salesperson_cannot_open_the_fairness_page(user: User) -> None:
    seed()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/rotation/fairness')
    await user.should_see('您的角色无权打开此页面')
