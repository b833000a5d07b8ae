"""Complaints (投诉, part 2 art. 3 of the manual) and every step taken on one."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ComplaintStatus(StrEnum):
    NEW = 'new'  # 待受理
    ACKNOWLEDGED = 'acknowledged'  # 已受理
    HANDLING = 'handling'  # 处理中
    RESOLVED = 'resolved'  # 已解决
    FOLLOWED_UP = 'followed_up'  # 已回访
    CLOSED = 'closed'  # 已结案


class Severity(StrEnum):
    NORMAL = 'normal'  # 一般
    SERIOUS = 'serious'  # 严重
    URGENT = 'urgent'  # 紧急


class Complaint(SQLModel, table=True):
    __table_args__ = (
        Index('ix_complaint_site_status', 'site_id', 'status'),
        Index('ix_complaint_site_created', 'site_id', 'created_at'),
        Index('ix_complaint_taken_by', 'taken_by_id', 'created_at'),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id')
    customer_id: int = Field(foreign_key='customer.id', index=True)
    visit_id: int | None = Field(default=None, foreign_key='visit.id')
    channel: str = Field(max_length=12)  # 来访 / 来电 / 微信 / 网络 / 信函 / 其他
    category: str = Field(max_length=12)  # product / attitude / contract / payment / delivery / property / other
    severity: str = Field(max_length=8)
    what_happened: str = Field(max_length=2000)
    wants: str = Field(default='', max_length=1000)  # what the customer asks for
    against_staff_id: int | None = Field(default=None, foreign_key='staff.id')  # a complaint about a salesperson
    status: str = Field(default=ComplaintStatus.NEW, max_length=12)
    taken_by_id: int = Field(foreign_key='staff.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledge_due_at: datetime = Field(sa_type=UTCDateTime)
    resolve_due_at: datetime = Field(sa_type=UTCDateTime)
    handler_id: int | None = Field(default=None, foreign_key='staff.id')  # the manager who took it on
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followed_up_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    satisfaction: int | None = None  # 1–5, said by the customer at the follow-up (回访)
    acknowledge_escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolve_escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    request_key: str | None = Field(default=None, max_length=40, unique=True)  # one complaint per form, sent twice
    version: int = Field(default=0)  # bumped on every step: two managers cannot take the same step twice


class ComplaintStep(SQLModel, table=True):
    """What was done, by whom and when: a status change, a note, an escalation, a reassignment."""

    __tablename__ = 'complaint_step'

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key='complaint.id', index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key='staff.id')  # None: the app itself (an escalation)
    action: str = Field(max_length=16)
    from_status: str = Field(max_length=12)
    to_status: str = Field(max_length=12)
    text: str = Field(default='', max_length=1000)
    satisfaction: int | None = None
