"""Comparable projects (可比楼盘, part 3 art. 7) and the dated survey entries salespeople make of them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Competitor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    name: str = Field(max_length=40)
    address: str = Field(default='', max_length=100)
    active: bool = Field(default=True)


class CompetitorSurvey(SQLModel, table=True):
    """One visit or call to a comparable project: prices, offers, stock and pace on that day."""

    __tablename__ = 'competitor_survey'
    __table_args__ = (Index('ix_competitor_survey_site_on', 'site_id', 'surveyed_on'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id')
    competitor_id: int = Field(foreign_key='competitor.id', index=True)
    surveyed_on: date
    by_id: int = Field(foreign_key='staff.id')
    price_per_m2: int | None = None  # 元/㎡, the average asked
    offers: str = Field(default='', max_length=200)  # 优惠
    stock: str = Field(default='', max_length=100)  # 在售房源
    pace: str = Field(default='', max_length=100)  # 销售速度, e.g. 本周成交 12 套
    moves: str = Field(default='', max_length=300)  # 动态: new launches, ads, events
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
