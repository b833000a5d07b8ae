"""Competitor surveys: the manager lists a comparable project, a salesperson records what they saw there."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import select

import db
from models import Competitor, CompetitorSurvey, Role
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in


async def test_a_salesperson_records_a_survey_and_sees_it_as_the_latest(user: User) -> None:
    with db.session() as s:
        site = make_site(s, name='云庐')
        make_staff(s, site=site, name='李娜', username='lina')
        make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        s.add(Competitor(site_id=site.id or 0, name='江南府'))
        s.commit()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/reports/competitors')
    await user.should_see('还没有调查记录', retries=30)
    user.find(marker='survey-price').type('41000')
    user.find(marker='survey-offers').type('总价 98 折')
    user.find(marker='save-survey').click()
    await user.should_see('优惠：总价 98 折', retries=40)
    with db.session() as s:
        entry = s.exec(select(CompetitorSurvey)).one()
    assert entry.price_per_m2 == 41000
