"""Staff accounts: salespeople (置业顾问), managers (销售经理) and the group admin (集团管理员)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Role(StrEnum):
    SALESPERSON = 'salesperson'
    MANAGER = 'manager'
    ADMIN = 'admin'


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    site_id: int | None = Field(default=None, foreign_key='site.id', index=True)  # None only for the group admin
    name: str = Field(max_length=40)
    phone: str | None = Field(default=None, max_length=11, unique=True, index=True)
    username: str | None = Field(default=None, max_length=32, unique=True, index=True)
    password_hash: str = Field(max_length=200)
    role: str = Field(default=Role.SALESPERSON, max_length=16)
    joined_on: date = Field(default_factory=date.today)
    mentor_id: int | None = Field(default=None, foreign_key='staff.id')
    active: bool = Field(default=True)
    photo: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=8)
    must_change_password: bool = Field(default=False)
    session_epoch: int = Field(default=0)  # bumped to end every open session (password change, deactivation)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
