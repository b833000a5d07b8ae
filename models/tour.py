"""Tours (带看): the site's route of stops, each tour, and the time at each stop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class TourStop(SQLModel, table=True):
    """One stop of a site's tour route (看房路线), in order."""

    __tablename__ = 'tour_stop'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=30)
    talking_points: str = Field(default='', max_length=1000)  # 卖点, one a line
    needs_helmet: bool = Field(default=False)
    active: bool = Field(default=True)


class Tour(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    visit_id: int = Field(foreign_key='visit.id', index=True)
    customer_id: int = Field(foreign_key='customer.id', index=True)
    staff_id: int = Field(foreign_key='staff.id', index=True)
    checklist: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    grade: str | None = Field(default=None, max_length=1)


class TourStopVisit(SQLModel, table=True):
    """Arriving at one stop of a tour: when, what was noted, units liked, objections heard."""

    __tablename__ = 'tour_stop_visit'

    id: int | None = Field(default=None, primary_key=True)
    tour_id: int = Field(foreign_key='tour.id', index=True)
    stop_id: int | None = Field(default=None, foreign_key='tour_stop.id')
    name: str = Field(max_length=30)
    arrived_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notes: str = Field(default='', max_length=500)
    liked_units: str = Field(default='', max_length=100)
    objections: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
