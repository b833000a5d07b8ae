"""A site's channels as its manager sets them up, a test message, who each channel reaches, and the alert log."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from models import (
    ChannelKind,
    DeliveryStatus,
    NotifyAlert,
    NotifyChannel,
    NotifyDelivery,
    PushSubscription,
    Site,
    Staff,
    utcnow,
)
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.i18n import t

from . import webpush
from .outbox import Alert, enqueue

KIND_NAMES = {
    ChannelKind.WECOM_ROBOT: '企业微信群机器人',
    ChannelKind.WECOM_APP: '企业微信应用消息',
    ChannelKind.DINGTALK_ROBOT: '钉钉群机器人',
    ChannelKind.WEB_PUSH: '网页推送',
}
FIELDS: dict[str, tuple[str, ...]] = {  # what the manager fills in, per kind
    ChannelKind.WECOM_ROBOT: ('webhook',),
    ChannelKind.DINGTALK_ROBOT: ('webhook', 'secret'),
    ChannelKind.WECOM_APP: ('corp_id', 'agent_id', 'secret', 'api_base'),
    ChannelKind.WEB_PUSH: (),
}
SECRET_FIELDS = frozenset({'secret', 'vapid_private'})
RECENT = timedelta(days=7)  # a person's reach is judged by their last receipt of the week
DEMO_RECEIVER = '/_notify/receiver/wecom-robot/send'


def kind_name(kind: str) -> str:
    return t(KIND_NAMES[ChannelKind(kind)]) if kind in KIND_NAMES else t('其他渠道')


def site_channels(session: Session, *, actor: Staff, site_id: int) -> list[NotifyChannel]:
    """The site's channels, for its manager or the group admin."""
    authz.require(actor, authz.MANAGERS, site_id=site_id)
    return list(
        session.exec(select(NotifyChannel).where(NotifyChannel.site_id == site_id).order_by(col(NotifyChannel.id)))
    )


def save_channel(
    session: Session, *, actor: Staff, site_id: int, kind: str, values: dict[str, str], enabled: bool = True
) -> NotifyChannel:
    """Set up (or change) the site's channel of `kind`; a blank secret keeps the one saved."""
    authz.require(actor, authz.MANAGERS, site_id=site_id)
    if kind not in FIELDS:
        raise ValidationError('kind', '请选择渠道')
    channel = session.exec(
        select(NotifyChannel).where(NotifyChannel.site_id == site_id, NotifyChannel.kind == kind)
    ).first()
    config: dict[str, Any] = dict(channel.config) if channel else {}
    for name in FIELDS[kind]:
        value = (values.get(name) or '').strip()
        if value or name not in SECRET_FIELDS:
            config[name] = value
    _check(kind, config)
    if kind == ChannelKind.WEB_PUSH and 'vapid_private' not in config:
        config |= webpush.new_keys()
    if channel is None:
        channel = NotifyChannel(site_id=site_id, kind=kind)
    channel.config, channel.enabled = config, enabled
    session.add(channel)
    session.flush()
    audit.record(
        session, actor=actor, action='notify.channel', entity='notifychannel', entity_id=channel.id,
        site_id=site_id, after={'kind': kind, 'enabled': enabled},
    )  # fmt: skip
    session.commit()
    return channel


def _check(kind: str, config: dict[str, Any]) -> None:
    for name in ('webhook', 'api_base'):
        url = config.get(name, '')
        if url and not url.startswith(('https://', 'http://')):
            raise ValidationError(name, '请填写以 https:// 开头的地址')
    if kind in (ChannelKind.WECOM_ROBOT, ChannelKind.DINGTALK_ROBOT) and not config.get('webhook'):
        raise ValidationError('webhook', '请填写机器人的 Webhook 地址')
    if kind == ChannelKind.WECOM_APP:
        if not config.get('corp_id') or not config.get('secret'):
            raise ValidationError('corp_id', '请填写企业 ID 和应用 Secret')
        if not str(config.get('agent_id', '')).isdigit():
            raise ValidationError('agent_id', '应用 AgentId 是数字')


def send_test(session: Session, *, actor: Staff, channel_id: int, now: datetime | None = None) -> NotifyAlert:
    """发送测试: a test alert to the actor through this one channel; its receipt shows on the log."""
    channel = session.get(NotifyChannel, channel_id)
    if channel is None or not authz.allowed(actor, authz.MANAGERS, site_id=channel.site_id):
        raise NotFound()
    alert = Alert(
        site_id=channel.site_id,
        staff_id=actor.id or 0,
        kind='test',
        key=f'test:{channel_id}:{secrets.token_hex(8)}',
        text=t('测试提醒：{channel}能送达，这是一条来自案场的测试消息', channel=kind_name(channel.kind)),
        url='/notify',
    )
    rows = enqueue(session, [alert], now=now, only_channel=channel_id)
    session.commit()
    return rows[0]


@dataclass(frozen=True)
class Reach:
    """How one person can be reached: per channel kind, True (last delivery arrived), False (cannot / failed),
    None (could, not tried yet)."""

    staff: Staff
    channels: dict[str, bool | None]


