"""The manager's 提醒记录 and channel settings, and my own alerts page, on a phone (NiceGUI's simulated user)."""

from __future__ import annotations

import httpx
from nicegui import app
from nicegui.testing import User
from sqlmodel import select

import db
from models import ChannelKind, NotifyAlert, NotifyChannel, Role
from pages.notify import receiver
from services import notify
from services.rotation import reception
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive


def team() -> dict:
    with db.session() as s:
        site = make_site(s, name='云庐')
        lina = make_staff(s, site=site, name='李娜', username='lina')
        manager = make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        reception.check_in(s, actor=lina)
    return {'site': site, 'lina': lina, 'manager': manager}


async def test_the_log_shows_each_alert_with_its_receipt_from_the_demo_receiver(user: User) -> None:
    people = team()
    with db.session() as s:
        notify.install_demo_receiver(s, people['site'], 'http://127.0.0.1:9')  # nothing listens: it fails, retried
    arrive(people['site'])
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.open('/notify')
    await user.should_see('来访提醒：轮到您接待王先生，请到前台', retries=30)
    await user.should_see('李娜', marker='notify-record', retries=30)
    await user.should_see('企业微信群机器人', retries=50)


async def test_a_manager_sets_up_a_robot_and_sends_a_test(user: User) -> None:
    people = team()
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.open('/notify/channels')
    await user.should_see('企业微信群机器人', retries=30)
    user.find(marker=f'{ChannelKind.WECOM_ROBOT}-webhook').type('ftp://nope')
    user.find(marker=f'save-{ChannelKind.WECOM_ROBOT}').click()
    await user.should_see('请填写以 https:// 开头的地址', retries=30)
    user.find(marker=f'{ChannelKind.WECOM_ROBOT}-webhook').clear().type(
        'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x'
    )
    for switch in user.find(marker=f'enabled-{ChannelKind.WECOM_ROBOT}').elements:
        switch.set_value(True)
    user.find(marker=f'save-{ChannelKind.WECOM_ROBOT}').click()
    await user.should_see('已保存', retries=30)
    await user.should_see(marker=f'test-{ChannelKind.WECOM_ROBOT}', retries=30)
    with db.session() as s:
        (channel,) = s.exec(select(NotifyChannel)).all()
        assert channel.enabled and channel.config['webhook'].endswith('key=x')
    user.find(marker=f'test-{ChannelKind.WECOM_ROBOT}').click()
    await user.should_see('测试提醒已发出，请到提醒记录查看回执', retries=50)
    with db.session() as s:
        (alert,) = s.exec(select(NotifyAlert)).all()
        assert alert.kind == 'test' and alert.staff_id == people['manager'].id
    await user.should_see('李娜：提醒能送达：企业微信群机器人 未验证', retries=30)


async def test_a_salesperson_may_not_open_the_log_but_sees_their_own_reach(user: User) -> None:
    team()
    await log_in(user, 'lina')
    await user.should_see('李娜', retries=30)
    await user.open('/notify')
    await user.should_see('您的角色无权打开此页面', retries=30)
    await user.open('/notify/me')
    await user.should_see('提醒能送达：仅本页提醒（未设置渠道）', retries=30)


async def test_the_test_receiver_answers_as_a_wecom_robot_and_shows_the_message(user: User) -> None:
    team()
    receiver.RECEIVED.clear()
    response = await _post_receiver(
        user, {'msgtype': 'text', 'text': {'content': '李娜，来访提醒', 'mentioned_mobile_list': ['13900001234']}}
    )
    assert response == {'errcode': 0, 'errmsg': 'ok'}
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.open('/notify/receiver')
    await user.should_see('李娜，来访提醒', retries=30)
    await user.should_see('@ 提到：139****1234', retries=30)


async def _post_receiver(user: User, body: dict) -> dict:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        response = await client.post('/_notify/receiver/wecom-robot/send', json=body)
    return dict(response.json())
