"""Duty (值班): the roster of duty officers, checklist templates, the day's checklists, rectifications, discipline."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ChecklistKind(StrEnum):
    OPENING = 'opening'  # 开场
    PATROL = 'patrol'  # 值班巡检
    CLOSING = 'closing'  # 闭场


class Anchor(StrEnum):
    OPENS = 'opens'  # the due time counts from the site's opening time
    CLOSES = 'closes'  # … or from its closing time


class ItemResult(StrEnum):
    OK = 'ok'
    PROBLEM = 'problem'


class ChecklistStatus(StrEnum):
    OPEN = 'open'
    SUBMITTED = 'submitted'
    SIGNED_OFF = 'signed_off'


class DutyAssignment(SQLModel, table=True):
    """值班表: the duty officer of one site on one day."""

    __tablename__ = 'duty_assignment'
    __table_args__ = (UniqueConstraint('site_id', 'day', name='uq_duty_site_day'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date = Field(index=True)
    staff_id: int = Field(foreign_key='staff.id', index=True)
    planned_by_id: int | None = Field(default=None, foreign_key='staff.id')
    planned_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ChecklistTemplate(SQLModel, table=True):
    __tablename__ = 'checklist_template'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    kind: str = Field(max_length=12)
    name: str = Field(max_length=40)
    anchor: str = Field(default=Anchor.OPENS, max_length=8)
    due_offset_minutes: int = Field(default=0)  # negative: before the anchor
    position: int = Field(default=0)
    active: bool = Field(default=True)


class TemplateItem(SQLModel, table=True):
    __tablename__ = 'checklist_template_item'

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key='checklist_template.id', index=True)
    position: int = Field(default=0)
    title: str = Field(max_length=60)
    hint: str = Field(default='', max_length=200)
    photo_required: bool = Field(default=False)
    camera_only: bool = Field(default=True)  # False: the gallery may be used too
    active: bool = Field(default=True)


class Checklist(SQLModel, table=True):
    """One day's checklist, copied from its template so later edits do not change what was done."""

    __tablename__ = 'checklist'
    __table_args__ = (UniqueConstraint('site_id', 'day', 'template_id', name='uq_checklist_day_template'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date = Field(index=True)
    template_id: int = Field(foreign_key='checklist_template.id')
    kind: str = Field(max_length=12)
    name: str = Field(max_length=40)
    due_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=ChecklistStatus.OPEN, max_length=12, index=True)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by_id: int | None = Field(default=None, foreign_key='staff.id')
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by_id: int | None = Field(default=None, foreign_key='staff.id')
    review_comment: str = Field(default='', max_length=500)


class ChecklistItem(SQLModel, table=True):
    __tablename__ = 'checklist_item'

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(foreign_key='checklist.id', index=True)
    position: int = Field(default=0)
    title: str = Field(max_length=60)
    hint: str = Field(default='', max_length=200)
    photo_required: bool = Field(default=False)
    camera_only: bool = Field(default=True)
    result: str | None = Field(default=None, max_length=8)
    note: str = Field(default='', max_length=500)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_by_id: int | None = Field(default=None, foreign_key='staff.id')


class Rectification(SQLModel, table=True):
    """整改: a problem found on a checklist, with an owner and a due time, closed with a photo."""

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    checklist_item_id: int | None = Field(default=None, foreign_key='checklist_item.id', index=True)
    title: str = Field(max_length=60)
    description: str = Field(default='', max_length=500)
    owner_id: int = Field(foreign_key='staff.id', index=True)
    due_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key='staff.id')
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    closed_by_id: int | None = Field(default=None, foreign_key='staff.id')
    close_note: str = Field(default='', max_length=500)


class DisciplineRecord(SQLModel, table=True):
    """违纪记录: a breach of the reception rules seen on patrol."""

    __tablename__ = 'discipline_record'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    staff_id: int = Field(foreign_key='staff.id', index=True)
    rule: str = Field(max_length=60)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    note: str = Field(default='', max_length=500)
    recorded_by_id: int | None = Field(default=None, foreign_key='staff.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
