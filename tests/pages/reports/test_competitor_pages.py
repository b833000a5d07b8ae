"""Competitor surveys: the manager lists a comparable project, a salesperson records what they saw there."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

import db
from models import Competitor, CompetitorSurvey, Photo, Role
from tests.helpers.duty import jpeg
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in


def rival_site() -> None:
    with db.session() as s:
        site = make_site(s, name='云庐')
        make_staff(s, site=site, name='李娜', username='lina')
        make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        s.add(Competitor(site_id=site.id or 0, name='江南府'))
        s.commit()


async def test_a_salesperson_records_a_survey_and_sees_it_as_the_latest(user: User) -> None:
    rival_site()
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


async def test_a_survey_photo_is_uploaded_saved_with_the_entry_and_shown_at_the_morning_meeting(
    user: User, create_user: Callable[[], User]
) -> None:
    rival_site()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/reports/competitors')
    await user.should_see('还没有调查记录', retries=30)
    upload = user.find(marker='survey-photo').elements.pop()
    assert isinstance(upload, ui.upload)
    await upload.handle_uploads([ui.upload.SmallFileUpload('price-list.jpg', 'image/jpeg', jpeg(11))])
    photo = None
    for _ in range(100):  # the upload is handled in the background
        with db.session() as s:
            photo = s.exec(select(Photo)).first()
        if photo is not None:
            break
        await asyncio.sleep(0.05)
    assert photo is not None and photo.competitor_survey_id is None
    await user.should_see(marker=f'photo-{photo.id}', retries=50)
    user.find(marker='survey-moves').type('周末暖场活动')
    user.find(marker='save-survey').click()
    await user.should_see('动态：周末暖场活动', retries=40)
    with db.session() as s:
        entry = s.exec(select(CompetitorSurvey)).one()
        assert s.get(Photo, photo.id).competitor_survey_id == entry.id  # type: ignore[union-attr]
    await user.should_see(marker=f'photo-{photo.id}', retries=30)  # on the project's latest entry
    manager = create_user()  # the manager's own phone
    await log_in(manager, 'wangjing')
    await manager.should_see('今日看板', retries=30)
    await manager.open('/reports/morning')
    await manager.should_see('可比楼盘销售动态', retries=30)
    await manager.should_see(marker=f'photo-{photo.id}', retries=30)
