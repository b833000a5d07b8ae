"""The manager's phone opens on today's figures; the manager files the monthly report; the admin sees every site."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

import db
from models import ReportFiling, Role
from services.rotation import reception
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive


def team() -> None:
    with db.session() as s:
        site = make_site(s, name='云庐')
        lina = make_staff(s, site=site, name='李娜', username='lina')
        make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        make_staff(s, site=None, role=Role.ADMIN, name='集团', username='boss')
        reception.check_in(s, actor=lina)
    arrive(site)


async def test_the_manager_lands_on_today_and_each_figure_leads_to_its_list(user: User) -> None:
    team()
    await log_in(user)
    await user.should_see('今日看板', retries=30)
    await user.should_see(marker='tile-visits')
    links = {m: next(iter(user.find(marker=m).elements)) for m in ('tile-visits', 'tile-followups', 'tile-complaints')}
    assert {m: e.props.get('href') for m, e in links.items()} == {
        'tile-visits': '/analysis',
        'tile-followups': '/followups',
        'tile-complaints': '/complaints',
    }
    charts = user.find(kind=ui.echart).elements
    assert len(charts) >= 3
    hours = next(iter(user.find(marker='chart-hours').elements))
    chart = next(e for e in hours.descendants() if isinstance(e, ui.echart))
    assert sum(chart.options['series'][0]['data']) == 1  # the one visitor, new
    people = next(iter(user.find(marker='chart-people').elements))
    chart = next(e for e in people.descendants() if isinstance(e, ui.echart))
    assert chart.options['yAxis']['data'] == ['李娜'] and chart.options['series'][0]['data'] == [1]


async def test_a_salesperson_does_not_get_the_dashboard(user: User) -> None:
    team()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.should_not_see('今日看板')


async def test_the_manager_writes_and_files_last_month(user: User) -> None:
    team()
    await log_in(user)
    await user.should_see('今日看板', retries=30)
    await user.open('/reports/monthly?month=2026-10')
    await user.should_see('经理填写', retries=30)
    user.find(marker='text-analysis').type('本月来访平稳。')
    user.find(marker='file-report').click()
    user.find(marker='confirm-file').click()
    await user.should_see('已上报第 1 版', retries=40)
    with db.session() as s:
        filing = s.exec(select(ReportFiling)).one()
    assert (filing.month, filing.version, filing.data['signer']) == ('2026-10', 1, '王静')
    assert filing.data['sections'][0]['text'] == '本月来访平稳。'
    user.find(marker='download-pdf').click()
    await user.should_not_see('请先填写', retries=5)


async def test_the_admin_sees_every_site_side_by_side(user: User) -> None:
    team()
    await log_in(user, 'boss')
    await user.should_see('各项目今日', retries=30)
    await user.should_see('云庐')
    await user.should_see(marker='group-chart')
    await user.open('/reports')
    await user.should_see('各项目月报', retries=30)
