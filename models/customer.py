"""Customers (客户) of a site, with their owner (客户权属) and protection period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Customer(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint('site_id', 'phone', name='uq_customer_site_phone'),
        Index('ix_customer_site_surname', 'site_id', 'surname'),  # name-prefix search
        Index('ix_customer_site_contact', 'site_id', 'last_contact_at'),  # most recent contacts first
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    surname: str = Field(max_length=20)
    title: str = Field(max_length=4)  # 先生 / 女士, the manual's form of address
    phone: str = Field(max_length=11, index=True)
    channel: str = Field(default='', max_length=40)
    interests: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consent_version: str | None = Field(default=None, max_length=20)
    owner_id: int | None = Field(default=None, foreign_key='staff.id', index=True)
    last_contact_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    protected_until: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    merged_into_id: int | None = Field(default=None, foreign_key='customer.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    grade: str | None = Field(default=None, max_length=1)  # intent grade A–D (the site's definitions)
    version: int = Field(default=0)  # bumped on every edit of the record: two phones cannot overwrite each other
    outcome: str = Field(default='', max_length=8)  # '' open / deal 成交 / lost 未成交
    outcome_on: date | None = Field(default=None, index=True)  # the month's deals of every site, for the group
    deal_unit: str = Field(default='', max_length=30)
    deal_amount_wan: float | None = None  # 万元
    lost_reason: str = Field(default='', max_length=60)
    follow_up: bool = Field(default=True)  # the manager decides whether a cold customer is still followed up
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # personal data removed (PIPL)
