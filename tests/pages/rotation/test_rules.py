"""轮序规则: the rules read from the site's settings, in Chinese and English; the manager's switch changes them."""

from nicegui.testing import User

import db
from models import Site
from services.accounts import staff as staff_service
from tests.helpers.login import log_in
from tests.helpers.team import seed


async def test_a_salesperson_reads_the_sites_rules(user: User) -> None:
    seed()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/rotation')
    user.find(marker='rules-link').click()
    await user.should_see('代接不占轮次：代接的同事保留原来的位置。', retries=30)
    await user.should_see('保护期 30 天', retries=5)
    await user.should_see('来访提醒 20 秒内未点“我来接待”会再次提醒；60 秒仍未响应')
    await user.should_see('今天尚未安排午餐轮休')


async def test_the_rules_follow_the_managers_setting(user: User) -> None:
    people = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/rotation/rules')
    await user.should_see('代接不占轮次', retries=30)
    user.find(marker='on-behalf-uses-turn').click()
    await user.should_see('代接占用代接同事的轮次：代接后排到末位。', retries=30)
    with db.session() as s:
        site = s.get(Site, people['site'].id)
        assert site is not None and site.settings['on_behalf_uses_turn'] is True


async def test_the_rules_in_english(user: User) -> None:
    people = seed()
    with db.session() as s:
        staff_service.set_own_language(s, actor=people['a'], language='en')
    await log_in(user, 'lina')
    await user.should_see('Hello, 李娜', retries=30)
    await user.open('/rotation/rules')
    await user.should_see('Rotation rules', retries=30)
    await user.should_see("Receiving on the owner's behalf does not use a turn: the colleague keeps their place.")
