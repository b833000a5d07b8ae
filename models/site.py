"""A site (项目/案场): one sales centre with its own staff, settings and data."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Site(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    code: str = Field(max_length=20, unique=True, index=True)
    address: str = Field(default='', max_length=200)
    opens_at: time = Field(default=time(9, 0))
    closes_at: time = Field(default=time(18, 0))
    timezone: str = Field(default='Asia/Shanghai', max_length=40)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