def reach(session: Session, *, actor: Staff, site_id: int, person_id: int | None = None) -> list[Reach]:
    """提醒能送达: each active person of the site (or only `person_id`, which anyone may ask of themselves) and each
    enabled channel."""
    if person_id is None or person_id != actor.id:
        authz.require(actor, authz.MANAGERS, site_id=site_id)
    authz.require(actor, site_id=site_id)
    query = select(NotifyChannel).where(NotifyChannel.site_id == site_id, NotifyChannel.enabled)
    chans = list(session.exec(query.order_by(col(NotifyChannel.id))))
    people_query = select(Staff).where(Staff.site_id == site_id, Staff.active)
    if person_id is not None:
        people_query = people_query.where(Staff.id == person_id)
    people = list(session.exec(people_query.order_by(col(Staff.name))))
    subscribed = set(
        session.exec(
            select(PushSubscription.staff_id).where(
                col(PushSubscription.staff_id).in_([p.id for p in people]), PushSubscription.active
            )
        )
    )
    last: dict[tuple[int, int], str] = {}
    if chans:
        receipts = (
            select(NotifyDelivery.staff_id, NotifyDelivery.channel_id, NotifyDelivery.status)
            .where(col(NotifyDelivery.channel_id).in_([c.id for c in chans]))
            .where(NotifyDelivery.created_at > utcnow() - RECENT)
            .where(col(NotifyDelivery.status).in_([DeliveryStatus.SENT, DeliveryStatus.FAILED]))
            .order_by(col(NotifyDelivery.id))
        )
        last = {(s, c): status for s, c, status in session.exec(receipts)}
    return [Reach(p, {c.kind: _can(c, p, subscribed, last.get((p.id or 0, c.id or 0))) for c in chans}) for p in people]


def _can(channel: NotifyChannel, person: Staff, subscribed: set[int], last: str | None) -> bool | None:
    if channel.kind == ChannelKind.WEB_PUSH and person.id not in subscribed:
        return False
    if channel.kind == ChannelKind.WECOM_APP and not person.phone:
        return False
    return None if last is None else last == DeliveryStatus.SENT


@dataclass
class Record:
    """One alert on the log with its receipts."""

    alert: NotifyAlert
    person: str
    deliveries: list[tuple[str, NotifyDelivery]] = field(default_factory=list)  # (channel kind, receipt)


def log(session: Session, *, actor: Staff, site_id: int, limit: int = 100) -> list[Record]:
    """提醒记录: the site's newest alerts, each with its channels, receipts and failures."""
    authz.require(actor, authz.MANAGERS, site_id=site_id)
    alerts = list(
        session.exec(
            select(NotifyAlert)
            .where(NotifyAlert.site_id == site_id)
            .order_by(col(NotifyAlert.created_at).desc(), col(NotifyAlert.id).desc())
            .limit(limit)
        )
    )
    names = dict(
        session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_({a.staff_id for a in alerts}))).all()
    )
    kinds = dict(
        session.exec(select(NotifyChannel.id, NotifyChannel.kind).where(NotifyChannel.site_id == site_id)).all()
    )
    records = {a.id: Record(a, names.get(a.staff_id, '')) for a in alerts}
    query = (
        select(NotifyDelivery).where(col(NotifyDelivery.alert_id).in_(list(records))).order_by(col(NotifyDelivery.id))
    )
    for d in session.exec(query):
        records[d.alert_id].deliveries.append((kinds.get(d.channel_id, ''), d))
    return list(records.values())


def subscribe(session: Session, *, actor: Staff, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep this browser's Web Push subscription for the actor (the same endpoint again: updated, not doubled)."""
    if not endpoint.startswith('https://') and not endpoint.startswith('http://127.0.0.1'):
        raise ValidationError('endpoint', '推送地址无效')
    if len(endpoint) > 1000 or len(p256dh) > 200 or len(auth) > 60:
        raise ValidationError('endpoint', '推送地址无效')
    sub = session.exec(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).first()
    sub = sub or PushSubscription(staff_id=actor.id or 0, endpoint=endpoint, p256dh=p256dh, auth=auth)
    sub.staff_id, sub.p256dh, sub.auth, sub.active, sub.created_at = actor.id or 0, p256dh, auth, True, utcnow()
    session.add(sub)
    session.commit()
    return sub


def push_key(session: Session, *, site_id: int | None) -> str | None:
    """The public VAPID key a browser of this site subscribes with (None: the site has no Web Push)."""
    query = select(NotifyChannel).where(NotifyChannel.site_id == site_id, NotifyChannel.kind == ChannelKind.WEB_PUSH)
    channel = session.exec(query.where(NotifyChannel.enabled)).first()
    return str(channel.config.get('vapid_public')) if channel else None


def install_demo_receiver(session: Session, site: Site, base_url: str) -> NotifyChannel:
    """The demo site's group robot posts to this app's own test receiver: deliveries show without a WeCom account."""
    query = select(NotifyChannel).where(NotifyChannel.site_id == site.id, NotifyChannel.kind == ChannelKind.WECOM_ROBOT)
    channel = session.exec(query).first() or NotifyChannel(site_id=site.id or 0, kind=ChannelKind.WECOM_ROBOT)
    channel.config = {'webhook': f'{base_url.rstrip("/")}{DEMO_RECEIVER}?key=demo', 'demo': True}
    session.add(channel)
    session.commit()
    return channel
