"""The reception record (客户信息资料表, appendix 4 of the manual) and each customer's contact log."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ContactKind(StrEnum):
    RECORD = 'record'  # a reception record written
    CALL = 'call'  # 来电
    TOUR = 'tour'  # 带看
    FOLLOW_UP = 'follow_up'  # 追访
    GRADE = 'grade'  # the intent grade changed
    OUTCOME = 'outcome'  # 成交 / 未成交
    COMPLAINT = 'complaint'  # 投诉, and each step taken on it


class ReceptionRecord(SQLModel, table=True):
    __tablename__ = 'reception_record'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    visit_id: int = Field(foreign_key='visit.id', unique=True)
    customer_id: int = Field(foreign_key='customer.id', index=True)
    staff_id: int = Field(foreign_key='staff.id')
    name: str = Field(max_length=20)
    title: str = Field(max_length=4)
    other_phone: str = Field(default='', max_length=11)
    age_band: str = Field(default='', max_length=12)
    residence: str = Field(default='', max_length=40)
    work_area: str = Field(default='', max_length=40)
    family: str = Field(default='', max_length=40)
    channel: str = Field(default='', max_length=40)
    purpose: str = Field(default='', max_length=12)  # 自住 / 改善 / 投资
    unit_type: str = Field(default='', max_length=20)
    area_wanted: int | None = None  # m²
    budget_wan: int | None = None  # 万元
    payment: str = Field(default='', max_length=12)
    cares: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    objections: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    grade: str = Field(max_length=1)
    next_follow_up_on: date | None = None
    next_method: str = Field(default='', max_length=12)
    notes: str = Field(default='', max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContactLog(SQLModel, table=True):
    """One line of a customer's timeline (visits come from their own table)."""

    __tablename__ = 'contact_log'
    __table_args__ = (Index('ix_contact_log_customer_at', 'customer_id', 'at'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    customer_id: int = Field(foreign_key='customer.id')
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=12)
    staff_id: int | None = Field(default=None, foreign_key='staff.id')
    summary: str = Field(default='', max_length=500)
    grade: str | None = Field(default=None, max_length=1)
