"""The manager's 午餐轮休安排 page: groups and times for today, and a plan that sends everyone at once refused."""

from nicegui import ui
from nicegui.testing import User

import db
from services.rotation import lunch
from tests.helpers.login import log_in
from tests.helpers.team import seed


async def test_the_manager_plans_todays_lunch_in_groups(user: User) -> None:
    people = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/rotation/manage')
    user.find(marker='link-lunch').click()
    await user.should_see('第 1 组', retries=30)
    await user.should_see('第 2 组')
    for number, person in ((1, people['a']), (2, people['b'])):
        for select in user.find(marker=f'people-{number}').elements:
            select.set_value([person.id])  # type: ignore[attr-defined]
    user.find(marker='save-lunch').click()
    await user.should_see('午餐安排已保存', retries=30)
    with db.session() as s:
        groups = lunch.plan(s, actor=people['manager'])
    assert [[n for _, n in g.people] for g in groups] == [['李娜'], ['张伟']]


async def test_everyone_at_lunch_at_once_is_refused(user: User) -> None:
    people = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/rotation/lunch')
    await user.should_see('第 1 组', retries=30)
    for select in user.find(marker='people-1').elements:
        select.set_value([people['a'].id, people['b'].id])  # type: ignore[attr-defined]
    user.find(kind=ui.button, content='保存').click()
    await user.should_see('午餐须轮流', retries=30)
