"""渠道设置: a site's channels (WeCom robot, WeCom app, DingTalk robot, Web Push), 发送测试, and who each reaches."""

from __future__ import annotations

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.frame import frame
from components.session import guard
from models import ChannelKind, NotifyChannel, Staff
from services import notify
from services.core import authz
from services.core.i18n import t

from .common import reach_line, site_of

router = APIRouter()
LABELS = {
    'webhook': 'Webhook 地址',
    'secret': '密钥（Secret，留空则不改）',
    'corp_id': '企业 ID（CorpID）',
    'agent_id': '应用 AgentId',
    'api_base': '接口地址（留空为企业微信官方）',
}
HINTS = {  # one sentence each, as the translation table has them
    ChannelKind.WECOM_ROBOT: '在企业微信群里添加群机器人，复制它的 Webhook 地址：提醒会 @ 被轮到的置业顾问（每分钟最多 20 条，同时到的提醒合并为一条）',  # noqa: E501
    ChannelKind.WECOM_APP: '企业微信自建应用：每人单独收到提醒（按员工手机号找到本人；服务器 IP 须加入应用的可信 IP）',
    ChannelKind.DINGTALK_ROBOT: '钉钉群机器人（加签）：填写 Webhook 地址和加签密钥',
    ChannelKind.WEB_PUSH: '已安装到主屏幕的手机可收到推送（iPhone 16.4 以上；多数国内安卓手机收不到）：每人在“我的提醒”里开启',  # noqa: E501
}


@router.page('/notify/channels')
def channels_page(site: int | None = None) -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    site_id = site_of(me, site)
    with frame('提醒渠道设置', me, active='/notify'):
        if site_id is None:
            ui.label(t('请从项目列表选择一个项目')).classes('ac-muted')
            return
        with db.session() as s:
            saved = {c.kind: c for c in notify.site_channels(s, actor=me, site_id=site_id)}
            people = notify.reach(s, actor=me, site_id=site_id)
        for kind in ChannelKind:
            channel_card(me, site_id, kind, saved.get(kind))
        with ui.card().classes('w-full gap-1').mark('notify-reach'):
            ui.label(t('每个人的提醒能否送达')).classes('font-semibold')
            for person in people:
                ui.label(f'{person.staff.name}：{reach_line(person.channels)}').classes('text-sm')


def channel_card(me: Staff, site_id: int, kind: ChannelKind, channel: NotifyChannel | None) -> None:
    config = channel.config if channel else {}
    with ui.card().classes('w-full gap-2').mark(f'channel-{kind}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(notify.kind_name(kind)).classes('font-semibold')
            enabled = ui.switch(t('启用'), value=bool(channel and channel.enabled)).mark(f'enabled-{kind}')
        ui.label(t(HINTS[kind])).classes('ac-muted text-sm')
        if config.get('demo'):
            ui.label(t('演示：发往本机的测试接收群')).classes('text-sm text-teal-8')
            ui.link(t('查看测试接收群'), '/notify/receiver').classes('text-sm')
        fields = {}
        for name in notify.FIELDS[kind]:
            secret = name == 'secret'
            value = '' if secret else str(config.get(name, ''))
            field = ui.input(t(LABELS[name]), value=value).props(
                'outlined dense' + (' type=password' if secret else '')
            )
            fields[name] = field.classes('w-full').mark(f'{kind}-{name}')

        async def save() -> None:
            values = {name: f.value or '' for name, f in fields.items()}
            if await act(
                lambda s, a: notify.save_channel(
                    s, actor=a, site_id=site_id, kind=kind, values=values, enabled=bool(enabled.value)
                )
            ):
                ui.notify(t('已保存'), type='positive')
                ui.navigate.reload()

        async def test() -> None:
            if channel is None:
                return
            if await act(lambda s, a: notify.send_test(s, actor=a, channel_id=channel.id or 0)):
                ui.notify(t('测试提醒已发出，请到提醒记录查看回执'), type='positive')

        with ui.row().classes('w-full justify-end gap-2'):
            if channel is not None:
                ui.button(t('发送测试'), icon='send', on_click=test).props('outline color=teal-8').mark(f'test-{kind}')
            ui.button(t('保存'), on_click=save).props('unelevated color=teal-8').mark(f'save-{kind}')
