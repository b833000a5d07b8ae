"""Follow-ups (追访) and the phone-call register (来电登记)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class FollowUp(SQLModel, table=True):
    __tablename__ = 'follow_up'
    __table_args__ = (
        Index('ix_follow_up_staff_open', 'staff_id', 'done_at', 'due_on'),
        Index(  # the open ones of a site (or of every site) by due date: the manager's board, the group view
            'ix_follow_up_site_open',
            'site_id',
            'due_on',
            postgresql_where=text('done_at IS NULL AND cancelled IS false'),
            sqlite_where=text('done_at IS NULL AND cancelled IS 0'),  # as SQLAlchemy writes the test on SQLite
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    customer_id: int = Field(foreign_key='customer.id', index=True)
    staff_id: int = Field(foreign_key='staff.id')
    due_on: date
    method: str = Field(default='电话', max_length=12)  # 电话 / 微信 / 邀约到访 / 短信
    created_by_id: int | None = Field(default=None, foreign_key='staff.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result: str = Field(default='', max_length=500)
    cancelled: bool = Field(default=False)  # a deal, a cold customer no longer followed, or a new date


class PhoneCall(SQLModel, table=True):
    __tablename__ = 'phone_call'
    __table_args__ = (Index('ix_phone_call_site_phone', 'site_id', 'phone'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    surname: str = Field(default='', max_length=20)
    title: str = Field(default='', max_length=4)
    phone: str = Field(max_length=11)
    channel: str = Field(default='', max_length=40)
    asked: str = Field(default='', max_length=500)
    answered_by_id: int = Field(foreign_key='staff.id')
    customer_id: int | None = Field(default=None, foreign_key='customer.id', index=True)
