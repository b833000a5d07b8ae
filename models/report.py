"""The manager's office: monthly reports and their filings, weekly minutes, morning meeting notes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class MinutesStatus(StrEnum):
    DRAFT = 'draft'  # being written
    SIGNING = 'signing'  # 会签: attendees sign on their phones
    FILED = 'filed'  # every attendee signed: 上报


class MonthlyReport(SQLModel, table=True):
    """One site's 月度销售分析报告 for one month: the manager's written parts, spend and targets, while a draft."""

    __tablename__ = 'monthly_report'
    __table_args__ = (UniqueConstraint('site_id', 'month', name='uq_monthly_report_site_month'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    month: str = Field(max_length=7)  # YYYY-MM, the month reported on
    texts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    spend: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # channel → 元
    targets: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    filed_version: int = Field(default=0)  # 0: never filed
    filed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReportFiling(SQLModel, table=True):
    """A filed report, kept exactly as it was filed: its figures, texts, version and signer."""

    __tablename__ = 'report_filing'
    __table_args__ = (UniqueConstraint('report_id', 'version', name='uq_report_filing_version'),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key='monthly_report.id', index=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    month: str = Field(max_length=7)
    version: int
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    filed_by_id: int = Field(foreign_key='staff.id')
    filed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WeeklyMinutes(SQLModel, table=True):
    """周例会纪要 (part 4 art. 4): header, the nine agenda items, then the attendees' sign-off."""

    __tablename__ = 'weekly_minutes'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    week_start: date = Field(index=True)  # the Monday of the week discussed
    held_at: datetime = Field(sa_type=UTCDateTime)
    place: str = Field(default='', max_length=60)
    chair: str = Field(default='', max_length=40)
    minute_taker_id: int | None = Field(default=None, foreign_key='staff.id')
    attendee_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    absentees: str = Field(default='', max_length=200)
    others: str = Field(default='', max_length=200)  # 项目公司总经理、策划、广告公司…
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=MinutesStatus.DRAFT, max_length=8)
    created_by_id: int | None = Field(default=None, foreign_key='staff.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    filed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MinutesSignature(SQLModel, table=True):
    __tablename__ = 'minutes_signature'
    __table_args__ = (UniqueConstraint('minutes_id', 'staff_id', name='uq_minutes_signature'),)

    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key='weekly_minutes.id', index=True)
    staff_id: int = Field(foreign_key='staff.id')
    signed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ActionItem(SQLModel, table=True):
    """A task agreed at a weekly meeting, followed to done in later weeks."""

    __tablename__ = 'action_item'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    minutes_id: int = Field(foreign_key='weekly_minutes.id', index=True)
    text: str = Field(max_length=200)
    owner_id: int = Field(foreign_key='staff.id')
    due_on: date
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_note: str = Field(default='', max_length=200)


class MorningMeeting(SQLModel, table=True):
    """晨会 notes (part 4 art. 3): the five points, with yesterday's figures as they were that morning."""

    __tablename__ = 'morning_meeting'
    __table_args__ = (UniqueConstraint('site_id', 'day', name='uq_morning_meeting_day'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date
    kept_by_id: int = Field(foreign_key='staff.id')
    points: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
