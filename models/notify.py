"""The notification outbox (提醒): every alert, its deliveries per channel and person, and each request sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ChannelKind(StrEnum):
    WECOM_ROBOT = 'wecom_robot'  # 企业微信群机器人
    WECOM_APP = 'wecom_app'  # 企业微信应用消息
    DINGTALK_ROBOT = 'dingtalk_robot'  # 钉钉群机器人
    WEB_PUSH = 'web_push'  # 网页推送


class DeliveryStatus(StrEnum):
    PENDING = 'pending'  # due at next_at (a first try or a retry)
    SENDING = 'sending'  # claimed by the sender, not yet answered
    SENT = 'sent'  # the channel accepted it
    FAILED = 'failed'  # given up after the last try, or the channel cannot reach the person


class NotifyChannel(SQLModel, table=True):
    """One channel of a site, set up by its manager: a robot's webhook, an app's credentials, Web Push keys."""

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    kind: str = Field(max_length=16)
    enabled: bool = Field(default=True)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NotifyAlert(SQLModel, table=True):
    """An alert written in the transaction of the change that causes it (the outbox row)."""

    __table_args__ = (Index('ix_notifyalert_site_created', 'site_id', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id')
    staff_id: int = Field(foreign_key='staff.id', index=True)
    kind: str = Field(max_length=24)  # visitor_assigned / reminder / complaint_new / test …
    key: str = Field(max_length=80, unique=True)  # idempotency: the same cause never makes a second alert
    text: str = Field(max_length=500)
    url: str = Field(default='/', max_length=200)  # what a tap on the notification opens
    visit_id: int | None = Field(default=None, foreign_key='visit.id', index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NotifyDelivery(SQLModel, table=True):
    """The receipt of one alert on one channel (for Web Push: one browser) for its person."""

    __table_args__ = (
        UniqueConstraint('alert_id', 'channel_id', 'target', name='uq_notifydelivery_alert_channel_target'),
        Index('ix_notifydelivery_due', 'status', 'next_at'),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key='notifyalert.id', index=True)
    channel_id: int = Field(foreign_key='notifychannel.id')
    staff_id: int = Field(foreign_key='staff.id')
    target: str = Field(default='', max_length=20)  # a push subscription's id; '' for the other channels
    status: str = Field(default=DeliveryStatus.PENDING, max_length=10)
    attempts: int = Field(default=0)
    next_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default='', max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NotifySend(SQLModel, table=True):
    """One request to a channel (a robot's message may carry several deliveries): the rate limit counts these."""

    __table_args__ = (Index('ix_notifysend_channel_at', 'channel_id', 'at'),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key='notifychannel.id')
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ok: bool = Field(default=False)
    deliveries: int = Field(default=1)
    error: str = Field(default='', max_length=200)


class PushSubscription(SQLModel, table=True):
    """A browser's Web Push subscription for a staff member (an installed app on their phone)."""

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key='staff.id', index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=60)
    active: bool = Field(default=True)  # False once the push service says it is gone (404/410)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
