"""Visits (到访): one arrival of a customer at the sales centre, and who received them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class VisitStatus(StrEnum):
    WAITING = 'waiting'  # nobody free yet
    ASSIGNED = 'assigned'  # alerted, not yet acknowledged
    RECEIVING = 'receiving'  # acknowledged: greeted
    ENDED = 'ended'
    INVALID = 'invalid'  # 无效接待: a delivery, someone asking the way


class Visit(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint('site_id', 'request_key', name='uq_visit_request_key'),
        Index('ix_visit_site_day', 'site_id', 'day'),  # the daily analysis: one site's day
        # every site's day counted from the index; a site's waiting visitors read from it in arrival order
        Index('ix_visit_day_site_status_arrived', 'day', 'site_id', 'status', 'arrived_at'),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date  # the site's local day of arrival
    customer_id: int = Field(foreign_key='customer.id', index=True)
    arrived_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    party_size: int = Field(default=1)
    first_visit: bool = Field(default=True)  # as the visitor said
    returning_customer: bool = Field(default=False)  # a customer we already knew ('returning' is an SQL word)
    source: str = Field(default='qr', max_length=8)  # qr / desk
    request_key: str | None = Field(default=None, max_length=64)  # one visit per submitted form
    registered_by_id: int | None = Field(default=None, foreign_key='staff.id')
    status: str = Field(default=VisitStatus.WAITING, max_length=12, index=True)
    assigned_id: int | None = Field(default=None, foreign_key='staff.id', index=True)
    shadow_id: int | None = Field(default=None, foreign_key='staff.id')  # a first-month colleague learning
    on_behalf_of_id: int | None = Field(default=None, foreign_key='staff.id')  # 代接: the owner was not on shift
    by_owner: bool = Field(default=False)  # routed to the owner, no turn used
    made_owner: bool = Field(default=False)  # this reception made the receiver the customer's owner
    assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the unanswered alert's reminder
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invalid_reason: str | None = Field(default=None, max_length=200)
    signed_as: str | None = Field(default=None, max_length=16)  # the name the visitor typed (王先生) on the QR form
