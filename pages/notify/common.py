"""Pieces the notify pages share: which site a manager (or the admin, by ?site=) looks at, receipt marks."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

from models import DeliveryStatus, NotifyDelivery, Role, Staff
from services import notify
from services.core.i18n import t

TZ = ZoneInfo('Asia/Shanghai')


def site_of(me: Staff, site: int | None) -> int | None:
    """The manager's own site; the group admin's choice (None: ask them to choose)."""
    return site if me.role == Role.ADMIN else me.site_id


def receipt(kind: str, d: NotifyDelivery) -> None:
    """One channel's receipt of an alert as a small line: ✓ 22:01:03, ✗ the failure, … retrying."""
    name = notify.kind_name(kind)
    if d.status == DeliveryStatus.SENT and d.sent_at:
        text, colour = t('{channel} ✓ {at}', channel=name, at=f'{d.sent_at.astimezone(TZ):%H:%M:%S}'), 'text-teal-8'
    elif d.status == DeliveryStatus.FAILED:
        text, colour = t('{channel} ✗ {error}', channel=name, error=error_text(d.last_error)), 'text-red-8'
    else:
        tries = t('（已试 {n} 次：{error}）', n=d.attempts, error=error_text(d.last_error)) if d.last_error else ''
        text, colour = t('{channel} … 发送中{tries}', channel=name, tries=tries), 'text-amber-9'
    ui.label(text).classes(f'text-sm {colour}').mark(f'receipt-{d.status}')


def reach_line(channels: dict[str, bool | None]) -> str:
    """提醒能送达：企业微信群机器人 ✓ / 网页推送 ✗"""
    if not channels:
        return t('提醒能送达：仅本页提醒（未设置渠道）')
    marks = {True: '✓', False: '✗', None: t('未验证')}
    return t('提醒能送达：') + ' / '.join(f'{notify.kind_name(k)} {marks[v]}' for k, v in channels.items())


ERRORS = {
    'timeout': '对方没有及时回应',
    'errcode=45009': '发送太频繁，稍后重发',
    'errcode=130101': '发送太频繁，稍后重发',
    'errcode=42001': '访问令牌过期',
    'errcode=40014': '访问令牌无效',
    'errcode=310000': '加签密钥不对',
    'errcode=93000': 'Webhook 地址无效',
    'errcode=40001': '应用 Secret 不对',
    'errcode=60111': '企业微信里找不到这个手机号',
    'no mobile': '员工没有手机号',
}


def error_text(error: str) -> str:
    """A failure as the manager reads it; the service's own code kept in brackets for its support desk."""
    if not error:
        return t('失败')
    head = error.split(' ')[0]
    if head in ERRORS:
        return t(ERRORS[head]) + (f'（{head}）' if head.startswith('errcode') else '')
    if head == 'HTTP':
        return t('对方服务出错（{code}）', code=error)
    if head.startswith('network'):
        return t('连不上对方服务')
    return t(error) if error in ('渠道已关闭', '浏览器已取消订阅') else error
